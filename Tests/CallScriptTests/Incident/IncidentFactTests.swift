import Foundation
import Testing

@testable import CallScript
@testable import CallScriptIO

/// `incident.<fact>` in expressions: what the other calls of the incident established, as the
/// call's `incident_facts` events carry it.
@Suite("Incident facts in expressions")
struct IncidentFactTests {
  static let small = """
    protocol: {id: peers, version: 1.0.0, title: Peers, languages: [en]}
    response_levels: [urgent]
    resources: {patrol: Patrol}
    questions:
      - {id: location, ask: Where?, label: Location, kind: location, priority: 100, fills: incident.location}
      - {id: attackers, ask: How many?, label: Attackers, kind: count, priority: 90, fills: suspect.count}
      - id: description
        ask: Describe the attacker.
        label: Description
        kind: text
        priority: 80
        fills: suspect.description
        priority_if:
          - {when: known(incident.attacker_description), priority: 10}
      - {id: hiding, ask: Hiding?, label: Hiding, kind: yes_no, priority: 50}
    determinants:
      - {code: L-1, level: urgent, plan: [patrol], label: Call}
    dispatch_points:
      - {id: first, when: known(location)}
    verifications:
      - id: more_attackers
        when: known(attackers) and attackers < 2 and incident.attacker_count >= 2
        confirm: "Other calls report {incident.attacker_count} attackers at {location}"
        evidence: "{incident.calls} other call(s) on the incident"
    """

  static func compile(_ text: String = small) -> CompileResult {
    ProtocolCompiler.compile(text: text, file: "peers.yaml")
  }

  static let others: [String: FactValue] = [
    "attacker_count": .count(low: 2, high: 2), "attacker_description": .text("red jacket"),
    "calls": .count(low: 3, high: 3),
  ]

