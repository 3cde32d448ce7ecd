import Foundation
import Testing

@testable import CallScript

/// An agency's override file: resource names, plans and wording changed without a copy of the
/// protocol, every id checked against it, every finding in the file that has it.
@Suite("Agency override files")
struct OverrideFileTests {
  static let base: String = (try? Fixtures.text("valid-minimal.yaml")) ?? ""

  /// Compiles an override file `agency/metro.yaml` of the minimal protocol `base.yaml`.
  static func compile(_ override: String) -> CompileResult {
    ProtocolCompiler.compile(
      data: Data(override.utf8), file: "agency/metro.yaml",
      read: { $0 == "base.yaml" ? Data(base.utf8) : nil })
  }

  static func rendered(_ override: String) -> [String] {
    compile(override).diagnostics.map(\.rendered)
  }

  @Test("resources, plans and wording change; everything else is the protocol")
  func applied() throws {
    let result = Self.compile(
      """
      overrides: ../base.yaml
      agency: Metro 911
      resources:
        patrol: Metro PD patrol, all districts
      plans:
        AA-9: [patrol, ems_staging]
      questions:
        location:
          ask: Metro 911, what is the address of the emergency?
          hint: Cross streets help.
      instructions:
        hide:
          say: Stay hidden, lock the door and silence your phone.
      relays:
        count:
          text: "Metro: {attackers} attackers"
      verifications:
        attack_exists:
          evidence: Reported by one caller to Metro 911

      """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    let changed = try #require(result.protocolValue)
    let original = try #require(
      ProtocolCompiler.compile(text: Self.base, file: "base.yaml").protocolValue)
    #expect(
      changed.resources.first { $0.id == "patrol" }?.label == "Metro PD patrol, all districts")
    #expect(
      changed.determinants.map(\.plan) == [["patrol", "ems_staging"], ["patrol", "ems_staging"]])
    #expect(changed.questions[0].ask.text() == "Metro 911, what is the address of the emergency?")
    #expect(changed.questions[0].hint?.text() == "Cross streets help.")
    #expect(
      changed.instructions[0].say.text() == "Stay hidden, lock the door and silence your phone.")
    #expect(changed.relays[0].text != original.relays[0].text)
    #expect(changed.verifications[0].confirm == original.verifications[0].confirm)
    #expect(changed.verifications[0].evidence != original.verifications[0].evidence)
    #expect(changed.id == original.id && changed.version == original.version)
    #expect(changed.questions.map(\.id) == original.questions.map(\.id))
    // Pinned: the override file with the protocol it changes in one bundle.
    let bundle = String(decoding: result.source, as: UTF8.self)
    #expect(bundle.hasPrefix("overrides: ../base.yaml\n"))
    #expect(bundle.contains("\n# file: ../base.yaml\n#| protocol:\n"))
    let alone = ProtocolCompiler.compile(data: result.source, file: "archive.yaml", archived: true)
    #expect(alone.protocolValue?.relays == changed.relays)
  }

  @Test("every id is checked against the protocol, with a did-you-mean where it is written")
  func unknownIDs() throws {
    #expect(
      Self.rendered(
        """
        overrides: ../base.yaml
        agnecy: Metro 911
        resources:
          patrl: Metro PD
        plans:
          AA-2: [patrol]
          AA-1: [patrol, swat]
        questions:
          locaton:
            ask: Where?
          location:
            asks: Where?
        instructions:
          hid:
            say: Hide.
        relays:
          count:
            text: "{attacker} attackers"
        verifications:
          attack_exist:
            confirm: Confirm it

        """) == [
          "agency/metro.yaml:2:1: error[CS101]: unknown key 'agnecy' in an override file; did you "
            + "mean 'agency'?",
          "agency/metro.yaml:4:3: error[CS104]: unknown resource 'patrl' in the override file; did "
            + "you mean 'patrol'?",
          "agency/metro.yaml:6:3: error[CS104]: unknown determinant code 'AA-2' in 'plans' of the "
            + "override file; did you mean 'AA-1'?",
          "agency/metro.yaml:7:18: error[CS104]: unknown resource 'swat' in plan of 'AA-1'",
          "agency/metro.yaml:9:3: error[CS104]: unknown question 'locaton' in the override file; "
            + "did you mean 'location'?",
          "agency/metro.yaml:12:5: error[CS101]: 'asks' of question 'location' cannot be "
            + "overridden: an agency may change 'ask', 'label', 'hint'; did you mean 'ask'?",
          "agency/metro.yaml:14:3: error[CS104]: unknown instruction 'hid' in the override file; "
            + "did you mean 'hide'?",
          "agency/metro.yaml:18:13: error[CS116]: unknown name 'attacker' in 'text' of relay "
            + "'count'; did you mean 'attackers'?",
          "agency/metro.yaml:20:3: error[CS104]: unknown verification 'attack_exist' in the "
            + "override file; did you mean 'attack_exists'?",
        ])
  }

  @Test("the protocol named must be readable, a protocol, and not itself an override file")
  func base() throws {
    #expect(
      Self.rendered("overrides: ../other.yaml\n") == [
        "agency/metro.yaml:1:12: error[CS136]: cannot read overridden protocol 'other.yaml': no "
          + "such file, or not readable; a path is relative to the file that names it"
      ])
    #expect(
      Self.rendered("overrides: [../base.yaml]\n") == [
        "agency/metro.yaml:1:12: error[CS105]: 'overrides' names the protocol file this file "
          + "changes, found a list"
      ])
    let chained = ProtocolCompiler.compile(
      data: Data("overrides: ../base.yaml\n".utf8), file: "agency/metro.yaml",
      read: { $0 == "base.yaml" ? Data("overrides: agency/metro.yaml\n".utf8) : nil })
    #expect(
      chained.diagnostics.map(\.rendered) == [
        "base.yaml:1:1: error[CS136]: 'base.yaml' is itself an override file; an override file "
          + "names the protocol it changes, not another override file"
      ])
  }

  @Test("the shipped Metro 911 override of the bomb-threat protocol is clean under --strict")
  func shipped() throws {
    let file = "protocols/agencies/metro-bomb-threat.yaml"
    let data = try Data(contentsOf: Fixtures.repository.appendingPathComponent(file))
    let result = ProtocolCompiler.compile(data: data, file: file) {
      try? Data(contentsOf: Fixtures.repository.appendingPathComponent($0))
    }
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    let compiled = try #require(result.protocolValue)
    #expect(compiled.id == "bomb-threat")
    #expect(
      compiled.determinants.first { $0.code == "BT-3" }?.plan.contains("investigators") == true)
    // The bundle holds the override, the protocol and the file the protocol includes.
    let bundle = String(decoding: result.source, as: UTF8.self)
    #expect(bundle.contains("\n# file: ../bomb-threat.yaml\n"))
    #expect(bundle.contains("\n# file: ../shared/caller-basics.yaml\n"))
  }
}
