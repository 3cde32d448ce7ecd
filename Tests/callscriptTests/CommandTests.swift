import Foundation
import Testing

@Suite("callscript commands, end to end")
struct CommandTests {
  @Test("lint: the shipped protocol is clean; a broken one names file:line:col and exits 1")
  func lint() throws {
    let clean = try Binary.run(["lint", "--strict", "protocols/active-attack.yaml"])
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    #expect(clean.stdout == "1 file, no findings\n", "a clean lint says so")
    let broken = try Binary.run([
      "lint", "Tests/CallScriptTests/Fixtures/broken/undefined-reference.yaml",
    ])
    #expect(broken.status == 1)
    #expect(
      broken.stdout.contains(
        "undefined-reference.yaml:31:13: error[CS104]: unknown name 'atack' in 'ask_if' of "
          + "question 'attackers'; did you mean 'attack'?"))
    let json = try Binary.run([
      "lint", "--format", "json", "Tests/CallScriptTests/Fixtures/broken/undefined-reference.yaml",
    ])
    let findings = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(findings.first?["code"] as? String == "CS104")
    #expect(findings.first?["line"] as? Int == 31)
    #expect(broken.stdout.hasSuffix("1 error, 0 warnings in 1 file\n"), "the summary follows")
  }

  @Test("a scenario given to lint, or a protocol given to test, points at the right command")
  func wrongKindOfFile() throws {
    let scenario = "protocols/tests/01-school-shooting-hiding.scenario.yaml"
    let linted = try Binary.run(["lint", scenario])
    #expect(linted.status == 2)
    #expect(linted.stderr.contains("this is a scenario file, not a protocol; did you mean "))
    #expect(!linted.stdout.contains("CS101"), "no list of unknown keys")
    let tested = try Binary.run(["test", "protocols/active-attack.yaml"])
    #expect(tested.status != 0)
    #expect(tested.stderr.contains("this is a protocol, not a scenario file; did you mean "))
    #expect(!tested.stderr.contains("unknown key"))
  }

  @Test("usage errors and unreadable input exit 2")
  func usage() throws {
    #expect(try Binary.run(["lint", "no/such/file.yaml"]).status == 2)
    #expect(try Binary.run(["lint"]).status == 2)
    #expect(try Binary.run(["frobnicate"]).status == 2)
    #expect(try Binary.run(["take", "--clock", "sundial"]).status == 2)
    #expect(try Binary.run(["verify", "no/such.jsonl"]).status == 2)
  }

  @Test("graph: the call flow in DOT and Mermaid, with conditions on the arrows and a legend")
  func graph() throws {
    let dot = try Binary.run(["graph", "protocols/active-attack.yaml"])
    #expect(dot.status == 0)
    #expect(dot.stdout.hasPrefix("digraph protocol {"))
    #expect(dot.stdout.contains("rankdir=TB;"))
    #expect(dot.stdout.contains("q_location -> dp_first_dispatch [label=\"known(location)\""))
    #expect(dot.stdout.contains("subgraph cluster_legend {"))
    #expect(dot.stdout.hasSuffix("}\n"))
    let mermaid = try Binary.run(["graph", "--format", "mermaid", "protocols/active-attack.yaml"])
    #expect(mermaid.stdout.contains("\nflowchart TB\n"))
    let full = try Binary.run(["graph", "--view", "full", "protocols/active-attack.yaml"])
    #expect(full.stdout.contains("shape=note"), "instructions are drawn in the full view")
    #expect(!dot.stdout.contains("shape=note"))
  }

  static let hasGraphviz = ProcessInfo.processInfo.environment["PATH", default: ""]
    .split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/dot")
    }

  @Test(
    "graph --format svg renders with Graphviz",
    .enabled(if: hasGraphviz, "Graphviz's dot is not installed (apt-get install graphviz)"))
  func graphSVG() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("flow.svg")
    let svg = try Binary.run([
      "graph", "--format", "svg", "protocols/active-attack.yaml", "--output", file.path,
    ])
    #expect(svg.status == 0, "\(svg.stderr)")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains("<svg"))
    #expect(text.contains("DISPATCH POINT: first_dispatch"))
  }

  @Test("graph --format svg without Graphviz says how to get it and exits 2")
  func graphSVGWithoutGraphviz() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try Binary.run(
      ["graph", "--format", "svg", "protocols/active-attack.yaml"],
      overrides: ["PATH": folder.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--format svg needs Graphviz's 'dot' program"))
    #expect(result.stderr.contains("--format dot"))
    #expect(result.stdout.isEmpty)
  }

  @Test("test: the shipped scenarios pass with full determinant coverage")
  func scenarios() throws {
    let result = try Binary.run(["test", "--coverage"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("passed, 0 failed"))
    let rows = result.stdout.split(separator: "\n").first { $0.contains("determinant rows:") }
    let figures = rows?.split(separator: " ").last?.split(separator: "/")
    #expect(figures?.count == 2 && figures?.first == figures?.last)
  }

  @Test("test: a failing scenario prints the step, the expected and the actual, and exits 1")
  func failingScenario() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("wrong.scenario.yaml")
    try """
    scenario: expects the wrong first question
    steps:
      - ask: callback
        answer: 1 Main St
    """.write(to: file, atomically: true, encoding: .utf8)
    let result = try Binary.run(["test", file.path])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(
        "step 1: expected question 'callback' on screen, found 'location'"))
  }

  @Test("review --output refuses a symbolic link and leaves its target alone")
  func reviewOutputRefusesLinks() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("report.json")
    let link = folder.appendingPathComponent("link.json")
    try Data("old".utf8).write(to: target)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    let result = try Binary.run([
      "review", "transcripts/01-school-shooting-hiding.jsonl", "--format", "json", "--output",
      link.path,
    ])
    #expect(result.status == 2)
    #expect(result.stderr.contains("symbolic link"))
    #expect(try String(contentsOf: target, encoding: .utf8) == "old")
  }

  @Test("review --output: a report 0600 put in place whole, replacing the old one; no temp left")
  func reviewOutputAtomic() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = folder.appendingPathComponent("report.html")
    try Data("old".utf8).write(to: report)
    let result = try Binary.run([
      "review", "transcripts/01-school-shooting-hiding.jsonl", "--format", "html", "--output",
      report.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let attributes = try FileManager.default.attributesOfItem(atPath: report.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    #expect(try String(contentsOf: report, encoding: .utf8).hasSuffix("</html>\n"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.html"])
    let null = try Binary.run([
      "review", "transcripts/01-school-shooting-hiding.jsonl", "--output", "/dev/null",
    ])
    #expect(null.status == 0, "\(null.stderr)")
  }

  @Test("review DIR skips a FIFO named *.jsonl with a reason instead of waiting on it")
  func reviewSkipsFIFO() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: Binary.repository.appendingPathComponent("transcripts/01-school-shooting-hiding.jsonl"),
      to: folder.appendingPathComponent("01-school-shooting-hiding.jsonl"))
    try FileManager.default.copyItem(
      at: Binary.repository.appendingPathComponent("transcripts/protocols"),
      to: folder.appendingPathComponent("protocols"))
    #expect(mkfifo(folder.appendingPathComponent("fifo.jsonl").path, 0o600) == 0)
    let result = try Binary.run(["review", folder.path])
    // A FIFO is not a transcript: unreadable input (2), the rest still reviewed.
    #expect(result.status == 2)
    #expect(result.stdout.contains("1 call reviewed, 1 skipped"), "\(result.stdout)")
    #expect(result.stdout.contains("fifo.jsonl: not a regular file (a FIFO)"))
  }

  @Test("review: calls on archived versions without facts are scored on the later version given")
  func reviewArchivedCalls() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fixtures = Binary.repository.appendingPathComponent(
      "Tests/CallScriptTests/Fixtures/archived-calls")
    for name in ["01-school-shooting-hiding.jsonl", "bomb-02-backpack-at-school.jsonl"] {
      try FileManager.default.copyItem(
        at: fixtures.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    try FileManager.default.copyItem(
      at: Binary.repository.appendingPathComponent("transcripts/protocols"),
      to: folder.appendingPathComponent("protocols"))
    // active-attack 2.1.0 takes the built-in version's facts; bomb-threat 1.1.0 has no
    // counterpart (the bomb-threat protocol is not given), so it stays generic.
    let plain = try Binary.run(["review", folder.path], in: folder)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(
      plain.stdout.contains(
        "facts: none declared by active-attack 2.1.0; scored on those of active-attack 2.3.0: "
          + "location, attack_confirmed, attacker_location, attacker_count, weapons, victims, "
          + "secondary_threats, officer_on_scene\n"), "\(plain.stdout)")
    #expect(plain.stdout.contains("attacker location  0:45    0:45    0 s      record, relay"))
    #expect(
      plain.stdout.contains(
        "facts: none declared by bomb-threat 1.1.0 (no 'review' section): generic metrics only"))
    #expect(plain.stdout.contains("(generic metrics only): 1"))
    // Given the bomb-threat protocol, its facts are taken too.
    let given = try Binary.run(
      [
        "review", folder.path, "--format", "json", "--protocol",
        Binary.repository.appendingPathComponent("protocols/bomb-threat.yaml").path,
      ], in: folder)
    #expect(given.status == 0, "\(given.stderr)")
    #expect(given.stdout.contains("\"no_facts_declared\":0"))
    #expect(
      given.stdout.contains(
        "\"facts_from\":{\"facts\":[\"location\",\"report_kind\",\"device_location\","))
    #expect(given.stdout.contains("\"left_out\":[],\"version\":\"1.3.0\"}"))
  }
  @Test("a file where a folder is expected, and the reverse: one line and exit 2, never a dump")
  func folderFileSwapped() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let example = "01-school-shooting-hiding.jsonl"
    try FileManager.default.copyItem(
      at: Binary.repository.appendingPathComponent("transcripts/\(example)"),
      to: folder.appendingPathComponent(example))
    try Data("x\n".utf8).write(to: folder.appendingPathComponent("file"))
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("dir.yaml"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("dir.jsonl"), withIntermediateDirectories: true)
    let scenario = Binary.repository.appendingPathComponent(
      "protocols/tests/01-school-shooting-hiding.scenario.yaml"
    ).path
    let cases: [([String], String)] = [
      (["take", "--io", "plain", "--transcripts", "file"], "file: is a file, expected a folder"),
      (["test", scenario, "--transcripts", "file"], "file: is a file, expected a folder"),
      (["incidents", "rebuild", "--from", "file", "--store", "s.sqlite"], "expected a folder"),
      (["incidents", "rebuild", "--from", "none", "--store", "s.sqlite"], "no such folder"),
      (["replay", example, "--records", "file"], "file: is a file, expected a folder"),
      (["replay", example, "--write-records", "file"], "file: is a file, expected a folder"),
      (["replay", example, "--protocol", "dir.yaml"], "dir.yaml: is a folder, expected a file"),
      (["verify", example, "--protocol", "dir.yaml"], "dir.yaml: is a folder, expected a file"),
      (["review", example, "--protocol", "dir.yaml"], "dir.yaml: is a folder, expected a file"),
      (["verify", "dir.jsonl"], "dir.jsonl: is a folder, expected a file"),
      (["replay", "dir.jsonl"], "dir.jsonl: is a folder, expected a file"),
      (["lint", "dir.yaml"], "dir.yaml: is a folder, expected a file"),
      (["graph", "dir.yaml"], "dir.yaml: is a folder, expected a file"),
      (["review", example, "--output", "dir.yaml"], "dir.yaml: is a folder, expected a file"),
      (
        ["verify", example, "--trusted-keys", "dir.yaml"], "dir.yaml: is a folder, expected a file"
      ),
      (
        ["take", "--io", "plain", "--resume", "dir.jsonl"],
        "dir.jsonl: is a folder, expected a file"
      ),
    ]
    for (arguments, message) in cases {
      let result = try Binary.run(arguments, in: folder)
      #expect(result.status == 2, "\(arguments): \(result)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(!(result.stdout + result.stderr).contains("NSCocoaErrorDomain"), "\(arguments)")
      #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
    }
  }

  @Test("verify, replay and review: a file that is not a transcript is 2, a broken one 1")
  func notATranscript() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let example = "01-school-shooting-hiding.jsonl"
    let good = try Data(
      contentsOf: Binary.repository.appendingPathComponent("transcripts/\(example)"))
    var broken = good
    broken[broken.count / 2] ^= 0x01
    let files: [(String, Data, Int32)] = [
      ("empty.jsonl", Data(), 2), ("text.jsonl", Data("hello\n".utf8), 2),
      ("json.jsonl", Data("{\"type\":\"other\"}\n".utf8), 2),
      ("binary.jsonl", Data([0, 1, 2, 0xFF, 0x0A]), 2), (example, broken, 1),
    ]
    for (name, data, status) in files {
      let sub = folder.appendingPathComponent(name + ".d")
      try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
      try data.write(to: sub.appendingPathComponent(name))
      for command in ["verify", "replay", "review"] {
        let result = try Binary.run([command, "\(name).d/\(name)"], in: folder)
        #expect(result.status == status, "\(command) \(name): \(result)")
      }
      // review of the folder holding it agrees
      #expect(try Binary.run(["review", "\(name).d"], in: folder).status == status, "\(name)")
    }
  }

  @Test("replay --write-records: a record that cannot be written is said and exits 1")
  func replayWriteFailure() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let example = "01-school-shooting-hiding.jsonl"
    try FileManager.default.copyItem(
      at: Binary.repository.appendingPathComponent("transcripts/\(example)"),
      to: folder.appendingPathComponent(example))
    // A folder where record #2 goes: that one write fails, the others are written.
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("out/01-school-shooting-hiding/2.json"),
      withIntermediateDirectories: true)
    let result = try Binary.run(["replay", example, "--write-records", "out"], in: folder)
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.contains("ERROR cannot write record #2"), "\(result.stdout)")
    #expect(result.stderr.contains("1 record(s) could not be written"), "\(result.stderr)")
    #expect(
      FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("out/01-school-shooting-hiding/3.json").path))
  }
}
