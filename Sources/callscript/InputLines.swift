import Foundation

/// Lines of standard input, each read up to a limit: the rest of a longer line is read and
/// thrown away as it arrives, so no line is ever held whole in memory.
final class InputLines {
  /// One line read.
  enum Line: Equatable {
    /// The line without its `\n` (or `\r\n`).
    case text(String)
    /// A line longer than the limit; its length in bytes.
    case tooLong(Int)
    /// A line that is not UTF-8 text.
    case notUTF8
  }

  /// Longest line taken, in bytes: the longest text answer many times over, and any jsonl
  /// object the engine reads.
  static let maximumLine = 1_048_576

  private let descriptor: Int32
  private let limit: Int
  private var buffer = [UInt8](repeating: 0, count: 1 << 16)
  private var start = 0
  private var end = 0
  private var finished = false

  init(descriptor: Int32, limit: Int = InputLines.maximumLine) {
    self.descriptor = descriptor
    self.limit = limit
  }

  /// Waits up to `milliseconds` for input; true when a line (or the end of input) can be read
  /// without waiting longer, false when the time passed first.
  func waitForInput(milliseconds: Int32) -> Bool {
    if start < end || finished { return true }
    var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    let ready = poll(&request, 1, milliseconds)
    // An interrupted wait counts as time passing; an error lets `next()` find it.
    if ready < 0 { return errno != EINTR }
    return ready > 0
  }

  /// The next line, or nil at the end of input.
  func next() -> Line? {
    var line: [UInt8] = []
    var length = 0
    while true {
      if start == end {
        guard refill() else {
          // The last line may lack its newline.
          return length == 0 ? nil : finish(line, length: length)
        }
      }
      let newline = buffer[start..<end].firstIndex(of: 0x0A)
      let stop = newline ?? end
      let room = max(0, limit + 1 - line.count)
      line.append(contentsOf: buffer[start..<min(stop, start + room)])
      length += stop - start
      start = newline.map { $0 + 1 } ?? end
      if newline != nil { return finish(line, length: length) }
    }
  }

  private func finish(_ bytes: [UInt8], length: Int) -> Line {
    var bytes = bytes
    var length = length
    if bytes.last == 0x0D, length <= limit + 1 {
      bytes.removeLast()
      length -= 1
    }
    guard length <= limit else { return .tooLong(length) }
    guard let text = String(validating: bytes, as: UTF8.self) else { return .notUTF8 }
    return .text(text)
  }

  /// Reads more input; false at its end.
  private func refill() -> Bool {
    guard !finished else { return false }
    while true {
      let count = buffer.withUnsafeMutableBytes { raw in
        read(descriptor, raw.baseAddress, raw.count)
      }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else {
        finished = true
        return false
      }
      start = 0
      end = count
      return true
    }
  }
}
