import Foundation
import Testing

@testable import CallScript

/// `include:` of shared blocks: merged in order, linted across files with each finding in its
/// own file, cycles and missing files named, and the whole pinned by one bundle.
@Suite("Protocol includes")
struct IncludeTests {
  /// The minimal protocol with its `attackers` question moved to `shared/attackers.yaml`.
  static let main: String = {
    let text = (try? Fixtures.text("valid-minimal.yaml")) ?? ""
    let question = """
        - id: attackers
          label: Attackers
          ask: How many attackers?
          kind: count
          priority: 80
          ask_if: attack = shooting
          fills: suspect.count

      """
    return "include: [shared/attackers.yaml]\n" + text.replacingOccurrences(of: question, with: "")
  }()

  static let shared = """
    # Shared by every protocol.
    questions:
      - id: attackers
        label: Attackers
        ask: How many attackers?
        kind: count
        priority: 80
        ask_if: attack = shooting
        fills: suspect.count

    """

  /// Compiles `main` as `p/main.yaml` with `files` (by name as the reader is asked for them).
  static func compile(
    _ main: String = IncludeTests.main, files: [String: String], archived: Bool = false
  ) -> CompileResult {
    ProtocolCompiler.compile(
      data: Data(main.utf8), file: "p/main.yaml", archived: archived,
      read: { files[$0].map { Data($0.utf8) } })
  }

  static func rendered(_ result: CompileResult) -> [String] {
    result.diagnostics.map(\.rendered)
  }

  @Test("included questions come first and compile with the protocol")
  func merged() throws {
    let result = Self.compile(files: ["p/shared/attackers.yaml": Self.shared])
    #expect(result.diagnostics.isEmpty, "\(Self.rendered(result))")
    let compiled = try #require(result.protocolValue)
    #expect(compiled.questions.map(\.id) == ["attackers", "location", "attack"])
    #expect(compiled.questions[0].position == SourcePosition(line: 3, column: 5, source: 1))
    #expect(compiled.relays.map(\.id) == ["count"])
  }

