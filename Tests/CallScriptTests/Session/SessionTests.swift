import Foundation
import Testing

@testable import CallScript

/// Builds a session on the test protocol and answers by typed input, as a call-taker would.
struct Call {
  var session: Session
  var time = 0.0

  init() throws {
    try self.init(text: try Fixtures.text("session.yaml"))
  }

  /// A call with the protocol in `text`.
  init(text: String) throws {
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "s.yaml")
    session = Session(
      callProtocol: try #require(result.protocolValue, "\(result.diagnostics.map(\.rendered))"))
  }

  var prompt: String? { session.currentPrompt?.questionID }

  @discardableResult
  mutating func answer(_ input: String, to id: String? = nil, after seconds: Double = 5) throws
    -> StepOutcome
  {
    time += seconds
    let questionID = try #require(id ?? prompt)
    let question = try #require(session.callProtocol.question(id: questionID))
    let value = try AnswerParser.parse(input, for: question).get()
    return try session.apply(.answer(question: questionID, value: value), at: time).get()
  }

  mutating func apply(_ event: SessionEvent, after seconds: Double = 5) -> Result<
    StepOutcome, SessionError
  > {
    time += seconds
    return session.apply(event, at: time)
  }
}

@Suite("Session engine")
struct SessionTests {
  @Test("the highest-priority question comes first and a record goes out after two answers")
  func firstDispatchAfterTwoAnswers() throws {
    var call = try Call()
    #expect(call.prompt == "location")
    #expect(call.session.startOutcome.record == nil)
    let first = try call.answer("12 Main St")
    #expect(first.record == nil)
    #expect(call.prompt == "attack")
    let second = try call.answer("s")
    let record = try #require(second.record)
    #expect(record.sequence == 1)
    #expect(record.dispatchPoint == "first")
    #expect(record.field(.incidentLocation)?.text == "12 Main St")
    #expect(record.field(.incidentKind)?.text == "Shooting")
    #expect(record.field(.incidentType)?.text == "active shooter")
    #expect(record.determinant.code == "T-2")
    // Interrupting instructions come first.
    #expect(second.instructions.map(\.id) == ["hide", "help_coming"])
    #expect(second.verifications.map(\.id) == ["attack_exists"])
    #expect(second.verifications.first?.confirm == "Confirm an attack at 12 Main St")
    #expect(call.prompt == "ongoing")
  }

  @Test("a volunteered answer fills its fact without changing the question on screen")
  func volunteeredAnswer() throws {
    var call = try Call()
    try call.answer("12 Main St")
    let outcome = try call.answer("2", to: "attackers")
    #expect(outcome.warnings == ["Several callers often describe one attacker"])
    #expect(call.prompt == "attack")
    try call.answer("s")
    #expect(call.session.determinant?.code == "T-1")
    #expect(call.session.lastRecord?.field(.suspectCount)?.text == "2")
  }

  @Test("what a volunteered answer made due before dispatch goes out at the first dispatch")
  func relaysWaitForDispatch() throws {
    var call = try Call()
    try call.answer("12 Main St")
    let early = try call.answer("2", to: "attackers")
    #expect(early.relays.isEmpty)  // nothing goes to units before a dispatch point
    let dispatched = try call.answer("s")
    #expect(dispatched.record?.sequence == 1)
    // The count relay reads only `attackers`, which this answer did not touch.
    #expect(dispatched.relays.map(\.id) == ["count"])
    #expect(dispatched.relays.first?.text == "2 attackers")
  }

