import Foundation
import Testing

@testable import CallScript

/// Hand-written calls on the built-in protocol, encoded as transcripts, for review tests.
enum ReviewFixtures {
  static let builtIn: CallProtocol = {
    guard let compiled = BuiltInProtocol.compile().protocolValue else {
      fatalError("the built-in protocol does not compile")
    }
    return compiled
  }()
  static let plan = ReviewPlan(builtIn)
  static let start = Date(timeIntervalSince1970: 1_767_225_600)

  /// A transcript of `events` (call-clock seconds, event) on the built-in protocol, or on
  /// `callProtocol` with the source hash `hash`.
  static func transcript(
    _ events: [(Double, SessionEvent)], on callProtocol: CallProtocol = builtIn,
    hash: String? = nil, callID: String = "test-call", position: String = "position-1"
  ) -> Data {
    let header = Transcript.Header(
      protocolID: callProtocol.id, protocolVersion: callProtocol.version,
      protocolHash: hash ?? Transcript.sha256(BuiltInProtocol.data),
      context: CallContext(
        callID: callID, startedAt: start, agencyID: "psap.test", agentID: position),
      language: "en", clock: "simulated")
    return Data(
      Transcript.text(header: header, events: events.map { (at: $0.0, event: $0.1) }).utf8)
  }

  /// Reviews hand-written events.
  static func review(
    _ events: [(Double, SessionEvent)], callID: String = "test-call",
    position: String = "position-1"
  ) throws -> CallReview {
    let data = transcript(events, callID: callID, position: position)
    return try CallReviewer.review(data, file: "\(callID).jsonl") { _ in plan }.get()
  }

  static func answer(_ question: String, _ value: FactValue) -> SessionEvent {
    .answer(question: question, value: value)
  }

  static func text(_ question: String, _ text: String) -> SessionEvent {
    .answer(question: question, value: .text(text))
  }

  static func yes(_ question: String) -> SessionEvent {
    .answer(question: question, value: .yesNo(true))
  }

  static func no(_ question: String) -> SessionEvent {
    .answer(question: question, value: .yesNo(false))
  }

  static func option(_ question: String, _ id: String) -> SessionEvent {
    .answer(question: question, value: .option(id))
  }

  /// The repository's example transcripts.
  static var examples: [URL] {
    let folder = Fixtures.repository.appendingPathComponent("transcripts")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter(isExample).sorted().map {
      folder.appendingPathComponent($0)
    }
  }

  static var exampleNames: [String] { examples.map(\.lastPathComponent) }

  /// Whether a file in transcripts/ is a shipped example (`NN-name.jsonl`), not a live call
  /// taken in this checkout (named by its date).
  static func isExample(_ name: String) -> Bool {
    let characters = Array(name)
    return name.hasSuffix(".jsonl") && characters.count > 3 && characters[0].isNumber
      && characters[1].isNumber && characters[2] == "-"
  }

  static func example(_ name: String) throws -> Data {
    try Data(
      contentsOf: Fixtures.repository.appendingPathComponent("transcripts").appendingPathComponent(
        name))
  }
}
