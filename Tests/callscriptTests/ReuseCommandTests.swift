import Foundation
import Testing

/// `include:` and agency override files through the real commands: lint across files, calls
/// pinned to the bundle of every file they ran with, archived copies that replay after the
/// shared file changes.
@Suite("callscript with shared files and agency overrides, end to end")
struct ReuseCommandTests {
  /// A copy of the bomb-threat protocol, its shared file, the Metro override and its scenario.
  static func workspace() throws -> URL {
    let folder = try Binary.temporaryFolder()
    let protocols = folder.appendingPathComponent("protocols")
    for sub in ["shared", "agencies", "tests"] {
      try FileManager.default.createDirectory(
        at: protocols.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    for file in [
      "bomb-threat.yaml", "shared/caller-basics.yaml", "agencies/metro-bomb-threat.yaml",
      "tests/bomb-06-metro-override-backpack.scenario.yaml",
    ] {
      try FileManager.default.copyItem(
        at: Binary.repository.appendingPathComponent("protocols/\(file)"),
        to: protocols.appendingPathComponent(file))
    }
    return folder
  }

  @Test("lint names the included file's line and column; the override file is linted whole")
  func lint() throws {
    let folder = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: folder) }
    let clean = try Binary.run(
      [
        "lint", "--strict", "protocols/bomb-threat.yaml",
        "protocols/agencies/metro-bomb-threat.yaml",
      ],
      in: folder)
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    let shared = folder.appendingPathComponent("protocols/shared/caller-basics.yaml")
    let text = try String(contentsOf: shared, encoding: .utf8)
    try text.replacingOccurrences(of: "priority: 980", with: "priority: nine")
      .write(to: shared, atomically: true, encoding: .utf8)
    let broken = try Binary.run(["lint", "protocols/agencies/metro-bomb-threat.yaml"], in: folder)
    #expect(broken.status == 1)
    #expect(
      broken.stdout.contains(
        "protocols/shared/caller-basics.yaml:20:15: error[CS138]: 'priority' must be a whole "
          + "number from 0 to 1000, found 'nine'"), "\(broken.stdout)")
  }

  @Test("a call pins the bundle of its files; its archive replays after the shared file changes")
  func pinned() throws {
    let folder = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tested = try Binary.run(
      ["test", "protocols/tests", "--transcripts", "calls"], in: folder)
    #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
    let transcript = folder.appendingPathComponent(
      "calls/bomb-06-metro-override-backpack.jsonl")
    let header = try #require(
      try String(contentsOf: transcript, encoding: .utf8).split(separator: "\n").first)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
    let hash = try #require((object["protocol"] as? [String: Any])?["sha256"] as? String)
    let archived = try Data(
      contentsOf: folder.appendingPathComponent("calls/protocols/\(hash).yaml"))
    let bundle = String(decoding: archived, as: UTF8.self)
    #expect(bundle.hasPrefix("# Metro 911's changes"))
    #expect(bundle.contains("\n# file: ../bomb-threat.yaml\n"))
    #expect(bundle.contains("\n# file: ../shared/caller-basics.yaml\n"))
    // The shared file changes after the call: the call still verifies and replays against
    // what it ran with, found by its hash in the archive.
    let shared = folder.appendingPathComponent("protocols/shared/caller-basics.yaml")
    try (try String(contentsOf: shared, encoding: .utf8)).replacingOccurrences(
      of: "priority: 980", with: "priority: 981"
    ).write(to: shared, atomically: true, encoding: .utf8)
    let verified = try Binary.run(["verify", transcript.path], in: folder)
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    #expect(verified.stdout.contains("protocol hash verified"))
    let replayed = try Binary.run(["replay", transcript.path], in: folder)
    #expect(replayed.status == 0, "\(replayed.stderr)")
    #expect(replayed.stdout.contains("EOD request, suspicious item"))
    // Without the archive, today's files make another bundle: the call is not matched to them.
    try FileManager.default.removeItem(at: folder.appendingPathComponent("calls/protocols"))
    let unmatched = try Binary.run(["verify", transcript.path], in: folder)
    #expect(unmatched.status != 0)
  }
}