  @Test("a verification that changes alone still sends a new record: units read it there")
  func verificationChangeSendsRecord() throws {
    let source =
      String(decoding: try Fixtures.data("valid-minimal.yaml"), as: UTF8.self)
      + "  - id: what_happened\n    when: known(attack)\n    confirm: Confirm a {attack}\n"
      + "    evidence: The caller's account\n"
    let compiled = try #require(
      ProtocolCompiler.compile(data: Data(source.utf8), file: "v.yaml").protocolValue)
    var session = Session(callProtocol: compiled)
    _ = try session.apply(.answer(question: "location", value: .text("1 Main St")), at: 5).get()
    let first = try session.apply(.answer(question: "attack", value: .option("shooting")), at: 10)
      .get()
    #expect(first.record?.sequence == 1)
    // `attack` fills no record field and the determinant stays: only the verification moves.
    let changed = try session.apply(
      .answer(question: "attack", value: .option("stabbing")), at: 20
    ).get()
    #expect(changed.verifications.map(\.confirm) == ["Confirm a Stabbing"])
    #expect(changed.record?.sequence == 2)
    #expect(
      changed.record?.verifications.first { $0.id == "what_happened" }?.confirm
        == "Confirm a Stabbing")
  }

  @Test("a new record goes out on every change of a recorded fact, and only then")
  func recordsOnChange() throws {
    var call = try Call()
    try call.answer("12 Main St")
    try call.answer("s")
    // Notes are in the record; a note waits for the record interval (10 s after record 1).
    let note = try call.apply(.note("caller whispering")).get()
    #expect(note.record == nil)
    #expect(call.session.recordDueAt == 20)
    let ongoing = try call.answer("y")
    // `ongoing` fills nothing and changes no recorded fact; at 20 s the note's record is due,
    // and goes out once the clock is past 20 s.
    #expect(ongoing.records.isEmpty)
    let position = try call.answer("gym, east side")
    #expect(position.dueRecord?.sequence == 2)
    #expect(position.dueRecord?.at == 20)
    #expect(position.dueRecord?.notes.map(\.text) == ["caller whispering"])
    #expect(position.dueRecord?.field(.suspectLocation) == nil)
    // The attacker's position changes the response: its record goes out at once.
    #expect(position.record?.sequence == 3)
    #expect(position.record?.at == 25)
    #expect(position.relays.map(\.text) == ["Attacker last seen gym, east side 0 s ago"])
    let unchanged = try call.apply(.aired(relay: "position")).get()
    #expect(unchanged.records.isEmpty)
    #expect(call.session.recordDueAt == nil)
  }

  @Test("a changed answer takes dependent answers off-route and out of the record")
  func offRoute() throws {
    var call = try Call()
    try call.answer("12 Main St")
    try call.answer("s")
    try call.answer("y")
    try call.answer("library")
    #expect(call.session.lastRecord?.field(.suspectLocation)?.text == "library")
    let changed = try call.answer("k", to: "attack")
    #expect(call.session.isOffRoute("attacker_location"))
    let record = try #require(changed.record)
    #expect(record.field(.suspectLocation) == nil)
    #expect(record.field(.incidentKind)?.text == "Stabbing")
    #expect(call.session.determinant?.code == "T-9")
    // The change contradicts a known fact: units verify it.
    #expect(changed.verifications.contains { $0.id == "conflict_attack" })
    // History is kept.
    #expect(call.session.answers[1]?.history.map(\.value) == [.option("shooting")])
  }

  @Test(
    "a refused answer leaves the session exactly as it was",
    arguments: [
      ("attackers", "two or tree", "is not a count"),
      ("attackers", "-1", "negative"),
      ("attackers", "999999999999", "more than 1000000"),
      ("attackers", "51", "not plausible"),
      ("attackers", "", "empty answer"),
      ("attackers", "3\u{7}", "control character"),
      ("weapons", "z", "'z' is not an option"),
      ("weapons", "r", "'refused' is not allowed"),
      ("ongoing", "maybe", "not yes or no"),
    ])
  func refusedAnswer(question: String, input: String, message: String) throws {
    var call = try Call()
    try call.answer("12 Main St")
    let before = call.session
    let target = try #require(call.session.callProtocol.question(id: question))
    let result = AnswerParser.parse(input, for: target).flatMap { value in
      call.session.apply(.answer(question: question, value: value), at: 99)
    }
    guard case .failure(let error) = result else {
      Issue.record("'\(input)' was accepted")
      return
    }
    #expect(error.message.contains(message), "\(error.message)")
    #expect(error.message.contains("question '\(question)' takes") || message == "not plausible")
    #expect(call.session.values == before.values)
    #expect(call.session.eventCount == before.eventCount)
    #expect(call.session.now == before.now)
    #expect(call.prompt == "attack")
  }

  @Test(
    "counts: exact, ranges, open ranges and words",
    arguments: [
      ("3", FactValue.count(low: 3, high: 3)),
      ("2-3", .count(low: 2, high: 3)),
      ("2+", .count(low: 2, high: nil)),
      ("several", .count(low: 2, high: nil)),
      ("none", .count(low: 0, high: 0)),
      ("u", .unknown),
      ("R", .refused),
    ])
  func counts(input: String, expected: FactValue) throws {
    let call = try Call()
    let question = try #require(call.session.callProtocol.question(id: "attackers"))
    #expect(try AnswerParser.parse(input, for: question).get() == expected)
  }

  @Test("several options by keys, ids or labels")
  func manyOf() throws {
    let call = try Call()
    let question = try #require(call.session.callProtocol.question(id: "weapons"))
    for input in ["h,l", "h l", "hl", "handgun, rifle", "Handgun,Rifle"] {
      #expect(try AnswerParser.parse(input, for: question).get() == .options(["handgun", "rifle"]))
    }
  }

  @Test("a stale attacker location is asked again after its interval, while it may be")
  func reask() throws {
    var call = try Call()
    try call.answer("12 Main St")
    try call.answer("s")
    try call.answer("y")
    try call.answer("gym", after: 5)  // at 20 s
    #expect(call.prompt == "attackers")
    _ = call.session.advance(to: 79)
    #expect(call.prompt == "attackers")
    let due = call.session.advance(to: 80)
    #expect(due.prompt?.questionID == "attacker_location")
    #expect(due.prompt?.isReask == true)
    let moved = try call.answer("cafeteria", after: 60)
    #expect(moved.relays.first?.isUpdate == true)
    #expect(moved.relays.first?.text.contains("cafeteria") == true)
    // Once the attack is over the location is no longer re-asked, but stays in the record.
    try call.answer("n", to: "ongoing")
    _ = call.session.advance(to: 1_000)
    #expect(call.prompt == "attackers")
    #expect(call.session.lastRecord?.field(.suspectLocation)?.text == "cafeteria")
  }

  @Test("overrides only raise the response, with a reason")
  func overrides() throws {
    var call = try Call()
    try call.answer("12 Main St")
    try call.answer("s")
    #expect(call.session.determinant?.code == "T-2")
    #expect(throws: SessionError.self) { try call.apply(.override(code: "T-9", reason: "x")).get() }
    #expect(throws: SessionError.self) { try call.apply(.override(code: "T-1", reason: " ")).get() }
    let raised = try call.apply(.override(code: "T-1", reason: "caller hears two guns")).get()
    #expect(raised.determinantChanged)
    #expect(raised.determinant?.overrideReason == "caller hears two guns")
    #expect(raised.record?.determinant.code == "T-1")
  }

  @Test("back asks the last answered question again")
  func back() throws {
    var call = try Call()
    #expect(throws: SessionError.self) { try call.apply(.back).get() }
    try call.answer("12 Main St")
    try call.answer("k")
    let outcome = try call.apply(.back).get()
    #expect(outcome.prompt?.questionID == "attack")
    #expect(outcome.prompt?.isBack == true)
    try call.answer("s")
    #expect(call.prompt == "ongoing")
  }

  @Test("units confirm verifications; the next record says so")
  func confirmations() throws {
    var call = try Call()
    #expect(throws: SessionError.self) {
      try call.apply(.confirm(verification: "attack_exists", confirmed: true, unit: nil, note: nil))
        .get()
    }
    try call.answer("12 Main St")
    try call.answer("s")
    let confirmed = try call.apply(
      .confirm(verification: "attack_exists", confirmed: true, unit: "Unit 12", note: nil),
      after: 10
    ).get()
    #expect(confirmed.record?.verifications.first?.status == .confirmed)
    #expect(confirmed.record?.verifications.first?.unit == "Unit 12")
  }

  @Test("disconnect, callback and the end of the call")
  func lifecycle() throws {
    var call = try Call()
    #expect(throws: SessionError.self) { try call.apply(.callback).get() }
    _ = try call.apply(.disconnect).get()
    #expect(!call.session.callerConnected)
    _ = try call.apply(.callback).get()
    let ended = try call.apply(.end).get()
    #expect(ended.prompt == nil)
    #expect(throws: SessionError.self) { try call.answer("12 Main St", to: "location") }
  }

  @Test("time goes backwards or is not a number: refused")
  func badTime() throws {
    var call = try Call()
    #expect(throws: SessionError.self) { try call.session.apply(.note("x"), at: -1).get() }
    #expect(throws: SessionError.self) { try call.session.apply(.note("x"), at: .nan).get() }
  }

  @Test("replaying the same events gives the same records")
  func deterministic() throws {
    var first = try Call()
    var second = try Call()
    for call in [0, 1] {
      var copy = call == 0 ? first : second
      try copy.answer("12 Main St")
      try copy.answer("s")
      try copy.answer("y")
      try copy.answer("gym")
      try copy.answer("2-3")
      if call == 0 { first = copy } else { second = copy }
    }
    #expect(first.session.lastRecord == second.session.lastRecord)
    #expect(first.session.lastRecord?.sequence == 3)
  }
}
