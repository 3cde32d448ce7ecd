import Foundation
import Testing

@testable import CallScript

/// A protocol whose questions each forbid one kind of non-answer.
enum StrictAnswers {
  static let text = """
    protocol:
      id: strict-answers
      version: 1.0.0
      title: Questions that forbid unknown or refused
      languages: [en]
    response_levels: [urgent]
    resources:
      patrol: Patrol
    questions:
      - id: location
        label: Location
        ask: Where?
        kind: location
        priority: 100
        allow_unknown: false
        fills: incident.location
      - id: weapons
        label: Weapons
        ask: Which weapons?
        kind: many_of
        priority: 60
        allow_refused: false
        options:
          - { id: handgun, label: Handgun, key: h }
          - { id: knife, label: Knife, key: k }
      - id: attackers
        label: Attackers
        ask: How many attackers?
        kind: count
        priority: 50
    determinants:
      - code: T-9
        level: urgent
        plan: [patrol]
        label: Default
    dispatch_points:
      - id: first
        when: known(location)
    """

  static func callProtocol() throws -> CallProtocol {
    let result = ProtocolCompiler.compile(text: text, file: "strict.yaml")
    return try #require(result.protocolValue, "\(result.diagnostics.map(\.rendered))")
  }

  /// A transcript of the protocol, correctly chained, holding `events` one second apart.
  static func transcript(_ events: [SessionEvent]) -> Data {
    let header = Transcript.Header(
      protocolID: "strict-answers", protocolVersion: "1.0.0",
      protocolHash: Transcript.sha256(Data(text.utf8)),
      context: CallContext(
        callID: "strict", startedAt: Date(timeIntervalSince1970: 1_767_225_600),
        agencyID: "psap.example.gov", agentID: "position-1"),
      language: "en", clock: "simulated")
    var (text, previous) = Transcript.headerLine(header)
    for (index, event) in events.enumerated() {
      let at = Double(index + 1)
      let (line, hash) = Transcript.eventLine(
        Transcript.Entry(sequence: index + 1, at: at, event: event),
        wall: header.context.date(at: at), previous: previous)
      text += line
      previous = hash
    }
    return Data(text.utf8)
  }
}

@Suite("Answers a question does not allow: refused by the engine and on replay")
struct RefusedAnswerTests {
  @Test(
    "the engine refuses a non-answer the question forbids, and leaves the session as it was",
    arguments: [
      ("weapons", FactValue.refused, "'refused' is not allowed here"),
      ("location", FactValue.unknown, "'unknown' is not allowed here"),
    ])
  func engineRefuses(question: String, value: FactValue, message: String) throws {
    var session = Session(callProtocol: try StrictAnswers.callProtocol())
    let result = session.apply(.answer(question: question, value: value), at: 5)
    guard case .failure(let error) = result else {
      Issue.record("\(value) was taken for '\(question)'")
      return
    }
    #expect(error.message.hasPrefix(message))
    #expect(error.question == question)
    #expect(session.eventCount == 0)
    #expect(session.answers.allSatisfy { $0 == nil })
  }

  @Test(
    "where the protocol allows them, unknown and refused are taken",
    arguments: [
      ("location", FactValue.refused), ("weapons", .unknown), ("attackers", .refused),
      ("attackers", .unknown),
    ])
  func allowedNonAnswers(question: String, value: FactValue) throws {
    var session = Session(callProtocol: try StrictAnswers.callProtocol())
    _ = try session.apply(.answer(question: question, value: value), at: 5).get()
    #expect(session.eventCount == 1)
  }

  @Test("typing 'r' or 'u' where it is not allowed is refused with what the question takes")
  func parserRefuses() throws {
    let callProtocol = try StrictAnswers.callProtocol()
    let weapons = try #require(callProtocol.question(id: "weapons"))
    let location = try #require(callProtocol.question(id: "location"))
    guard case .failure(let refused) = AnswerParser.parse("r", for: weapons) else {
      Issue.record("'r' was taken for weapons")
      return
    }
    #expect(refused.message.hasPrefix("'refused' is not allowed here"))
    #expect(!refused.message.contains("r for refused"))
    guard case .failure(let unknown) = AnswerParser.parse("u", for: location) else {
      Issue.record("'u' was taken for location")
      return
    }
    #expect(unknown.message.hasPrefix("'unknown' is not allowed here"))
    #expect(try AnswerParser.parse("u", for: weapons).get() == .unknown)
    #expect(try AnswerParser.parse("r", for: location).get() == .refused)
  }

  @Test("replay rejects a transcript holding a refusal the question does not allow")
  func replayRejects() throws {
    let callProtocol = try StrictAnswers.callProtocol()
    let data = StrictAnswers.transcript([
      .answer(question: "location", value: .text("12 Main St")),
      .answer(question: "weapons", value: .refused),
      .end,
    ])
    let reading = try TranscriptReader.read(data).get()
    #expect(reading.entries.count == 3)
    guard case .failure(let problem) = TranscriptReader.replay(reading, on: callProtocol) else {
      Issue.record("replay took a forbidden refusal")
      return
    }
    #expect(problem.line == 3)
    #expect(problem.message.contains("the engine refuses this event on replay"))
    #expect(problem.message.contains("'refused' is not allowed here"))
    let verified = TranscriptReader.verify(data, allowIncomplete: false) { _ in callProtocol }
    guard case .failure(let again) = verified else {
      Issue.record("verify took a forbidden refusal")
      return
    }
    #expect(again == problem)
  }

  @Test("the same transcript with an allowed answer verifies")
  func replayAccepts() throws {
    let callProtocol = try StrictAnswers.callProtocol()
    let data = StrictAnswers.transcript([
      .answer(question: "location", value: .text("12 Main St")),
      .answer(question: "weapons", value: .unknown),
      .end,
    ])
    let reading = try TranscriptReader.verify(data, allowIncomplete: false) { _ in callProtocol }
      .get()
    #expect(reading.entries.count == 3)
  }
}
