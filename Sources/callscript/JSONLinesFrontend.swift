import CallScript
import Foundation

/// The machine interface (`--io jsonl`): one JSON object per line each way.
///
/// For CAD integration and for driving the engine from programs; docs/jsonl.md shows an
/// exchange.
final class JSONLinesFrontend: Frontend {
  /// Longest input line read, in bytes; longer lines are refused whole.
  static let maximumLine = 1_048_576

  func emit(_ object: JSONValue) {
    print(object.canonical)
    fflush(nil)
  }

  func next(session: Session) -> FrontendInput? {
    guard let raw = readLine(strippingNewline: true) else { return nil }
    if raw.utf8.count > Self.maximumLine {
      return .invalid("input line longer than \(Self.maximumLine) bytes", at: nil)
    }
    if raw.trimmingCharacters(in: .whitespaces).isEmpty { return .line(.empty, at: nil) }
    guard let json = JSONValue.parse(Data(raw.utf8)), case .object(let members) = json else {
      return .invalid("each input line must be one JSON object", at: nil)
    }
    var at: Double?
    if let value = members["at"] {
      guard let seconds = value.number, seconds.isFinite, seconds >= 0 else {
        return .invalid("'at' must be a number of seconds since the call started", at: nil)
      }
      at = seconds
    }
    let question = members["question"]?.string
    if let answer = members["answer"] {
      guard let input = Self.input(from: answer) else {
        return .invalid(
          "'answer' must be text, a number, or a list of option ids", at: at)
      }
      return .line(question.map { .set(question: $0, input: input) } ?? .answer(input), at: at)
    }
    if members["unknown"]?.bool == true { return .line(.unknown(question: question), at: at) }
    if members["refused"]?.bool == true { return .line(.refused(question: question), at: at) }
    if let note = members["note"] {
      guard let text = note.string else { return .invalid("'note' must be text", at: at) }
      return .line(.note(text), at: at)
    }
    if let command = members["command"]?.string {
      switch command {
      case "confirm", "refute":
        guard let id = members["verification"]?.string ?? members["id"]?.string else {
          return .invalid("'confirm' needs 'verification'", at: at)
        }
        let confirmed = command == "confirm" && members["confirmed"]?.bool != false
        return .line(
          .confirm(verification: id, confirmed: confirmed, unit: members["unit"]?.string), at: at)
      case "override":
        guard let code = members["code"]?.string else {
          return .invalid("'override' needs 'code' and 'reason'", at: at)
        }
        return .line(.override(code: code, reason: members["reason"]?.string ?? ""), at: at)
      case "wait", "tick":
        return .line(.empty, at: at)
      default:
        let line = InputLine.parse("/" + command)
        if case .invalid(let message) = line { return .invalid(message, at: at) }
        return .line(line, at: at)
      }
    }
    return .invalid(
      "unknown input: expected 'answer', 'unknown', 'refused', 'note' or 'command'", at: at)
  }

  /// An answer value as the call-taker would type it: ids joined with commas, numbers as digits.
  static func input(from value: JSONValue) -> String? {
    switch value {
    case .string(let text): return text
    case .number(let number):
      guard number.isFinite, number == number.rounded(), abs(number) < 1e12 else {
        return number.isFinite ? String(number) : nil
      }
      return String(Int64(number))
    case .bool(let yes): return yes ? "yes" : "no"
    case .array(let items):
      let parts = items.compactMap { $0.string }
      return parts.count == items.count && !parts.isEmpty ? parts.joined(separator: ",") : nil
    default: return nil
    }
  }

  static func question(_ prompt: Prompt) -> JSONValue {
    .object([
      "type": .string("question"),
      "id": .string(prompt.questionID),
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
      emit(
        .object([
          "type": .string("say"), "id": .string(instruction.id), "text": .string(instruction.text),
          "interrupt": .bool(instruction.interrupt),
        ]))
    }
    if outcome.determinantChanged, let determinant = outcome.determinant {
      emit(
        .object([
          "type": .string("determinant"), "code": .string(determinant.code),
          "level": .string(determinant.level), "label": .string(determinant.label),
          "plan": .array(determinant.plan.map { .string($0) }),
        ]))
    }
    for relay in outcome.relays {
      emit(
        .object([
          "type": .string("relay"), "id": .string(relay.id), "text": .string(relay.text),
          "update": .bool(relay.isUpdate),
        ]))
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
      let document = JSONValue.parse(Data(record.json.utf8), maxDepth: 64) ?? .null
      emit(
        .object([
          "type": .string("record"), "seq": .number(Double(record.sequence)), "eido": document,
        ]))
    }
  }

  func start(session: Session, outcome: StepOutcome, transcript: String, resumed: Bool) {
    emit(
      .object([
        "type": .string("call"), "protocol": .string(session.callProtocol.id),
        "version": .string(session.callProtocol.version), "transcript": .string(transcript),
        "resumed": .bool(resumed),
      ]))
    effects(outcome, records: [])
    if let prompt = session.currentPrompt { emit(Self.question(prompt)) }
  }

  func show(_ outcome: StepOutcome, session: Session, records: [RecordOutput]) {
    effects(outcome, records: records)
    if let prompt = outcome.prompt {
      emit(Self.question(prompt))
    }
  }

  func due(_ outcome: StepOutcome, session: Session) {
    if let prompt = outcome.prompt { emit(Self.question(prompt)) }
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

  func finish(session: Session, transcript: String) {
    emit(
      .object([
        "type": .string("end"), "ended": .bool(session.ended), "transcript": .string(transcript),
        "at": .number(session.now),
      ]))
  }
}