  @Test("a finding in an included file names that file, line and column")
  func findingsInTheirFile() throws {
    let broken =
      Self.shared.replacingOccurrences(of: "attack = shooting", with: "atack = shooting")
      + "relays:\n  - id: attack_kind\n    when: known(attack)\n    text: \"Attack: {atack}\"\n"
    let result = Self.compile(files: ["p/shared/attackers.yaml": broken])
    #expect(
      Self.rendered(result) == [
        "p/shared/attackers.yaml:8:13: error[CS104]: unknown name 'atack' in 'ask_if' of "
          + "question 'attackers'; did you mean 'attack'?",
        "p/shared/attackers.yaml:13:21: error[CS116]: unknown name 'atack' in 'text' of relay "
          + "'attack_kind'; did you mean 'attack'?",
      ])
    // The same id in the including file points back at the first definition's file.
    let twice = Self.main.replacingOccurrences(of: "  - id: attack\n", with: "  - id: attackers\n")
    #expect(
      Self.rendered(Self.compile(twice, files: ["p/shared/attackers.yaml": Self.shared])).first
        == "p/main.yaml:18:9: error[CS103]: duplicate question id 'attackers'; first defined at "
        + "line 3 of p/shared/attackers.yaml")
  }

  @Test("a missing file, a cycle, a file named twice, a key an included file cannot hold")
  func problems() throws {
    #expect(
      Self.rendered(Self.compile(files: [:])) == [
        "p/main.yaml:1:11: error[CS136]: cannot read included file 'p/shared/attackers.yaml': no "
          + "such file, or not readable; a path is relative to the file that names it"
      ])
    let cycle = Self.shared + "include: [../main.yaml]\n"
    #expect(
      Self.rendered(Self.compile(files: ["p/shared/attackers.yaml": cycle])) == [
        "p/shared/attackers.yaml:10:11: error[CS136]: included file 'p/main.yaml' forms a cycle: "
          + "'p/main.yaml' -> 'p/shared/attackers.yaml' -> 'p/main.yaml'"
      ])
    let twice = Self.main.replacingOccurrences(
      of: "include: [shared/attackers.yaml]",
      with: "include: [shared/attackers.yaml, ./shared/attackers.yaml]")
    #expect(
      Self.rendered(Self.compile(twice, files: ["p/shared/attackers.yaml": Self.shared])) == [
        "p/main.yaml:1:34: error[CS136]: 'p/shared/attackers.yaml' is already read (line 1); "
          + "name each file once"
      ])
    let whole =
      "protocol:\n  id: x\n" + Self.shared.replacingOccurrences(of: "questions", with: "question")
    #expect(
      Self.rendered(Self.compile(files: ["p/shared/attackers.yaml": whole])) == [
        "p/shared/attackers.yaml:1:1: error[CS101]: unknown key 'protocol' in included file "
          + "'p/shared/attackers.yaml': an included file holds only 'questions', 'derived', "
          + "'instructions', 'relays', 'verifications'",
        "p/shared/attackers.yaml:4:1: error[CS101]: unknown key 'question' in included file "
          + "'p/shared/attackers.yaml': an included file holds only 'questions', 'derived', "
          + "'instructions', 'relays', 'verifications'; did you mean 'questions'?",
      ])
    let scalar = Self.main.replacingOccurrences(
      of: "include: [shared/attackers.yaml]", with: "include: shared/attackers.yaml")
    #expect(
      Self.rendered(Self.compile(scalar, files: ["p/shared/attackers.yaml": Self.shared])) == [
        "p/main.yaml:1:10: error[CS105]: 'include' must be a list of files, such as "
          + "[shared/caller-basics.yaml], found text"
      ])
    // Compiled without a reader (an archived copy that is not a bundle): said so.
    let blind = ProtocolCompiler.compile(text: Self.main, file: "p/main.yaml", archived: true)
    #expect(
      blind.diagnostics.map(\.message) == [
        "cannot read included file 'p/shared/attackers.yaml': no such file, or not readable "
          + "(this protocol is compiled without access to files)"
      ])
  }

  @Test("a nested include is found relative to the file that names it")
  func nested() throws {
    let outer = "include: [more/attackers.yaml]\n"
    let result = Self.compile(files: [
      "p/shared/attackers.yaml": outer, "p/shared/more/attackers.yaml": Self.shared,
    ])
    #expect(result.diagnostics.isEmpty, "\(Self.rendered(result))")
    #expect(result.protocolValue?.questions.first?.id == "attackers")
  }

  @Test("the bundle pins every file read and compiles alone to the same protocol")
  func bundle() throws {
    let result = Self.compile(files: ["p/shared/attackers.yaml": Self.shared])
    let bundle = String(decoding: result.source, as: UTF8.self)
    #expect(bundle.hasPrefix(Self.main))
    #expect(bundle.contains("\n# callscript-bundle/1: "))
    #expect(bundle.contains("\n# file: shared/attackers.yaml\n#| # Shared by every protocol.\n"))
    // Compiled from the bundle alone: nothing read, the same protocol, the same bytes to hash.
    let alone = ProtocolCompiler.compile(data: result.source, file: "archive.yaml", archived: true)
    #expect(alone.diagnostics.isEmpty, "\(alone.diagnostics.map(\.rendered))")
    #expect(alone.source == result.source)
    #expect(alone.protocolValue?.questions == result.protocolValue?.questions)
    // A changed included file changes the bundle, so the hash a transcript records.
    let changed = Self.compile(
      files: ["p/shared/attackers.yaml": Self.shared.replacingOccurrences(of: "80", with: "81")])
    #expect(Transcript.sha256(changed.source) != Transcript.sha256(result.source))
    // A protocol that reads no other file is pinned by its own bytes, as before.
    let plain = try Fixtures.data("valid-minimal.yaml")
    #expect(ProtocolCompiler.compile(data: plain, file: "v.yaml").source == plain)
    // A damaged trailer is refused with its line.
    let damaged = bundle.replacingOccurrences(of: "#| # Shared", with: "# Shared")
    let refused = ProtocolCompiler.compile(text: damaged, file: "archive.yaml", archived: true)
    #expect(refused.protocolValue == nil)
    #expect(refused.diagnostics.map(\.code) == [.notAProtocol])
    #expect(refused.diagnostics.first?.position.line == Self.main.split(separator: "\n").count + 3)
  }

  @Test("the shipped bomb-threat protocol includes the shared callback question")
  func shipped() throws {
    let folder = Fixtures.repository.appendingPathComponent("protocols")
    let data = try Data(contentsOf: folder.appendingPathComponent("bomb-threat.yaml"))
    let result = ProtocolCompiler.compile(data: data, file: "protocols/bomb-threat.yaml") {
      try? Data(contentsOf: Fixtures.repository.appendingPathComponent($0))
    }
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    #expect(result.protocolValue?.questions.first?.id == "callback")
    #expect(result.source != data)
  }
}
