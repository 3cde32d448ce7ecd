import Foundation

/// Measures `callscript take` from process start to the first prompt on screen.
enum Startup {
  /// The `callscript` binary built next to this benchmark.
  static var binary: URL? {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let candidate = here.deletingLastPathComponent().appendingPathComponent("callscript")
    return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
  }

  /// Milliseconds from launching `take --io jsonl` until its first `question` line arrives.
  static func measure(binary: URL, folder: URL) -> Double? {
    let process = Process()
    process.executableURL = binary
    process.arguments = [
      "take", "--io", "jsonl", "--clock", "simulated", "--call-id",
      "startup-\(UUID().uuidString.prefix(8))",
    ]
    process.currentDirectoryURL = folder
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    let clock = ContinuousClock()
    let start = clock.now
    do { try process.run() } catch { return nil }
    var buffer = Data()
    var elapsed: Double?
    while elapsed == nil {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      buffer += chunk
      if String(decoding: buffer, as: UTF8.self).contains(#""type":"question""#) {
        let (seconds, attoseconds) = (clock.now - start).components
        elapsed = Double(seconds) * 1000 + Double(attoseconds) / 1e15
      }
    }
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    return elapsed
  }
}
