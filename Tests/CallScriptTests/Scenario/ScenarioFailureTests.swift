import Foundation
import Testing

@testable import CallScript

/// One scenario that expects something the call does not do, and the failure it must get.
struct WrongExpectation: Sendable, CustomTestStringConvertible {
  /// The expectation kind it exercises, for the test's name.
  var kind: String
  /// The scenario's steps and whole-call expectations, in YAML.
  var body: String
  /// Text the failure message must contain.
  var message: String
  /// The failing step (1-based), or nil for a whole-call expectation.
  var step: Int?

  var testDescription: String { kind }
}

/// Scenarios played on the session test protocol through the public reader and runner.
enum ScenarioFixture {
  static func callProtocol() throws -> CallProtocol {
    try #require(
      ProtocolCompiler.compile(data: try Fixtures.data("session.yaml"), file: "session.yaml")
        .protocolValue)
  }

  /// Three steps that every scenario below shares: the place, a shooting (the first record,
  /// T-2), then two attackers volunteered (a warning, a relay, T-1).
  static let steps = """
    steps:
      - answer: 12 Main St
      - answer: s
      - set: attackers
        value: "2"

    """

  static func run(_ body: String) throws -> ScenarioResult {
    let text = "scenario: failure check\n" + body
    let (scenario, diagnostics) = ScenarioReader.read(
      data: Data(text.utf8), file: "check.scenario.yaml")
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
    return ScenarioRunner.run(try #require(scenario), on: try callProtocol())
  }
}

@Suite("Scenario runner: every expectation kind fails when the call does otherwise")
struct ScenarioFailureTests {
  /// Steps with one expectation added to the step `at` (1-based).
  static func step(_ at: Int, expect: String) -> String {
    let inputs = [
      "  - answer: 12 Main St\n", "  - answer: s\n", "  - set: attackers\n    value: \"2\"\n",
    ]
    var text = "steps:\n"
    for (index, input) in inputs.enumerated() {
      text += input
      if index + 1 == at { text += "    expect: \(expect)\n" }
    }
    return text
  }

