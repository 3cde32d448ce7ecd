import Foundation
import Testing

/// A running `callscript` whose output is read line by line while input is fed to it.
///
/// `@unchecked Sendable`: the output buffer is only touched under `lock`, from the reading
/// thread and the test.
final class LiveProcess: @unchecked Sendable {
  let process = Process()
  private let input = Pipe()
  private let output = Pipe()
  private let lock = NSLock()
  private var buffer = Data()
  private var lines: [String] = []

  init(_ arguments: [String], in folder: URL) throws {
    guard let url = Binary.url else { throw CocoaError(.fileNoSuchFile) }
    process.executableURL = url
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = Binary.environment()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    output.fileHandleForReading.readabilityHandler = { [weak self] handle in
      let data = handle.availableData
      self?.receive(data)
    }
    try process.run()
  }

  private func receive(_ data: Data) {
    lock.lock()
    defer { lock.unlock() }
    buffer.append(data)
    while let newline = buffer.firstIndex(of: 0x0A) {
      lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
      buffer.removeSubrange(buffer.startIndex...newline)
    }
  }

  /// Every complete line so far.
  var received: [String] {
    lock.lock()
    defer { lock.unlock() }
    return lines
  }

  func send(_ line: String) {
    try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
  }

  /// Waits until `count` lines satisfy `predicate`, or the timeout passes.
  @discardableResult
  func wait(
    for count: Int = 1, timeout: Double = 10, where predicate: (String) -> Bool
  ) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if received.filter(predicate).count >= count { return true }
      if !process.isRunning { return received.filter(predicate).count >= count }
      Thread.sleep(forTimeInterval: 0.002)
    }
    return false
  }

  func kill() {
    if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    output.fileHandleForReading.readabilityHandler = nil
  }

  func close() {
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    output.fileHandleForReading.readabilityHandler = nil
  }
}
