import Foundation
import Testing

@testable import CallScript

/// Calls on the built-in protocol for incident tests: a fixed start per call, answers by value.
struct IncidentTestCall {
  /// 2026-01-01T00:00:00Z.
  static let epoch = Date(timeIntervalSince1970: 1_767_225_600)

  var session: Session
  var context: CallContext
  var time = 0.0

  /// A call that started `startOffset` seconds after ``epoch``.
  init(_ id: String, startOffset: Double = 0, position: String = "position-1") throws {
    session = Session(callProtocol: try #require(BuiltInProtocol.compile().protocolValue))
    context = CallContext(
      callID: id, startedAt: Self.epoch.addingTimeInterval(startOffset),
      agencyID: "psap.example-county.example.us", agentID: position)
  }

  /// Applies an event `seconds` after the previous one.
  mutating func apply(_ event: SessionEvent, after seconds: Double = 5) throws {
    time += seconds
    _ = try session.apply(event, at: time).get()
  }

  mutating func answer(_ question: String, _ value: FactValue, after seconds: Double = 5) throws {
    try apply(.answer(question: question, value: value), after: seconds)
  }

  /// The school shooting every test call is about, with the caller's source.
  mutating func school(_ place: String = "Lincoln High School", how: String = "saw") throws {
    try answer("location", .text(place))
    try answer("what_happening", .option("shooting"))
    try answer("how_known", .option(how))
  }

  var incidentCall: IncidentCall { IncidentCall(session: session, context: context) }
}
