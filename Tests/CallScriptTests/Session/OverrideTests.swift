import Foundation
import Testing

@testable import CallScript

/// An override against later answers: it holds while above what they give, and gives way to a
/// row of its own level (or higher) that they reach.
@Suite("Determinant overrides against later answers")
struct OverrideTests {
  static let text = """
    protocol:
      id: override-rows
      version: 1.0.0
      title: Two rows at the top level
      languages: [en]
    response_levels: [urgent, emergency, critical, catastrophic]
    resources:
      patrol: Patrol
      tactical: Tactical team
    questions:
      - id: location
        label: Location
        ask: Where?
        kind: location
        priority: 100
        fills: incident.location
      - id: attack
        label: Attack
        ask: What is happening?
        kind: one_of
        priority: 90
        fills: incident.kind
        options:
          - { id: shooting, label: Shooting, key: s }
          - { id: stabbing, label: Stabbing, key: k }
      - id: hostages
        label: Hostages
        ask: Is anyone held hostage?
        kind: yes_no
        priority: 80
      - id: explosions
        label: Explosions
        ask: Any explosions?
        kind: yes_no
        priority: 70
    determinants:
      - when: attack = shooting and explosions = yes
        code: T-0
        level: catastrophic
        plan: [patrol, tactical]
        label: Shooting with explosives
      - when: attack = shooting and hostages = yes
        code: T-1
        level: critical
        plan: [patrol, tactical]
        label: Shooting with hostages
      - when: hostages = yes
        code: T-3
        level: critical
        plan: [patrol, tactical]
        label: Hostages
      - when: attack = shooting
        code: T-2
        level: emergency
        plan: [patrol]
        label: Shooting
      - code: T-9
        level: urgent
        plan: [patrol]
        label: Default
    dispatch_points:
      - id: first
        when: known(location) and known(attack)
    """

  /// A stabbing reported at a place, then overridden to T-1 (critical) with a reason.
  static func overridden() throws -> Session {
    let result = ProtocolCompiler.compile(text: text, file: "override.yaml")
    var session = Session(
      callProtocol: try #require(result.protocolValue, "\(result.diagnostics.map(\.rendered))"))
    _ = try session.apply(.answer(question: "location", value: .text("12 Main St")), at: 5).get()
    _ = try session.apply(.answer(question: "attack", value: .option("stabbing")), at: 10).get()
    #expect(session.determinant?.code == "T-9")
    let outcome = try session.apply(.override(code: "T-1", reason: "shots heard"), at: 15).get()
    #expect(outcome.determinantChanged)
    #expect(session.determinant?.code == "T-1")
    #expect(session.determinant?.overrideReason == "shots heard")
    return session
  }

  @Test(
    "an override that does not raise the level is refused, and changes nothing",
    arguments: [("T-1", "critical"), ("T-3", "critical"), ("T-2", "emergency"), ("T-9", "urgent")])
  func notAbove(code: String, level: String) throws {
    var session = try Self.overridden()
    let result = session.apply(.override(code: code, reason: "second thoughts"), at: 20)
    guard case .failure(let error) = result else {
      Issue.record("an override to \(code) was taken at T-1")
      return
    }
    #expect(
      error.message
        == "'\(code)' (\(level)) is not above the current level 'critical'; overrides only "
        + "raise the response")
    #expect(session.determinant?.code == "T-1")
    #expect(session.determinant?.overrideReason == "shots heard")
  }

  @Test("the override holds while the answers give a lower level")
  func holdsWhileAbove() throws {
    var session = try Self.overridden()
    let outcome = try session.apply(.answer(question: "hostages", value: .yesNo(false)), at: 20)
      .get()
    #expect(!outcome.determinantChanged)
    #expect(session.determinant?.code == "T-1")
    #expect(session.determinant?.overrideReason == "shots heard")
    #expect(session.lastRecord?.determinant.overrideReason == "shots heard")
  }

  @Test("answers reaching another row of the override's level take over with that row's code")
  func sameLevelOtherRow() throws {
    var session = try Self.overridden()
    let outcome = try session.apply(.answer(question: "hostages", value: .yesNo(true)), at: 20)
      .get()
    #expect(outcome.determinantChanged)
    #expect(session.determinant?.code == "T-3")
    #expect(session.determinant?.label == "Hostages")
    #expect(session.determinant?.overrideReason == nil)
    #expect(outcome.record?.determinant.code == "T-3")
    #expect(outcome.record?.determinant.overrideReason == nil)
  }

  @Test("answers reaching the override's own row keep its code, now from the answers")
  func sameRow() throws {
    var session = try Self.overridden()
    _ = try session.apply(.answer(question: "attack", value: .option("shooting")), at: 20).get()
    #expect(session.determinant?.code == "T-1")
    #expect(session.determinant?.overrideReason == "shots heard")
    let outcome = try session.apply(.answer(question: "hostages", value: .yesNo(true)), at: 25)
      .get()
    #expect(session.determinant?.code == "T-1")
    #expect(session.determinant?.overrideReason == nil)
    #expect(outcome.record?.determinant.overrideReason == nil)
  }

  @Test("answers reaching a higher level take over")
  func higherLevel() throws {
    var session = try Self.overridden()
    _ = try session.apply(.answer(question: "attack", value: .option("shooting")), at: 20).get()
    _ = try session.apply(.answer(question: "explosions", value: .yesNo(true)), at: 25).get()
    #expect(session.determinant?.code == "T-0")
    #expect(session.determinant?.overrideReason == nil)
  }
}