  static let wrong: [WrongExpectation] = [
    WrongExpectation(
      kind: "say", body: step(1, expect: "{say: [help_coming]}"),
      message: "expected instruction 'help_coming' at this step", step: 1),
    WrongExpectation(
      kind: "not_say", body: step(2, expect: "{not_say: [hide]}"),
      message: "instruction 'hide' was given at this step but should not have been", step: 2),
    WrongExpectation(
      kind: "relay", body: step(2, expect: "{relay: [attackers]}"),
      message: "expected a relay containing 'attackers' at this step", step: 2),
    WrongExpectation(
      kind: "verify", body: step(1, expect: "{verify: [Confirm an attack]}"),
      message: "expected a verification containing 'Confirm an attack'", step: 1),
    WrongExpectation(
      kind: "record: true", body: step(1, expect: "{record: true}"),
      message: "expected a record to go out at this step, none did", step: 1),
    WrongExpectation(
      kind: "record: false", body: step(2, expect: "{record: false}"),
      message: "a record went out", step: 2),
    WrongExpectation(
      kind: "determinant", body: step(2, expect: "{determinant: T-1}"),
      message: "expected determinant 'T-1', actual 'T-2'", step: 2),
    WrongExpectation(
      kind: "warn", body: step(3, expect: "{warn: [not plausible]}"),
      message: "expected a warning containing 'not plausible'", step: 3),
    WrongExpectation(
      kind: "next", body: step(2, expect: "{next: attackers}"),
      message: "expected next question 'attackers', actual 'ongoing'", step: 2),
    WrongExpectation(
      kind: "off_route", body: step(2, expect: "{off_route: [location]}"),
      message: "expected the answer to 'location' to be off-route", step: 2),
    WrongExpectation(
      kind: "eido",
      body: step(2, expect: "{eido: {incidentComponent.incidentTypeInternalCode: T-1}}"),
      message: "expected EIDO 'incidentComponent.incidentTypeInternalCode' to contain 'T-1'",
      step: 2),
    WrongExpectation(
      kind: "eido without a record",
      body: step(1, expect: "{eido: {incidentComponent.incidentTypeInternalCode: T-9}}"),
      message: "expected an EIDO record, but none went out", step: 1),
    WrongExpectation(
      kind: "error on an accepted step", body: step(1, expect: "{error: not plausible}"),
      message: "expected an error containing 'not plausible', but the step was accepted",
      step: 1),
    WrongExpectation(
      kind: "error with other text",
      body: "steps:\n  - set: attackers\n    value: \"51\"\n    expect: {error: no such thing}\n",
      message: "expected an error containing 'no such thing', got 'Over 50 attackers", step: 1),
    WrongExpectation(
      kind: "a refused step",
      body: "steps:\n  - set: attackers\n    value: \"51\"\n",
      message: "step was refused: Over 50 attackers is not plausible", step: 1),
    WrongExpectation(
      kind: "ask",
      body: "steps:\n  - answer: 12 Main St\n  - ask: ongoing\n    answer: s\n",
      message: "expected question 'ongoing' on screen, found 'attack'", step: 2),
    WrongExpectation(
      kind: "asked", body: ScenarioFixture.steps + "expect: {asked: [location]}\n",
      message: "expected questions asked [location], actual [location, attack]"),
    WrongExpectation(
      kind: "first_record_step",
      body: ScenarioFixture.steps + "expect: {first_record_step: 1}\n",
      message: "expected the first record at step 1, actual step 2"),
    WrongExpectation(
      kind: "no_record", body: ScenarioFixture.steps + "expect: {no_record: true}\n",
      message: "expected no record, but one went out at step 2"),
    WrongExpectation(
      kind: "final determinant", body: ScenarioFixture.steps + "expect: {determinant: T-2}\n",
      message: "expected final determinant 'T-2', actual 'T-1'"),
    WrongExpectation(
      kind: "instructions",
      body: "steps:\n  - answer: 12 Main St\nexpect: {instructions: [help_coming]}\n",
      message: "expected instruction 'help_coming' to be given"),
    WrongExpectation(
      kind: "not_instructions",
      body: ScenarioFixture.steps + "expect: {not_instructions: [hide]}\n",
      message: "instruction 'hide' was given but should not have been"),
    WrongExpectation(
      kind: "relays", body: ScenarioFixture.steps + "expect: {relays: [Attacker last seen]}\n",
      message: "no relay contains 'Attacker last seen'; relays: [2 attackers]"),
    WrongExpectation(
      kind: "verifications",
      body: ScenarioFixture.steps + "expect: {verifications: [One caller reports Stabbing]}\n",
      message: "no verification contains 'One caller reports Stabbing'"),
    WrongExpectation(
      kind: "last_record",
      body: ScenarioFixture.steps + "expect: {last_record: {incident.location: Elm}}\n",
      message:
        "expected 'incident.location' to contain 'Elm' in the last record, actual '12 Main St'"),
    WrongExpectation(
      kind: "last_record absent",
      body: ScenarioFixture.steps + "expect: {last_record: {incident.location: absent}}\n",
      message: "expected 'incident.location' absent, found '12 Main St'"),
    WrongExpectation(
      kind: "last_record without a record",
      body: "steps:\n  - answer: 12 Main St\nexpect: {last_record: {incident.location: Main}}\n",
      message: "expected a record with 'incident.location', but no record went out"),
    WrongExpectation(
      kind: "last_eido",
      body: ScenarioFixture.steps
        + "expect: {last_eido: {incidentComponent.incidentTypeInternalCode: T-9}}\n",
      message: "expected EIDO 'incidentComponent.incidentTypeInternalCode' to contain 'T-9'"),
  ]

