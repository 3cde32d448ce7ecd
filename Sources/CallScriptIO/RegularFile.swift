import CallScript
import Foundation

/// Reads whole files with a single open and `read(2)` calls, refusing what is not a regular
/// file.
public enum RegularFile {
  /// A file's bytes, read with a single open and read calls; nil when it cannot be read.
  public static func contents(of path: String) -> Data? {
    try? bytes(at: path).get()
  }

  /// A regular file's bytes, or why they cannot be had.
  ///
  /// Opened without blocking, so a FIFO or a device named like a transcript is refused at once
  /// ("not a regular file") instead of waiting forever for a writer.
  public static func bytes(at path: String) -> Result<Data, TranscriptProblem> {
    func problem(_ message: String) -> Result<Data, TranscriptProblem> {
      .failure(TranscriptProblem(line: 0, message: message))
    }
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return problem("cannot be read") }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return problem("cannot be read") }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFIFO: return problem("not a regular file (a FIFO): skipped")
    case S_IFDIR: return problem("a folder, not a file: skipped")
    default: return problem("not a regular file (a device or socket): skipped")
    }
    var data = Data(count: Int(status.st_size))
    var filled = 0
    let complete = data.withUnsafeMutableBytes { buffer -> Bool in
      guard let base = buffer.baseAddress else { return true }
      while filled < buffer.count {
        let count = read(descriptor, base + filled, buffer.count - filled)
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return count == 0 }
        filled += count
      }
      return true
    }
    guard complete else { return problem("cannot be read") }
    // A file that shrank while being read: keep what was there.
    if filled < data.count { data.removeSubrange(filled...) }
    return .success(data)
  }
}
