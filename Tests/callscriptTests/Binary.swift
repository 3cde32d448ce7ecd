import Foundation
import Testing

/// The built `callscript` binary and ways to run it.
enum Binary {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The binary built next to the running tests.
  static let url: URL? = {
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL {
      var folder = executable.deletingLastPathComponent()
      for _ in 0..<4 {
        candidates.append(folder.appendingPathComponent("callscript"))
        folder = folder.deletingLastPathComponent()
      }
    }
    candidates.append(
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("callscript"))
    candidates.append(repository.appendingPathComponent(".build/debug/callscript"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The environment the binary runs in: the tests' own, with a configuration folder that
  /// holds no signing key unless `config` names one, so no test signs by accident.
  static func environment(config: URL? = nil) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_CONFIG_HOME"] = config?.path ?? "/nonexistent/callscript-tests-config"
    return environment
  }

  /// Runs the binary to completion with `input` on standard input; `config` is the
  /// XDG_CONFIG_HOME it runs with (where its signing key is); `overrides` replace variables
  /// of its environment (`PATH`).
  static func run(
    _ arguments: [String], input: Data = Data(), in folder: URL? = nil, config: URL? = nil,
    overrides: [String: String] = [:]
  ) throws -> Output {
    let binary = try #require(url, "build the callscript binary first")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? repository
    process.environment = environment(config: config).merging(overrides) { $1 }
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Write on another thread so a large input cannot deadlock against a full output pipe.
    let writer = Thread {
      stdin.fileHandleForWriting.write(input)
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  /// A fresh temporary folder.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "callscript-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
