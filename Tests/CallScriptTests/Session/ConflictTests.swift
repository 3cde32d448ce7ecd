import Foundation
import Testing

@testable import CallScript

/// Which changed answers become a verification for the units on arrival.
@Suite("Conflicting reports")
struct ConflictTests {
  @Test("a changed report about the attack is raised as a conflict to verify")
  func changedReport() throws {
    var call = try Call()
    try call.answer("12 Main St")
    try call.answer("s")
    let outcome = try call.answer("k", to: "attack")
    let conflict = try #require(outcome.verifications.first { $0.id == "conflict_attack" })
    #expect(
      conflict.confirm
        == "Conflicting reports for attack: Shooting, later Stabbing; confirm on arrival")
    #expect(conflict.evidence == "The caller said Shooting at 0:10 and Stabbing at 0:15")
  }

  @Test("a re-asked fact that moves, such as the attacker's location, is no conflict")
  func reaskedFactMoves() throws {
    var call = try Call()
    try call.answer("12 Main St")
    try call.answer("s")
    try call.answer("east wing", to: "attacker_location")
    let outcome = try call.answer("west wing", to: "attacker_location", after: 60)
    #expect(!outcome.verifications.contains { $0.id.hasPrefix("conflict") })
    #expect(!call.session.raisedVerifications.contains { $0.id.hasPrefix("conflict") })
    #expect(outcome.relays.map(\.text) == ["Attacker last seen west wing 0 s ago"])
  }

  @Test("a fact the protocol expects to change (expect_change) raises no conflict")
  func expectedChange() throws {
    let text = try Fixtures.text("session.yaml")
    let marked = text.replacingOccurrences(
      of: "    fills: incident.kind\n", with: "    fills: incident.kind\n    expect_change: true\n")
    #expect(marked != text)
    var call = try Call(text: marked)
    try call.answer("12 Main St")
    try call.answer("s")
    let outcome = try call.answer("k", to: "attack")
    #expect(!outcome.verifications.contains { $0.id.hasPrefix("conflict") })
    #expect(!call.session.raisedVerifications.contains { $0.id.hasPrefix("conflict") })
    #expect(call.session.callProtocol.question(id: "attack")?.expectChange == true)
  }
}
