import Foundation

@testable import CallScript

/// Test fixtures on disk, found relative to this source file.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static func data(_ name: String) throws -> Data {
    try Data(contentsOf: directory.appendingPathComponent(name))
  }

  static func text(_ name: String) throws -> String {
    String(decoding: try data(name), as: UTF8.self)
  }

  /// Compiles a shipped protocol (`protocols/bomb-threat.yaml`), reading the files it names
  /// from the repository as `callscript` would.
  static func compileShipped(_ path: String) -> CompileResult {
    let data = (try? Data(contentsOf: repository.appendingPathComponent(path))) ?? Data()
    return ProtocolCompiler.compile(data: data, file: path) {
      try? Data(contentsOf: repository.appendingPathComponent($0))
    }
  }

  /// Names of the broken-protocol corpus files.
  static var brokenProtocols: [String] {
    let folder = directory.appendingPathComponent("broken")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted()
  }
}
