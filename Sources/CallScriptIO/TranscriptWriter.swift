import CallScript
import Foundation

#if canImport(Glibc)
import Glibc

/// `write(2)`, from the C library the platform has.
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin

/// `write(2)`, from the C library the platform has.
private let systemWrite = Darwin.write
#endif

/// A problem writing a transcript; the event it concerns was not recorded.
public struct TranscriptWriteError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  /// Set when a new transcript was not created because a file of that name exists.
  public var fileExists = false
  public var description: String { "\(path): \(message)" }
}

/// The system calls a ``TranscriptWriter`` makes, so tests can make a disk fail.
package struct TranscriptFileCalls {
  /// Writes bytes as `write(2)` does: the count written, or -1 with `errno` set.
  package var write: (Int32, UnsafeRawBufferPointer) -> Int
  /// Makes the file durable as `fsync(2)` does: 0, or -1 with `errno` set.
  package var sync: (Int32) -> Int32

  package init(
    write: @escaping (Int32, UnsafeRawBufferPointer) -> Int,
    sync: @escaping (Int32) -> Int32
  ) {
    self.write = write
    self.sync = sync
  }

  /// The real `write(2)` and `fsync(2)`.
  package static var system: TranscriptFileCalls {
    TranscriptFileCalls(
      write: { descriptor, buffer in systemWrite(descriptor, buffer.baseAddress, buffer.count) },
      sync: { descriptor in fsync(descriptor) })
  }
}

/// Appends hash-chained lines to a transcript file, each made durable before it returns.
///
/// The file is opened with O_APPEND and created with mode 0600; every line is written whole and
/// `fsync`ed, so an event shown as accepted survives a killed process or a power cut. When an
/// append fails (a full disk, an I/O error) the file is cut back to its last good line, so
/// the next event never lands after a partial one.
public final class TranscriptWriter {
  public let path: String
  private let descriptor: Int32
  private(set) var lastHash: String
  /// The sequence number the next event gets.
  public private(set) var nextSequence: Int
  /// Length of the file up to and including the last line written whole and synced.
  package private(set) var goodLength: Int
  /// The writes and syncs this writer makes; the system's unless a test replaces them.
  package var fileCalls: TranscriptFileCalls
  /// Set when a failed append could not be undone: the file may end in a partial line.
  private var damage: String?
  /// Signs every line; nil for an unsigned transcript.
  let signer: TranscriptSigner?
  /// The public key every line is signed with; nil when the transcript is unsigned.
  public var signingKey: String? { signer?.publicKey }

  /// Creates a new transcript with its header; fails if the file exists (``TranscriptWriteError``
  /// with `fileExists`), never replacing it.
  ///
  /// The file appears whole or not at all: the header is written and synced in a temporary
  /// file in the same folder, which is then linked to `path` (`link(2)` never replaces a file)
  /// and removed, so a crash at start never leaves an empty transcript blocking its id. With a
  /// `signer`, the header names its public key and every line is signed.
  public init(creating path: String, header: Transcript.Header, signer: TranscriptSigner? = nil)
    throws
  {
    var header = header
    header.signingKey = signer?.publicKey
    self.signer = signer
    self.path = path
    let folder = (path as NSString).deletingLastPathComponent
    let temporary = (folder as NSString).appendingPathComponent(
      ".\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp")
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw TranscriptWriteError(path: path, message: String(cString: strerror(errno)))
    }
    let (line, hash) = Transcript.headerLine(header, signer: signer)
    lastHash = hash
    nextSequence = 1
    goodLength = 0
    fileCalls = .system
    do {
      try write(line)
    } catch {
      unlink(temporary)
      throw error
    }
    if link(temporary, path) != 0 {
      let code = errno
      unlink(temporary)
      var error = TranscriptWriteError(path: path, message: String(cString: strerror(code)))
      error.fileExists = code == EEXIST
      throw error
    }
    unlink(temporary)
    Self.syncDirectory(of: path)
  }

  /// Opens an existing, verified transcript to append after its last good line.
  ///
  /// A signed transcript is continued only with its own key (`signer`), an unsigned one only
  /// unsigned: a transcript is signed throughout or not at all.
  public init(
    appendingTo path: String, after reading: TranscriptReading, signer: TranscriptSigner? = nil
  ) throws {
    self.path = path
    if let key = reading.header.signingKey {
      guard let signer, signer.publicKey == key else {
        throw TranscriptWriteError(
          path: path,
          message: "the transcript is signed by \(key); it can be continued only with that key"
            + (signer.map { " (this position's key is \($0.publicKey))" } ?? " (no key here)"))
      }
      self.signer = signer
    } else {
      self.signer = nil
    }
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
    goodLength = reading.goodLength
    fileCalls = .system
  }

  deinit { close(descriptor) }

  /// Appends one event and waits until it is on disk; when it throws, the event is not in the
  /// file.
  ///
  /// `prompt` is the number of the prompt an answer was given to (nil when volunteered).
  public func append(_ event: SessionEvent, at: Double, wall: Date, prompt: Int? = nil) throws {
    let entry = Transcript.Entry(sequence: nextSequence, at: at, event: event, prompt: prompt)
    let (line, hash) = Transcript.eventLine(
      entry, wall: wall, previous: lastHash, signer: signer)
    try write(line)
    lastHash = hash
    nextSequence += 1
  }

  /// Writes a whole line and syncs it; on failure cuts the file back to its last good line.
  private func write(_ line: String) throws {
    if let damage {
      throw TranscriptWriteError(path: path, message: damage)
    }
    let bytes = Array(line.utf8)
    var written = 0
    while written < bytes.count {
      let result = bytes[written...].withUnsafeBytes { buffer in
        fileCalls.write(descriptor, buffer)
      }
      if result < 0 {
        if errno == EINTR { continue }
        throw failure(String(cString: strerror(errno)))
      }
      written += result
    }
    guard fileCalls.sync(descriptor) == 0 else {
      throw failure("fsync: " + String(cString: strerror(errno)))
    }
    goodLength += bytes.count
  }

  /// The error for a failed append, after cutting off whatever part of the line reached the
  /// file.
  private func failure(_ message: String) -> TranscriptWriteError {
    guard ftruncate(descriptor, off_t(goodLength)) == 0 else {
      let problem =
        "the transcript may end in a partial line that could not be removed ("
        + String(cString: strerror(errno)) + "); the call cannot be recorded further"
      damage = problem
      return TranscriptWriteError(path: path, message: "\(message); \(problem)")
    }
    // Best effort: the cut is made durable by the next successful sync if not by this one.
    _ = fileCalls.sync(descriptor)
    return TranscriptWriteError(path: path, message: message)
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
