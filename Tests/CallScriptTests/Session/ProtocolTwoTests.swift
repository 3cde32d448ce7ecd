import Testing

@testable import CallScript

/// The engine features protocol 2.0 relies on, on the built-in protocol.
@Suite("Protocol 2.0 engine features")
struct ProtocolTwoTests {
  static func session(language: String? = nil) throws -> Session {
    Session(callProtocol: try #require(BuiltInProtocol.compile().protocolValue), language: language)
  }

  static func answer(
    _ session: inout Session, _ id: String, _ value: FactValue, at time: Double
  ) throws -> StepOutcome {
    try session.apply(.answer(question: id, value: value), at: time).get()
  }

  @Test("priority_if moves the hiding spot ahead once the caller must hide")
  func conditionalPriority() throws {
    var session = try Self.session()
    _ = try Self.answer(&session, "location", .text("1 Main St"), at: 5)
    _ = try Self.answer(&session, "what_happening", .option("shooting"), at: 10)
    _ = try Self.answer(&session, "callback", .text("555"), at: 15)
    _ = try Self.answer(&session, "still_happening", .yesNo(true), at: 20)
    _ = try Self.answer(&session, "caller_safe", .yesNo(false), at: 25)
    _ = try Self.answer(&session, "can_leave", .yesNo(false), at: 90)
    let step = try Self.answer(&session, "can_talk", .yesNo(true), at: 150)
    #expect(step.prompt?.questionID == "caller_spot")
  }

  @Test("the EMS part is held after a drop until the stand-down is confirmed")
  func medicalHeld() throws {
    var session = try Self.session()
    _ = try Self.answer(&session, "location", .text("1 Main St"), at: 5)
    _ = try Self.answer(&session, "what_happening", .option("vehicle"), at: 10)
    _ = try Self.answer(&session, "victim_count", .count(low: 6, high: 6), at: 70)
    #expect(session.determinant?.plan.contains("ems_mci") == true)
    let lowered = try Self.answer(&session, "victim_count", .count(low: 0, high: 0), at: 200)
    #expect(session.determinant?.plan.contains("ems_mci") == true)
    #expect(session.determinant?.held.contains("ems_mci") == true)
    #expect(lowered.verifications.contains { $0.id == "medical_stand_down" })
    _ = try session.apply(
      .confirm(verification: "medical_stand_down", confirmed: true, unit: nil, note: nil),
      at: 260
    ).get()
    #expect(session.determinant?.plan.contains("ems_mci") == false)
  }

  @Test("free text from a call in Spanish is marked in unit lines")
  func languageMark() throws {
    var session = try Self.session(language: "es")
    _ = try Self.answer(&session, "location", .text("Metro Centro"), at: 5)
    _ = try Self.answer(&session, "what_happening", .option("other"), at: 40)
    let step = try Self.answer(&session, "attacker_description", .text("hombre alto"), at: 95)
    #expect(step.relays.contains { $0.text == "Attacker description: [es] hombre alto" })
  }

  @Test("call data answers its question as a call_data event that round-trips")
  func callData() throws {
    var session = try Self.session()
    let event = SessionEvent.callData(item: "callback", question: "callback", value: .text("555"))
    _ = try session.apply(event, at: 0).get()
    #expect(
      session.values[try #require(session.callProtocol.slot(named: "callback"))] == .text("555"))
    #expect(SessionEvent(type: event.typeName, payload: event.payload) == event)
    let wrong = SessionEvent.callData(item: "location", question: "callback", value: .text("x"))
    #expect(throws: SessionError.self) { try session.apply(wrong, at: 1).get() }
  }
}
