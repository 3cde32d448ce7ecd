import Foundation
import Testing

@testable import CallScript

@Suite("Incident: merge rules, conflicts, relays, EIDO")
struct IncidentMergeTests {
  /// Three callers who saw one attacker and one who was told of two.
  func fourCallers() throws -> [IncidentCall] {
    var calls: [IncidentCall] = []
    for (index, id) in ["call-a", "call-b", "call-c"].enumerated() {
      var call = try IncidentTestCall(id, startOffset: Double(index * 20))
      try call.school()
      try call.answer("attacker_count", .count(low: 1, high: 1))
      calls.append(call.incidentCall)
    }
    var told = try IncidentTestCall("call-d", startOffset: 70)
    try told.school("lincoln HS", how: "told")
    try told.answer("attacker_count", .count(low: 2, high: 2))
    calls.append(told.incidentCall)
    return calls
  }

  @Test("the latest value by observation time, who said each, how many agree, who differs")
  func latestAndAgreement() throws {
    let picture = IncidentPicture.merge(incidentID: "INC-call-a", calls: try fourCallers())
    let count = try #require(picture.fact(.suspectCount))
    // call-d said it last (it started 70 s in), so its value is the latest…
    #expect(count.latest.text == "2")
    #expect(count.latest.calls == ["call-d"])
    #expect(count.agreeing == 1)
    #expect(count.disagreeing == ["call-a", "call-b", "call-c"])
    // …and the values are listed most calls first.
    #expect(count.values.map(\.calls.count) == [3, 1])
    #expect(picture.callers.map(\.callID) == ["call-a", "call-b", "call-c", "call-d"])
    #expect(picture.place == "Lincoln High School")
  }

  @Test("callers who disagree on a count raise a verification, naming a told caller")
  func conflictVerification() throws {
    let picture = IncidentPicture.merge(incidentID: "INC-call-a", calls: try fourCallers())
    let texts = picture.verifications.map(\.text)
    #expect(texts == ["Callers disagree on attackers: 1 (3 calls) vs 2 (1 call, was told)"])
  }

  @Test("agreeing callers raise nothing")
  func noConflict() throws {
    let calls = Array(try fourCallers().prefix(3))
    let picture = IncidentPicture.merge(incidentID: "INC-call-a", calls: calls)
    #expect(picture.verifications.isEmpty)
    #expect(picture.fact(.suspectCount)?.agreeing == 3)
  }

  @Test("two first-hand positions at about the same time: a possible second attacker")
  func secondAttacker() throws {
    var one = try IncidentTestCall("call-a")
    try one.school()
    try one.answer("attacker_location", .text("gym"), after: 30)
    var two = try IncidentTestCall("call-b", startOffset: 10)
    try two.school()
    try two.answer("attacker_location", .text("library"), after: 30)
    let picture = IncidentPicture.merge(
      incidentID: "INC-call-a", calls: [one.incidentCall, two.incidentCall])
    #expect(picture.verifications.map(\.id) == ["possible_second_attacker"])
    // Far apart in time it is the attacker moving, not a second one.
    var later = try IncidentTestCall("call-c", startOffset: 600)
    try later.school()
    try later.answer("attacker_location", .text("library"), after: 30)
    let moving = IncidentPicture.merge(
      incidentID: "INC-call-a", calls: [one.incidentCall, later.incidentCall])
    #expect(moving.verifications.isEmpty)
    #expect(moving.fact(.suspectLocation)?.latest.text == "library")
    // A told caller's position is not first-hand.
    var told = try IncidentTestCall("call-d", startOffset: 10)
    try told.school(how: "told")
    try told.answer("attacker_location", .text("library"), after: 30)
    let rumour = IncidentPicture.merge(
      incidentID: "INC-call-a", calls: [one.incidentCall, told.incidentCall])
    #expect(rumour.verifications.isEmpty)
  }

