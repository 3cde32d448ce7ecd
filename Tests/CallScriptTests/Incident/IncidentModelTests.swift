import Foundation
import Testing

@testable import CallScript

@Suite("Incident: places, links, the merged picture")
struct IncidentModelTests {
  @Test(
    "one place however callers say it",
    arguments: [
      ("Lincoln High School", "lincoln HS."),
      ("Lincoln High School", "Lincoln H.S."),
      ("5th St & Main Ave", "Main Avenue and 5th Street"),
      ("100 N. Main St", "100 north main street"),
      ("The Pulse Nightclub", "pulse nightclub"),
    ])
  func samePlace(one: String, other: String) {
    #expect(IncidentPlace.key(one) == IncidentPlace.key(other))
    #expect(!IncidentPlace.key(one).isEmpty)
  }

  @Test("different places stay apart")
  func differentPlaces() {
    #expect(IncidentPlace.key("Lincoln High School") != IncidentPlace.key("Lincoln Middle School"))
    #expect(IncidentPlace.key("5th St & Main Ave") != IncidentPlace.key("6th St & Main Ave"))
    #expect(IncidentPlace.key(" ,. ") == "")
  }

  @Test("a link is an event: it moves the call, unlink moves it back, both are checked")
  func linkAndUnlink() throws {
    var call = try IncidentTestCall("call-b")
    try call.school()
    #expect(call.incidentCall.incidentID == "INC-call-b")
    #expect(!call.incidentCall.linked)
    try call.apply(.link(incident: "INC-call-a"))
    #expect(call.incidentCall.incidentID == "INC-call-a")
    #expect(call.incidentCall.linked)
    #expect(throws: SessionError.self) { try call.apply(.link(incident: "INC-call-a")) }
    #expect(throws: SessionError.self) { try call.apply(.link(incident: "../etc/passwd")) }
    try call.apply(.unlink)
    #expect(call.incidentCall.incidentID == "INC-call-b")
    #expect(throws: SessionError.self) { try call.apply(.unlink) }
    // After the end a call may still be linked (a supervisor tidying up).
    try call.apply(.end)
    try call.apply(.link(incident: "INC-call-a"))
    #expect(call.incidentCall.incidentID == "INC-call-a")
  }

  @Test("after a link the call's records carry the incident's tracking id, as its first call's do")
  func linkedRecords() throws {
    var founder = try IncidentTestCall("call-a")
    try founder.school()
    let founding = try #require(founder.session.lastRecord)
    let incidentID = EIDOEncoder.eido(
      for: founding, context: founder.context, callProtocol: founder.session.callProtocol
    ).id
    var other = try IncidentTestCall("call-b")
    try other.school()
    let before = try #require(other.session.lastRecord)
    func id(_ record: RecordSnapshot) -> String {
      EIDOEncoder.eido(
        for: record, context: other.context, callProtocol: other.session.callProtocol
      )
      .id
    }
    #expect(id(before) != incidentID)
    try other.apply(.link(incident: "INC-call-a"))
    let after = try #require(other.session.lastRecord)
    #expect(after.sequence == before.sequence + 1)
    #expect(after.incidentID == "INC-call-a")
    #expect(id(after) == incidentID)
    try other.apply(.unlink)
    #expect(id(try #require(other.session.lastRecord)) == id(before))
  }

  @Test("link and unlink are written in transcripts and read back")
  func linkCoding() {
    for event in [SessionEvent.link(incident: "INC-20260101-000000"), .unlink] {
      #expect(SessionEvent(type: event.typeName, payload: event.payload) == event)
    }
    #expect(SessionEvent(type: "link", payload: .object([:])) == nil)
  }

  @Test("typed /link, /unlink and /new")
  func typedCommands() {
    #expect(InputLine.parse("/link INC-a") == .link("INC-a"))
    #expect(InputLine.parse("/unlink") == .unlink)
    #expect(InputLine.parse("/new") == .newIncident)
    #expect(InputLine.parse("/link") == .invalid("usage: /link INCIDENT"))
    #expect(CallInput.resolve(.link("INC-a")) == .action(.link("INC-a")))
  }

  @Test("CAD's incident id puts the call on that incident")
  func cadIncident() throws {
    var call = try IncidentTestCall("call-c")
    call.context.incidentTrackingID = "urn:emergency:uid:incidentid:abc123:psap.example.us"
    try call.school()
    #expect(call.incidentCall.incidentID == "urn:emergency:uid:incidentid:abc123:psap.example.us")
  }

  @Test("a fact's time is when it was seen, not when it was said (observedAt)")
  func observationTime() throws {
    var call = try IncidentTestCall("call-a")
    try call.school()
    try call.answer("attacker_location", .text("gym"), after: 100)
    try call.answer("last_seen", .option("few_minutes"), after: 5)
    let fact = try #require(call.incidentCall.fact(.suspectLocation))
    let said = IncidentTestCall.epoch.addingTimeInterval(115)
    #expect(fact.observedAt < said)
    let slot = try #require(call.session.callProtocol.slotsByName["attacker_location"])
    let observed = try #require(call.session.observedAt(slot))
    #expect(fact.observedAt == IncidentTestCall.epoch.addingTimeInterval(observed))
  }

  @Test("the call survives its JSON form, as the store keeps it")
  func callJSON() throws {
    var call = try IncidentTestCall("call-a")
    try call.school()
    try call.answer("attacker_count", .count(low: 2, high: 3))
    let json = call.incidentCall.json
    let back = try #require(IncidentCall(json: json))
    #expect(back.json.canonical == json.canonical)
    #expect(back.facts.count == call.incidentCall.facts.count)
    #expect(IncidentCall(json: .object([:])) == nil)
  }
}