  @Test("names are typed like the call's own facts and take slots only when named")
  func compiled() throws {
    let callProtocol = try #require(Self.compile().protocolValue)
    #expect(
      callProtocol.incidentFacts.map(\.name) == ["attacker_description", "attacker_count", "calls"])
    #expect(callProtocol.incidentFacts.map(\.type) == [.text, .count, .count])
    #expect(callProtocol.slotCount == 4 + 3)
    #expect(Set(callProtocol.incidentFacts.map(\.slot)) == [4, 5, 6])
    #expect(callProtocol.lineDroppedSlot == nil)
    let plain = try #require(
      Self.compile(
        Self.small.replacingOccurrences(of: "known(incident.attacker_description)", with: "false")
          .replacingOccurrences(of: "and incident.attacker_count >= 2", with: "")
          .replacingOccurrences(of: "{incident.attacker_count}", with: "more")
          .replacingOccurrences(of: "{incident.calls}", with: "some")
      ).protocolValue)
    #expect(plain.incidentFacts.isEmpty)
    #expect(plain.slotCount == 4)
  }

  @Test("line_dropped and incident facts together take consecutive slots")
  func withLineDropped() throws {
    let text = Self.small.replacingOccurrences(
      of: "known(attackers) and", with: "not line_dropped and known(attackers) and")
    let callProtocol = try #require(Self.compile(text).protocolValue)
    let slots = callProtocol.incidentFacts.map(\.slot) + [callProtocol.lineDroppedSlot ?? -1]
    #expect(slots.sorted() == Array(4..<8))
    #expect(callProtocol.slotCount == 8)
  }

  @Test(
    "a misspelt or unavailable name is an error with a suggestion",
    arguments: [
      ("incident.attacker_count >= 2", "incident.atacker_count >= 2", "'incident.attacker_count'"),
      ("incident.attacker_count >= 2", "incident.weapons = rifle", "unknown"),
      ("{incident.calls}", "{incident.cals}", "'incident.calls'"),
    ])
  func unknownName(_ original: String, _ replacement: String, _ expected: String) {
    let result = Self.compile(Self.small.replacingOccurrences(of: original, with: replacement))
    #expect(result.protocolValue == nil)
    let messages = result.diagnostics.map(\.text)
    #expect(messages.contains { $0.contains(expected) }, "\(messages)")
  }

  @Test("unknown until an incident_facts event; a condition and a priority follow it")
  func followsEvents() throws {
    let callProtocol = try #require(Self.compile().protocolValue)
    var session = Session(callProtocol: callProtocol)
    let count = try #require(callProtocol.slot(named: "incident.attacker_count"))
    #expect(session.values[count] == .unanswered)
    _ = try session.apply(.answer(question: "location", value: .text("1 Main St")), at: 5).get()
    _ = try session.apply(.answer(question: "attackers", value: .count(low: 1, high: 1)), at: 10)
      .get()
    #expect(session.currentPrompt?.questionID == "description")
    let news = try session.apply(.incidentFacts(incident: "INC-a", facts: Self.others), at: 20)
      .get()
    #expect(session.values[count] == .count(low: 2, high: 2))
    #expect(session.incidentFactsSource == "INC-a")
    #expect(news.verifications.map(\.confirm) == ["Other calls report 2 attackers at 1 Main St"])
    #expect(news.verifications.map(\.evidence) == ["3 other call(s) on the incident"])
    // Another caller described the attacker: this caller's description comes after hiding.
    #expect(session.currentPrompt?.questionID == "hiding")
    #expect(throws: SessionError.self) { try session.apply(.unlink, at: 25).get() }
    _ = try session.apply(.link(incident: "INC-a"), at: 25).get()
    _ = try session.apply(.incidentFacts(incident: "INC-a", facts: Self.others), at: 26).get()
    #expect(session.values[count] == .count(low: 2, high: 2))
    _ = try session.apply(.unlink, at: 27).get()
    #expect(session.values[count] == .unanswered)
    #expect(session.incidentFacts.isEmpty)
    #expect(session.currentPrompt?.questionID == "description")
  }

  @Test("a link forgets the facts of the incident the call was on")
  func linkForgets() throws {
    let callProtocol = try #require(Self.compile().protocolValue)
    var session = Session(callProtocol: callProtocol)
    _ = try session.apply(.incidentFacts(incident: "INC-a", facts: Self.others), at: 5).get()
    _ = try session.apply(.link(incident: "INC-b"), at: 6).get()
    #expect(session.incidentFacts.isEmpty)
    let count = try #require(callProtocol.slot(named: "incident.attacker_count"))
    #expect(session.values[count] == .unanswered)
  }

  @Test(
    "an event with an unknown name, the wrong kind of value or a bad incident is refused",
    arguments: [
      (
        "INC-a", ["attacker_cuont": FactValue.count(low: 1, high: 1)],
        "did you mean 'attacker_count'"
      ),
      ("INC-a", ["attacker_count": .text("two")], "is a count in this protocol"),
      ("INC-a", ["attacker_count": .unknown], "needs a known value"),
      ("INC a", ["calls": .count(low: 1, high: 1)], "is not an incident id"),
    ])
  func refused(_ incident: String, _ facts: [String: FactValue], _ expected: String) throws {
    let callProtocol = try #require(Self.compile().protocolValue)
    var session = Session(callProtocol: callProtocol)
    guard
      case .failure(let error) = session.apply(
        .incidentFacts(incident: incident, facts: facts), at: 5)
    else {
      Issue.record("accepted")
      return
    }
    #expect(error.message.contains(expected), "\(error.message)")
    #expect(session.eventCount == 0)
  }

  @Test("the values are the latest the other calls gave, never the call's own")
  func valuesOfOtherCalls() throws {
    var mine = try IncidentTestCall("call-a")
    try mine.school()
    try mine.answer("attacker_count", .count(low: 5, high: 5))
    var early = try IncidentTestCall("call-b", startOffset: 10)
    try early.school(how: "told")
    try early.answer("attacker_count", .count(low: 1, high: 1))
    var late = try IncidentTestCall("call-c", startOffset: 60)
    try late.school()
    try late.apply(.link(incident: "INC-call-a"))
    try early.apply(.link(incident: "INC-call-a"))
    try late.answer("attacker_count", .count(low: 2, high: 2))
    let calls = [mine.incidentCall, early.incidentCall, late.incidentCall]
    let reading: [(name: String, type: ValueType)] = [
      ("attacker_count", .count), ("calls", .count), ("weapons", .manyOf(options: [])),
    ]
    let values = IncidentFact.values(
      for: "call-a", incident: "INC-call-a", calls: calls, reading: reading)
    #expect(
      values == ["attacker_count": .count(low: 2, high: 2), "calls": .count(low: 2, high: 2)])
    #expect(
      IncidentFact.values(
        for: "call-a", incident: "INC-call-a", calls: [mine.incidentCall], reading: reading
      )
      .isEmpty)
    // A value of another shape than the protocol reads is not carried.
    let asText = IncidentFact.values(
      for: "call-a", incident: "INC-call-a", calls: calls,
      reading: [("attacker_count", .text)])
    #expect(asText.isEmpty)
  }

  @Test("the event is written, read back by the transcript reader and replayed alike")
  func transcriptRoundTrip() throws {
    let callProtocol = try #require(Self.compile().protocolValue)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "incident-facts-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call-b.jsonl").path
    let start = Date(timeIntervalSince1970: 1_767_225_600)
    let call = try LiveCall(
      callProtocol: callProtocol, protocolHash: Transcript.sha256(Data(Self.small.utf8)),
      context: CallContext(
        callID: "call-b", startedAt: start, agencyID: "psap.example.us", agentID: "p-2"),
      language: nil, clock: "simulated", transcriptPath: path)
    for (action, at) in [
      (CallAction.answer(.typed("1 Main St"), to: .onScreen), 5.0),
      (.answer(.typed("1"), to: .onScreen), 9),
      (.incidentFacts(incident: "INC-a", facts: Self.others), 20),
      (.unlink, 30),
    ] {
      let outcome = call.handle(action, at: at, wall: start.addingTimeInterval(at))
      if case .unlink = action {
        #expect(outcome.error != nil)  // never linked: refused, nothing written
      } else {
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
      }
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"type\":\"incident_facts\""))
    #expect(text.contains("\"attacker_count\":{\"count\":{\"high\":2,\"low\":2}}"))
    let reading = try TranscriptReader.read(data).get()
    #expect(
      reading.entries.map(\.event).last
        == .incidentFacts(incident: "INC-a", facts: Self.others))
    guard
      case .success = TranscriptReader.verify(
        data, allowIncomplete: true, protocolFor: { _ in callProtocol })
    else {
      Issue.record("the transcript does not verify")
      return
    }
    let (driver, _) = try TranscriptReader.replay(reading, on: callProtocol).get()
    #expect(driver.session.incidentFacts == call.session.incidentFacts)
    #expect(driver.session.values == call.session.values)
  }
}

extension IncidentFactTests {
  @Test("the built-in protocol asks for the description later once another call gave one")
  func builtInDescriptionLater() throws {
    var call = try IncidentTestCall("call-b")
    try call.school()
    let question = try #require(call.session.callProtocol.question(id: "attacker_description"))
    #expect(question.priority(with: call.session.values) == 880)
    try call.apply(
      .incidentFacts(incident: "INC-call-a", facts: ["attacker_description": .text("red jacket")]))
    #expect(question.priority(with: call.session.values) == 820)
    #expect(call.session.applies(question))  // still asked: this caller's own view
  }
}