  @Test("a relay with the same content is one relay for the incident, corroborated")
  func relayDedup() throws {
    let calls = Array(try fourCallers().prefix(3))
    let first = try #require(calls.first?.relays.first)
    let picture = IncidentPicture.merge(incidentID: "INC-call-a", calls: calls)
    let relay = try #require(picture.relays.first { $0.key == first.key })
    #expect(relay.sentBy == "call-a")
    #expect(relay.calls == ["call-a", "call-b", "call-c"])
    #expect(Set(picture.relays.map(\.key)).count == picture.relays.count)
  }

  @Test("clock times do not make a relay's content differ")
  func relayKey() {
    #expect(
      IncidentCall.relayKey(id: "r", text: "Attacker in gym at 14:02 (3 min ago)")
        == IncidentCall.relayKey(id: "r", text: "Attacker in gym at 14:05 (1 min ago)"))
    #expect(
      IncidentCall.relayKey(id: "r", text: "Attacker in gym")
        != IncidentCall.relayKey(id: "r", text: "Attacker in library"))
  }

  @Test("the screen line tells a call what the others established")
  func screenLine() throws {
    let picture = IncidentPicture.merge(incidentID: "INC-call-a", calls: try fourCallers())
    let line = try #require(picture.screenLine(for: "call-d"))
    #expect(line.hasPrefix("INCIDENT INC-call-a: 4 calls"))
    #expect(line.contains("attackers 2 (1, 3 differ)"))
    let alone = IncidentPicture.merge(
      incidentID: "INC-call-a", calls: Array(try fourCallers().prefix(1)))
    #expect(alone.screenLine(for: "call-a") == nil)
  }

  @Test("the merge does not depend on the order calls come in")
  func orderIndependent() throws {
    let calls = try fourCallers()
    let one = IncidentPicture.merge(incidentID: "INC-call-a", calls: calls)
    let other = IncidentPicture.merge(incidentID: "INC-call-a", calls: calls.reversed())
    #expect(one.json.canonical == other.json.canonical)
  }

  @Test("the merged incident EIDO: every caller a Caller with their call, one set of suspects")
  func mergedEIDO() throws {
    let calls = try fourCallers()
    let picture = IncidentPicture.merge(incidentID: "INC-call-a", calls: calls)
    let document = IncidentEIDO.document(for: picture, calls: calls)
    let callers = (document.personComponent ?? []).filter {
      $0.personIncidentRoleRegistryText.contains("Caller")
    }
    #expect(callers.count == 4)
    #expect(document.callComponent?.count == 4)
    let suspects = (document.personComponent ?? []).filter {
      $0.personIncidentRoleRegistryText.contains("Suspect")
    }
    #expect(suspects.count == 2)
    #expect(
      document.id == IncidentEIDO.trackingID(incidentID: "INC-call-a", agency: calls[0].agency))
    // The founding call's own records carry the same incident tracking id.
    #expect(document.id == EIDOIdentifiers(callID: "call-a", agencyID: calls[0].agency).incident)
    let notes = (document.notesComponent ?? []).flatMap { [$0.notesActionComments] }
    #expect(
      notes.contains { $0.contains("said by call-d") && $0.contains("call-a, call-b, call-c") })
    #expect(
      IncidentEIDO.json(for: picture, calls: calls)
        == IncidentEIDO.json(for: picture, calls: calls.reversed()))
  }

  @Test("the merged incident EIDO passes validate-eido --strict")
  func mergedEIDOValid() throws {
    guard RecordsValidator.isAvailable else { return }
    let folder = try RecordsValidator.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var second = try IncidentTestCall("call-e", startOffset: 30)
    try second.school()
    try second.answer("attacker_location", .text("library"), after: 30)
    try second.answer("caller_safe", .yesNo(false), after: 5)
    let calls = try fourCallers() + [second.incidentCall]
    let picture = IncidentPicture.merge(incidentID: "INC-call-a", calls: calls)
    let file = folder.appendingPathComponent("incident.json")
    try IncidentEIDO.json(for: picture, calls: calls).write(to: file)
    let result = try RecordsValidator.run([
      "python3", RecordsValidator.tool.path, "--strict", file.path,
    ])
    #expect(result.status == 0, "\(result.output)")
  }
}
