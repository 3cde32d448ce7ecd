import CallScript
import CallScriptIO
import CallScriptStore
import Foundation
import Testing

@testable import callscript

/// The call's side of the store: saves, offers, relays, and news from other positions.
@Suite("incident desk")
struct IncidentDeskTests {
  static let start = Date(timeIntervalSince1970: 1_767_225_600)

  func liveCall(_ id: String, in folder: URL) throws -> LiveCall {
    let callProtocol = try #require(BuiltInProtocol.compile().protocolValue)
    return try LiveCall(
      callProtocol: callProtocol, protocolHash: Transcript.sha256(BuiltInProtocol.data),
      context: CallContext(
        callID: id, startedAt: Self.start, agencyID: "psap.example.us", agentID: "position-1"),
      language: nil, clock: "simulated",
      transcriptPath: folder.appendingPathComponent("\(id).jsonl").path)
  }

  func answer(_ call: LiveCall, _ question: String, _ value: FactValue, at: Double) {
    _ = call.handle(
      .answer(.value(value), to: .question(question)), at: at,
      wall: Self.start.addingTimeInterval(at))
  }

  @Test("while the call-taker waits, another position's update shows, read at most every 3 s")
  func refreshShowsOtherPositions() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let location = folder.appendingPathComponent("incidents.sqlite").path
    let call = try liveCall("call-a", in: folder)
    let desk = IncidentDesk(location: location, window: 3600)
    defer { desk.close() }
    #expect(desk.update(call).isEmpty)  // no event yet: nothing saved
    answer(call, "location", .text("Lincoln High School"), at: 5)
    _ = desk.update(call)
    #expect(desk.refresh(callID: "call-a", now: Self.start).isEmpty)

    let other = try liveCall("call-b", in: folder)
    answer(other, "location", .text("lincoln HS"), at: 5)
    _ = other.handle(.link("INC-call-a"), at: 6, wall: Self.start)
    answer(other, "attacker_count", .count(low: 2, high: 2), at: 7)
    let position2 = IncidentDesk(location: location, window: 3600)
    defer { position2.close() }
    _ = position2.update(other)

    #expect(desk.refresh(callID: "call-a", now: Self.start.addingTimeInterval(1)).isEmpty)
    let news = desk.refresh(callID: "call-a", now: Self.start.addingTimeInterval(4))
    #expect(news.flatMap(\.lines) == ["INCIDENT INC-call-a: 2 calls | attackers 2 (1)"])
    #expect(desk.refresh(callID: "call-a", now: Self.start.addingTimeInterval(8)).isEmpty)
  }

  @Test("an incident at the same place is offered once, and not after /new")
  func offers() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let location = folder.appendingPathComponent("incidents.sqlite").path
    let first = try liveCall("call-a", in: folder)
    answer(first, "location", .text("Lincoln High School"), at: 5)
    let desk = IncidentDesk(location: location, window: 3600)
    defer { desk.close() }
    _ = desk.update(first)
    let second = try liveCall("call-b", in: folder)
    let position2 = IncidentDesk(location: location, window: 3600)
    defer { position2.close() }
    answer(second, "location", .text("Lincoln H.S."), at: 5)
    let offered = position2.update(second).flatMap(\.lines)
    #expect(
      offered.contains { $0.hasPrefix("Possible same incident: INC-call-a Lincoln High School") })
    answer(second, "what_happening", .option("shooting"), at: 8)
    #expect(!position2.update(second).flatMap(\.lines).contains { $0.hasPrefix("Possible") })
    let third = try liveCall("call-c", in: folder)
    let position3 = IncidentDesk(location: location, window: 3600)
    defer { position3.close() }
    position3.dismissed = true
    answer(third, "location", .text("Lincoln High School"), at: 5)
    #expect(!position3.update(third).flatMap(\.lines).contains { $0.hasPrefix("Possible") })
  }
}
