import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem writing a transcript; the event it concerns was not recorded.
public struct TranscriptWriteError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}

/// Appends hash-chained lines to a transcript file, each made durable before it returns.
///
/// The file is opened with O_APPEND and created with mode 0600; every line is written whole and
/// `fsync`ed, so an event shown as accepted survives a killed process or a power cut.
public final class TranscriptWriter {
  public let path: String
  private let descriptor: Int32
  private(set) var lastHash: String
  /// The sequence number the next event gets.
  public private(set) var nextSequence: Int

  /// Creates a new transcript with its header; fails if the file exists.
  public init(creating path: String, header: Transcript.Header) throws {
    self.path = path
    descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw TranscriptWriteError(path: path, message: String(cString: strerror(errno)))
    }
    let (line, hash) = Transcript.headerLine(header)
    lastHash = hash
    nextSequence = 1
    try write(line)
    Self.syncDirectory(of: path)
  }

  /// Opens an existing, verified transcript to append after its last good line.
  public init(appendingTo path: String, after reading: TranscriptReading) throws {
    self.path = path
    descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw TranscriptWriteError(path: path, message: String(cString: strerror(errno)))
    }
    if ftruncate(descriptor, off_t(reading.goodLength)) != 0 {
      let message = String(cString: strerror(errno))
      close(descriptor)
      throw TranscriptWriteError(path: path, message: "cannot set the torn line aside: \(message)")
    }
    lastHash = reading.lastHash
    nextSequence = (reading.entries.last?.sequence ?? 0) + 1
  }

  deinit { close(descriptor) }

  /// Appends one event and waits until it is on disk.
  ///
  /// `prompt` is the number of the prompt an answer was given to (nil when volunteered).
  public func append(_ event: SessionEvent, at: Double, wall: Date, prompt: Int? = nil) throws {
    let entry = Transcript.Entry(sequence: nextSequence, at: at, event: event, prompt: prompt)
    let (line, hash) = Transcript.eventLine(entry, wall: wall, previous: lastHash)
    try write(line)
    lastHash = hash
    nextSequence += 1
  }

  private func write(_ line: String) throws {
    let bytes = Array(line.utf8)
    var written = 0
    while written < bytes.count {
      let result = bytes[written...].withUnsafeBytes { buffer in
        Glibc.write(descriptor, buffer.baseAddress, buffer.count)
      }
      if result < 0 {
        if errno == EINTR { continue }
        throw TranscriptWriteError(path: path, message: String(cString: strerror(errno)))
      }
      written += result
    }
    guard fsync(descriptor) == 0 else {
      throw TranscriptWriteError(path: path, message: "fsync: " + String(cString: strerror(errno)))
    }
  }

  /// Makes the new file's directory entry durable too.
  static func syncDirectory(of path: String) {
    let folder = (path as NSString).deletingLastPathComponent
    let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    close(descriptor)
  }
}
