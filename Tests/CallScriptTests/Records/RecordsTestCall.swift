import Foundation
import Testing

@testable import CallScript

/// A call on the built-in protocol, answered by value, keeping every record that went out.
///
/// Its protocol sends a record at every change (a record interval of 0), so each event's
/// record shows what that event did; when records go out is tested in
/// `Session/RecordIntervalTests.swift`.
struct RecordsTestCall {
  /// The context of every test call: a fixed start so timestamps are known.
  static let context = CallContext(
    callID: "20250304-151431-7f3a", startedAt: Date(timeIntervalSince1970: 1_741_101_271),
    agencyID: "psap.example-county.example.us", agentID: "calltaker7.psap.example-county.example.us"
  )

  var session: Session
  var context = RecordsTestCall.context
  var time = 0.0
  var records: [RecordSnapshot] = []

  init() throws {
    var everyChange = try #require(BuiltInProtocol.compile().protocolValue)
    everyChange.recordInterval = 0
    session = Session(callProtocol: everyChange)
  }

  /// Answers `question` `seconds` after the previous event.
  mutating func answer(_ question: String, _ value: FactValue, after seconds: Double = 5) throws {
    try apply(.answer(question: question, value: value), after: seconds)
  }

  mutating func apply(_ event: SessionEvent, after seconds: Double = 5) throws {
    time += seconds
    let outcome = try session.apply(event, at: time).get()
    records += outcome.records
  }

  var last: RecordSnapshot? { records.last }

  /// The EIDO document of a record of this call.
  func eido(_ record: RecordSnapshot) -> EIDODocument {
    EIDOEncoder.eido(for: record, context: context, callProtocol: session.callProtocol)
  }

  /// The JSON bytes of a record of this call.
  func json(_ record: RecordSnapshot) -> Data {
    EIDOEncoder.document(for: record, context: context, callProtocol: session.callProtocol)
  }

  /// The first two answers: a record goes out.
  static func dispatched(kind: String = "shooting") throws -> RecordsTestCall {
    var call = try RecordsTestCall()
    try call.answer(
      "location", .text("Exampleton High School, 1400 N. Broad St, east wing, 2nd floor"),
      after: 6)
    try call.answer("what_happening", .option(kind), after: 5)
    return call
  }

  /// A whole call at a school: a shooter with a rifle, two people hurt, a hidden caller who is
  /// a plain-clothes police officer, the attacker barricaded at the end, a unit's confirmation,
  /// a call-taker note and (unless `ending` is false) the end of the call.
  static func schoolShooting(ending: Bool = true) throws -> RecordsTestCall {
    var call = try dispatched()
    try call.answer("callback", .text("(555) 010-4477"), after: 7)
    try call.answer("still_happening", .yesNo(true), after: 4)
    try call.answer("caller_safe", .yesNo(false), after: 5)
    try call.answer("can_leave", .yesNo(false), after: 4)
    try call.answer("can_talk", .yesNo(true), after: 6)
    try call.answer("attacker_location", .text("2nd floor hallway outside room 214"), after: 8)
    try call.answer("caller_officer", .yesNo(true), after: 5)
    try call.answer("officer_duty", .option("on_duty_plain"), after: 4)
    try call.answer(
      "officer_description", .text("grey hoodie, jeans, badge on a chain"), after: 6)
    try call.answer("officer_armed", .yesNo(true), after: 3)
    try call.answer("officer_location", .text("room 210, door locked"), after: 5)
    try call.answer("how_known", .option("saw"), after: 4)
    try call.answer("last_seen", .option("under_minute"), after: 4)
    try call.answer("attacker_direction", .text("toward the gym"), after: 6)
    try call.answer("attacker_count", .count(low: 1, high: 1), after: 4)
    try call.answer("weapons", .options(["long_gun"]), after: 5)
    try call.answer("armor", .option("body_armor"), after: 4)
    try call.answer("attacker_description", .text("Male, black hoodie, tan backpack"), after: 9)
    try call.answer("victim_count", .count(low: 2, high: 3), after: 6)
    try call.answer("victim_location", .text("hallway outside room 214"), after: 5)
    try call.answer("victim_injuries", .text("one bleeding from the leg, one not moving"), after: 8)
    try call.answer("caller_spot", .text("room 210, under the desks"), after: 6)
    try call.answer("people_with", .count(low: 18, high: 18), after: 4)
    try call.answer("situation", .option("continuing"), after: 5)
    try call.apply(.note("gunfire audible on the line"), after: 3)
    try call.answer("device_seen", .yesNo(false), after: 5)
    try call.answer("entry_points", .text("north doors by the gym are open"), after: 7)
    try call.apply(
      .confirm(verification: "active_attack_exists", confirmed: true, unit: "1A12", note: nil),
      after: 10)
    try call.answer("situation", .option("barricade"), after: 20)
    if ending { try call.apply(.end, after: 30) }
    return call
  }
}
