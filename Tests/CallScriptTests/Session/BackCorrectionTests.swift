import Foundation
import Testing

@testable import CallScript

/// `/back`: the answer being corrected is withdrawn to units at once, not left live until it is
/// answered again.
@Suite("going back to correct an answer")
struct BackCorrectionTests {
  /// A built-in call up to the attacker's position in the gym, relayed to units.
  static func callWithAttackerRelayed() throws -> (Session, Double) {
    let callProtocol = try #require(BuiltInProtocol.compile().protocolValue)
    var session = Session(callProtocol: callProtocol)
    let answers: [(String, FactValue)] = [
      ("location", .text("1 Main St")), ("what_happening", .option("shooting")),
      ("callback", .text("555 1234")), ("still_happening", .yesNo(true)),
      ("caller_safe", .yesNo(false)), ("can_leave", .yesNo(false)), ("can_talk", .yesNo(true)),
      ("attacker_location", .text("gym")),
    ]
    var time = 0.0
    for (question, value) in answers {
      time += 5
      let applied = session.apply(.answer(question: question, value: value), at: time)
      #expect((try? applied.get()) != nil, "\(question)")
    }
    return (session, time)
  }

  @Test("a relay that read the withdrawn answer goes out again marked, then corrected")
  func relayWithdrawnThenCorrected() throws {
    var (session, time) = try Self.callWithAttackerRelayed()
    let before = try #require(session.sentRelays.first { $0.text.contains("gym") })
    #expect(!before.isWithdrawn)

    let back = try session.apply(.back, at: time + 10).get()
    #expect(session.correcting == "attacker_location")
    #expect(back.prompt?.questionID == "attacker_location" && back.prompt?.isBack == true)
    let withdrawn = try #require(back.withdrawnRelays.first { $0.id == before.id })
    #expect(withdrawn.isWithdrawn && withdrawn.isUpdate)
    #expect(withdrawn.text == Session.withdrawnMark + before.text)
    #expect(session.sentRelays.first { $0.id == before.id }?.isWithdrawn == true)
    // Only relays that read the answer are withdrawn; nothing new goes out.
    #expect(back.relays.isEmpty)
    #expect(back.withdrawnRelays.allSatisfy { $0.isWithdrawn })
    #expect(session.sentRelays.contains { !$0.isWithdrawn })
    // Going back again withdraws nothing twice.
    let again = try session.apply(.back, at: time + 12).get()
    #expect(again.relays.isEmpty && again.withdrawnRelays.isEmpty)

    let corrected = try session.apply(
      .answer(question: "attacker_location", value: .text("library")), at: time + 20
    ).get()
    #expect(session.correcting == nil)
    let sent = try #require(corrected.relays.first { $0.id == before.id })
    #expect(!sent.isWithdrawn && sent.isUpdate && sent.text.contains("library"))
    #expect(!sent.text.contains("withdrawn"))
    #expect(session.sentRelays.allSatisfy { !$0.isWithdrawn })
  }

  @Test("the same answer given again still sends the relay live again")
  func sameAnswerAgain() throws {
    var (session, time) = try Self.callWithAttackerRelayed()
    _ = try session.apply(.back, at: time + 10).get()
    let again = try session.apply(
      .answer(question: "attacker_location", value: .text("gym")), at: time + 30
    ).get()
    #expect(again.relays.contains { $0.text.contains("gym") && !$0.isWithdrawn })
    #expect(session.sentRelays.allSatisfy { !$0.isWithdrawn })
  }

  @Test("labels, ages and staleness for the screen")
  func screenFacts() throws {
    var (session, time) = try Self.callWithAttackerRelayed()
    #expect(session.label(of: "attacker_location") == "Attacker's location")
    #expect(session.label(of: "attack_reported") == "attack_reported")
    #expect(session.age(of: "attacker_location") == 0)
    #expect(!session.isStale("attacker_location"))
    _ = session.advance(to: time + 61)
    #expect(session.age(of: "attacker_location") == 61)
    #expect(session.isStale("attacker_location"), "reask_every 60s has passed")
    #expect(!session.isStale("location"), "no reask_every")
    let spanish = Session(callProtocol: session.callProtocol, language: "es")
    #expect(spanish.label(of: "attacker_location") == "Dónde está el atacante")
  }
}
