import Foundation
import Testing

@testable import CallScript

/// Runs the team's EIDO validator (`../shared/tools/validate-eido --strict`) on documents.
enum RecordsValidator {
  /// The repository root, found from this file.
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let tool = repository.deletingLastPathComponent()
    .appendingPathComponent("shared/tools/validate-eido")

  /// python3 on the PATH, or nil.
  static var python: URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("python3")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  static var isAvailable: Bool {
    python != nil && FileManager.default.fileExists(atPath: tool.path)
  }

  /// Runs a command; returns its exit status and its output and errors together.
  static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A fresh temporary folder.
  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("callscript-eido-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// The JSON example of docs/records.md: the fenced block after the line `<!-- example -->`.
  static func documentedExample() throws -> Data {
    let text = try String(
      contentsOf: repository.appendingPathComponent("docs/records.md"), encoding: .utf8)
    let marker = try #require(text.range(of: "<!-- example -->"))
    let afterMarker = text[marker.upperBound...]
    let open = try #require(afterMarker.range(of: "```json\n"))
    let close = try #require(afterMarker[open.upperBound...].range(of: "\n```"))
    return Data(afterMarker[open.upperBound..<close.lowerBound].utf8)
  }

  /// The record shown in docs/records.md: the school call once the attacker has barricaded.
  static func exampleRecord() throws -> (RecordsTestCall, RecordSnapshot) {
    let call = try RecordsTestCall.schoolShooting(ending: false)
    return (call, try #require(call.last))
  }
}

@Suite("Records: documents pass the EIDO validator")
struct RecordsValidatorTests {
  @Test(
    "every record of several calls, and the documented example, pass validate-eido --strict",
    .enabled(
      if: RecordsValidator.isAvailable,
      "python3 or ../shared/tools/validate-eido not found; the validator test is skipped"))
  func validate() throws {
    let modules = try RecordsValidator.run([
      "python3", "-c", "import yaml, jsonschema, referencing, openapi_schema_validator",
    ])
    try #require(
      modules.status == 0,
      """
      the EIDO validator needs Python packages: \
      pip install PyYAML jsonschema referencing openapi-schema-validator
      \(modules.output)
      """)
    let folder = try RecordsValidator.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [String] = []
    var count = 0
    // Whole calls as record streams (one record event per line, as `--io jsonl` writes them).
    var calls = [try RecordsTestCall.schoolShooting()]
    for kind in ["stabbing", "vehicle", "explosion", "fire", "shots_heard", "other"] {
      calls.append(try RecordsTestCall.dispatched(kind: kind))
    }
    var heardOnly = try RecordsTestCall.dispatched(kind: "shots_heard")
    try heardOnly.answer("seen_more", .yesNo(false))
    try heardOnly.apply(.disconnect)
    calls.append(heardOnly)
    for (index, call) in calls.enumerated() {
      var lines = ""
      for record in call.records {
        lines += "{\"type\":\"record\",\"seq\":\(record.sequence),\"eido\":"
        lines += String(decoding: call.json(record), as: UTF8.self) + "}\n"
        count += 1
      }
      let file = folder.appendingPathComponent("call\(index).jsonl")
      try lines.write(to: file, atomically: true, encoding: .utf8)
      files.append(file.path)
    }
    // Hand-built snapshots with unknown answers, refusals and markup, one file each.
    for (index, snapshot) in RecordsSnapshots.edgeCases.enumerated() {
      let file = folder.appendingPathComponent("edge\(index).json")
      try RecordsSnapshots.json(snapshot).write(to: file)
      files.append(file.path)
      count += 1
    }
    let example = folder.appendingPathComponent("example.json")
    try RecordsValidator.documentedExample().write(to: example)
    files.append(example.path)
    count += 1
    let result = try RecordsValidator.run(
      ["python3", RecordsValidator.tool.path, "--strict", "--quiet"] + files)
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("\(count) valid, 0 invalid"), "\(result.output)")
  }

  @Test("docs/records.md shows the document the encoder makes for its example call")
  func documentedExample() throws {
    let (call, record) = try RecordsValidator.exampleRecord()
    let documented = try? JSONDecoder().decode(
      EIDODocument.self, from: RecordsValidator.documentedExample())
    let current = call.eido(record)
    if documented != current {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("callscript-records-example.json")
      try encoder.encode(current).write(to: file)
      Issue.record(
        """
        the example in docs/records.md is out of date: put the document now in \(file.path) \
        into the json block after <!-- example --> (the test's call is \
        RecordsTestCall.schoolShooting(ending: false))
        """)
    }
  }
}