  @Test("a wrong expectation fails the scenario with its message", arguments: wrong)
  func wrongExpectationFails(_ wrong: WrongExpectation) throws {
    let result = try ScenarioFixture.run(wrong.body)
    #expect(!result.passed)
    let found = result.failures.map { "\($0.step.map(String.init) ?? "-"): \($0.message)" }
    #expect(
      result.failures.contains { $0.message.contains(wrong.message) && $0.step == wrong.step },
      "expected at step \(wrong.step.map(String.init) ?? "-"): '\(wrong.message)'; got \(found)")
    #expect(result.failures.count == 1, "\(result.failures.map(\.message))")
  }

  @Test("the same kinds of expectation, right this time, pass")
  func rightExpectationsPass() throws {
    let result = try ScenarioFixture.run(
      """
      steps:
        - ask: location
          answer: 12 Main St
          expect: {record: false, not_say: [hide], next: attack}
        - answer: s
          expect:
            record: true
            determinant: T-2
            say: [hide, help_coming]
            verify: [Confirm an attack at 12 Main St]
            next: ongoing
            eido: {incidentComponent.incidentTypeInternalCode: T-2}
        - set: attackers
          value: "2"
          expect: {warn: [Several callers], relay: [2 attackers], determinant: T-1}
        - set: attacker_location
          value: east wing
          expect: {relay: [Attacker last seen east wing]}
        - set: attackers
          value: "51"
          expect: {error: not plausible}
        - set: attack
          value: k
          expect: {off_route: [attacker_location], determinant: T-9}
      expect:
        asked: [location, attack]
        first_record_step: 2
        determinant: T-9
        instructions: [hide, help_coming]
        relays: [2 attackers, east wing]
        verifications: [One caller reports Shooting]
        last_record: {incident.location: Main St, suspect.location: absent}
        last_eido: {incidentComponent.incidentTypeInternalCode: T-9}
      """)
    #expect(result.failures.map(\.message) == [])
    #expect(result.passed)
  }

  @Test("a call with no record passes no_record")
  func noRecordPasses() throws {
    let result = try ScenarioFixture.run(
      "steps:\n  - answer: 12 Main St\nexpect: {no_record: true}\n")
    #expect(result.failures.map(\.message) == [])
    #expect(result.passed)
  }
}

@Suite("Scenario ids are checked against the protocol, with suggestions")
struct ScenarioIDTests {
  @Test("a typo in an expectation fails, with did-you-mean, where it is written")
  func typoInExpectations() throws {
    let result = try ScenarioFixture.run(
      ScenarioFixture.steps + """
            expect: {not_say: [hid], next: atackers}
        expect:
          instructions: [help_comming]
          determinant: T-99
        """)
    let messages = result.failures.map(\.message)
    #expect(messages.contains { $0.contains("unknown instruction 'hid'; did you mean 'hide'?") })
    #expect(
      messages.contains { $0.contains("unknown question 'atackers'; did you mean 'attackers'?") })
    #expect(
      messages.contains {
        $0.contains("unknown instruction 'help_comming'; did you mean 'help_coming'?")
      })
    #expect(messages.contains { $0.contains("unknown determinant code 'T-99'") })
    #expect(result.failures.allSatisfy { $0.position.line > 1 }, "never 1:1")
    #expect(result.events.isEmpty, "the scenario does not run")
  }

  @Test("ask: an unknown question is named; another on screen is explained")
  func askExplained() throws {
    let unknown = try ScenarioFixture.run(
      """
      steps:
        - ask: locaton
          answer: 12 Main St
      """)
    #expect(unknown.failures.first?.message.contains("did you mean 'location'?") == true)
    // attacker_location applies only to a shooting: asked for on a stabbing, it is explained.
    let explained = try ScenarioFixture.run(
      """
      steps:
        - answer: 12 Main St
        - answer: k
        - ask: attacker_location
          answer: gym
      """)
    let message = try #require(explained.failures.first?.message)
    #expect(message.contains("it does not apply: its ask_if 'attack = shooting' is false"))
    #expect(message.contains("attack = Stabbing"))
    #expect(message.contains("the scenario stops here"))
  }

  @Test("a relay the caller's own words push over 160 characters fails its step")
  func overlongRelayFails() throws {
    let place = String(repeating: "by the long corridor past the library ", count: 4)
    let long = try ScenarioFixture.run(
      "steps:\n  - answer: 12 Main St\n  - answer: s\n  - set: attacker_location\n"
        + "    value: \(place)\n")
    let failure = try #require(long.failures.first)
    #expect(long.failures.count == 1)
    #expect(failure.step == 3)
    #expect(failure.message.contains("relay 'position' is"))
    #expect(failure.message.contains("over the 160 a radio line takes"))
    let short = try ScenarioFixture.run(
      "steps:\n  - answer: 12 Main St\n  - answer: s\n  - set: attacker_location\n"
        + "    value: gym\n")
    #expect(short.failures.isEmpty, "\(short.failures.map(\.message))")
  }

  @Test("a whole-call expectation fails at its own line")
  func wholeCallPosition() throws {
    let result = try ScenarioFixture.run(
      ScenarioFixture.steps + """
        expect:
          determinant: T-2
        """)
    let failure = try #require(result.failures.first)
    #expect(failure.step == nil)
    // Line 8 column 3 is `determinant:` under the whole-call `expect:` of line 7.
    #expect(failure.position.line == 8)
    #expect(failure.position.column == 3)
  }
}
