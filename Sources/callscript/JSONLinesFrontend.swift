import CallScript
import Foundation

/// The machine interface (`--io jsonl`): one JSON object per line each way.
///
/// For CAD integration and for driving the engine from programs; docs/jsonl.md shows an
/// exchange.
final class JSONLinesFrontend: Frontend {
  /// Longest input line read, in bytes; longer lines are refused whole (and never held whole).
  static let maximumLine = InputLines.maximumLine
  let reader = InputLines(descriptor: STDIN_FILENO)
  /// Lets time pass while waiting for input on a live call (``Frontend/waitForInput(_:idle:)``).
  var idle: ((Bool) -> (DriverOutcome, Session, [RecordOutput])?)?

  func whileIdle(_ handler: @escaping (Bool) -> (DriverOutcome, Session, [RecordOutput])?) {
    idle = handler
  }

  /// Writes one output object; any control or bidirectional character in its strings (none
  /// enters a call, but a message may quote what was refused) is written escaped.
  func emit(_ object: JSONValue) {
    print(Escaped.json(object.canonical))
    fflush(nil)
  }

  func next(session: Session, prompt: Prompt?) -> FrontendInput? {
    waitForInput(reader, idle: idle)
    let raw: String
    switch reader.next() {
    case nil: return nil
    case .text(let text): raw = text
    case .tooLong: return .invalid("input line longer than \(Self.maximumLine) bytes", at: nil)
    case .notUTF8: return .invalid("the input line is not UTF-8 text", at: nil)
    }
    return JSONLinesInput.parse(raw)
  }

  static func question(_ prompt: Prompt) -> JSONValue {
    .object([
      "type": .string("question"),
      "id": .string(prompt.questionID),
      "prompt": .number(Double(prompt.number)),
      "text": .string(prompt.text),
      "reask": .bool(prompt.isReask),
      "answer": .object([
        "kind": .string(prompt.kind.rawValue),
        "options": .array(
          prompt.choices.map {
            .object([
              "id": .string($0.id), "label": .string($0.label), "key": .string(String($0.key)),
            ])
          }),
        "unknown": .bool(prompt.allowUnknown),
        "refused": .bool(prompt.allowRefused),
      ]),
    ])
  }

  func effects(_ outcome: StepOutcome, records: [RecordOutput]) {
    for warning in outcome.warnings {
      emit(.object(["type": .string("warning"), "text": .string(warning)]))
    }
    for instruction in outcome.instructions {
      var object: [String: JSONValue] = [
        "type": .string("say"), "id": .string(instruction.id), "text": .string(instruction.text),
        "interrupt": .bool(instruction.interrupt),
      ]
      if let at = instruction.at { object["at"] = .number(at) }
      emit(.object(object))
    }
    if outcome.determinantChanged, let determinant = outcome.determinant {
      emit(
        .object([
          "type": .string("determinant"), "code": .string(determinant.code),
          "level": .string(determinant.level), "label": .string(determinant.label),
          "plan": .array(determinant.plan.map { .string($0) }),
        ]))
    }
    for relay in outcome.relays + outcome.withdrawnRelays {
      var object: [String: JSONValue] = [
        "type": .string("relay"), "id": .string(relay.id), "text": .string(relay.text),
        "update": .bool(relay.isUpdate),
      ]
      if relay.isWithdrawn { object["withdrawn"] = .bool(true) }
      if let at = relay.at { object["at"] = .number(at) }
      emit(.object(object))
    }
    for verification in outcome.verifications {
      emit(
        .object([
          "type": .string("verify"), "id": .string(verification.id),
          "confirm": .string(verification.confirm), "evidence": .string(verification.evidence),
          "status": .string(verification.status.rawValue),
        ]))
    }
    for record in records {
      if let problem = record.problem {
        emit(.object(["type": .string("error"), "message": .string(problem)]))
      }
      let document = JSONValue.parse(Data(record.json.utf8), maxDepth: 64) ?? .null
      emit(
        .object([
          "type": .string("record"), "seq": .number(Double(record.sequence)), "eido": document,
        ]))
    }
  }

  func incident(_ notice: IncidentNotice) {
    emit(notice.json)
  }

  func start(
    session: Session, outcome: StepOutcome, transcript: String, resumed: Bool, signedBy: String?
  ) {
    emit(
      .object([
        "type": .string("call"), "protocol": .string(session.callProtocol.id),
        "version": .string(session.callProtocol.version), "transcript": .string(transcript),
        "resumed": .bool(resumed), "signed_by": signedBy.map(JSONValue.string) ?? .null,
      ]))
    effects(outcome, records: [])
    if let prompt = outcome.prompt { emit(Self.question(prompt)) }
  }

  func show(_ outcome: DriverOutcome, session: Session, records: [RecordOutput]) {
    for prompt in outcome.due {
      var members: [String: JSONValue] = [
        "type": .string("due"), "id": .string(prompt.questionID), "text": .string(prompt.text),
        "reask": .bool(prompt.isReask),
      ]
      if let waiting = outcome.dueBehind { members["waiting"] = .number(Double(waiting)) }
      emit(.object(members))
    }
    if let error = outcome.error {
      self.error(error.description, question: error.question)
    }
    if outcome.step != nil || !records.isEmpty {
      effects(outcome.step ?? StepOutcome(), records: records)
    }
    if let prompt = outcome.prompt, outcome.step != nil || outcome.promptChanged {
      emit(Self.question(prompt))
    }
  }

  func error(_ message: String, question: String?) {
    var members: [String: JSONValue] = ["type": .string("error"), "message": .string(message)]
    if let question { members["question"] = .string(question) }
    emit(.object(members))
  }

  func info(_ line: InputLine, session: Session) {
    emit(
      .object([
        "type": .string("status"),
        "facts": .array(
          session.knownFacts.map {
            .object(["id": .string($0.id), "text": .string($0.text), "value": $0.value.json])
          }),
        "determinant": session.determinant.map { .string($0.code) } ?? .null,
        "records": .number(Double(session.recordSequence)),
      ]))
  }

  func finish(session: Session, transcript: String?) {
    emit(
      .object([
        "type": .string("end"), "ended": .bool(session.ended),
        "transcript": transcript.map { .string($0) } ?? .null, "at": .number(session.now),
      ]))
  }
}
