import Foundation
import Testing

@testable import CallScript

/// `unknown(q)`, `refused(q)`, `known(q)` and `answered(q)` as the engine sees them.
@Suite("Answer states in the engine: unknown, refused, known, answered")
struct UnknownStatusTests {
  /// Each instruction is given when its answer state holds for `attackers`.
  static let text = """
    protocol:
      id: answer-states
      version: 1.0.0
      title: Answer states
      languages: [en]
    response_levels: [urgent, emergency]
    resources:
      patrol: Patrol
    questions:
      - id: location
        label: Location
        ask: Where?
        kind: location
        priority: 100
        fills: incident.location
      - id: attackers
        label: Attackers
        ask: How many attackers?
        kind: count
        priority: 90
        fills: suspect.count
    derived:
      - id: count_missing
        expr: unknown(attackers) or refused(attackers)
    determinants:
      - when: unknown(attackers)
        code: T-5
        level: emergency
        plan: [patrol]
        label: Number of attackers not known
      - code: T-9
        level: urgent
        plan: [patrol]
        label: Default
    dispatch_points:
      - id: first
        when: known(location)
    instructions:
      - id: if_unknown
        when: unknown(attackers)
        say: Try to find out how many attackers there are.
      - id: if_refused
        when: refused(attackers)
        say: Tell the caller why the number matters.
      - id: if_known
        when: known(attackers)
        say: Keep counting.
      - id: if_answered
        when: answered(attackers)
        say: Thank you.
      - id: if_missing
        when: count_missing
        say: The number is missing.
    """

  static func session() throws -> Session {
    let result = ProtocolCompiler.compile(text: text, file: "states.yaml")
    return Session(
      callProtocol: try #require(result.protocolValue, "\(result.diagnostics.map(\.rendered))"))
  }

  @Test(
    "each answer gives exactly the instructions and determinant of its state",
    arguments: [
      (FactValue.unknown, ["if_unknown", "if_answered", "if_missing"], "T-5"),
      (.refused, ["if_refused", "if_answered", "if_missing"], "T-9"),
      (.count(low: 2, high: 2), ["if_known", "if_answered"], "T-9"),
      (.count(low: 2, high: nil), ["if_known", "if_answered"], "T-9"),
    ])
  func states(value: FactValue, instructions: [String], determinant: String) throws {
    var session = try Self.session()
    _ = try session.apply(.answer(question: "location", value: .text("12 Main St")), at: 5).get()
    #expect(session.determinant?.code == "T-9")
    let outcome = try session.apply(.answer(question: "attackers", value: value), at: 10).get()
    #expect(outcome.instructions.map(\.id) == instructions)
    #expect(session.determinant?.code == determinant)
    #expect(session.lastRecord?.determinant.code == determinant)
  }

  @Test("before any answer no state but 'not answered' holds")
  func unanswered() throws {
    var session = try Self.session()
    let outcome = try session.apply(
      .answer(question: "location", value: .text("12 Main St")), at: 5
    ).get()
    #expect(outcome.instructions.isEmpty)
    #expect(session.determinant?.code == "T-9")
  }

  @Test("unknown, then a number: the unknown determinant is left, and the record follows")
  func unknownThenKnown() throws {
    var session = try Self.session()
    _ = try session.apply(.answer(question: "location", value: .text("12 Main St")), at: 5).get()
    _ = try session.apply(.answer(question: "attackers", value: .unknown), at: 10).get()
    #expect(session.lastRecord?.determinant.code == "T-5")
    let outcome = try session.apply(
      .answer(question: "attackers", value: .count(low: 1, high: 1)), at: 20
    ).get()
    #expect(outcome.instructions.map(\.id) == ["if_known"])
    #expect(outcome.determinantChanged)
    #expect(session.determinant?.code == "T-9")
    #expect(outcome.record?.determinant.code == "T-9")
  }
}
