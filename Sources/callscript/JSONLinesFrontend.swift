import CallScript
import Foundation

/// The names of call data in `take` options and jsonl `{"call": …}` objects.
enum CallDataItem {
  /// Facts that answer questions (`call_data` in the protocol).
  static let fromPhoneSystem = ["callback", "location"]
  /// Who the call is: fixed when the transcript opens, so only given as `take` options.
  static let fromCommandLine = ["call_id", "incident_id", "agency", "agent"]
}

/// The machine interface (`--io jsonl`): one JSON object per line each way.
///
/// For CAD integration and for driving the engine from programs; docs/jsonl.md shows an
/// exchange.
final class JSONLinesFrontend: Frontend {
  /// Longest input line read, in bytes; longer lines are refused whole (and never held whole).
  static let maximumLine = InputLines.maximumLine
  let reader = InputLines(descriptor: STDIN_FILENO)

  /// Writes one output object; any control or bidirectional character in its strings (none
  /// enters a call, but a message may quote what was refused) is written escaped.
  func emit(_ object: JSONValue) {
    print(Escaped.json(object.canonical))
    fflush(nil)
  }

  func next(session: Session, prompt: Prompt?) -> FrontendInput? {
    let raw: String
    switch reader.next() {
    case nil: return nil
    case .text(let text): raw = text
    case .tooLong: return .invalid("input line longer than \(Self.maximumLine) bytes", at: nil)
    case .notUTF8: return .invalid("the input line is not UTF-8 text", at: nil)
    }
    if raw.trimmingCharacters(in: .whitespaces).isEmpty { return .action(.wait, at: nil) }
    guard let json = JSONValue.parse(Data(raw.utf8)), case .object(let members) = json else {
      let why = JSONValue.problem(Data(raw.utf8)).map { " (\($0))" } ?? ""
      return .invalid("each input line must be one JSON object\(why)", at: nil)
    }
    return Self.input(members)
  }

  /// What one input object asks for.
  static func input(_ members: [String: JSONValue]) -> FrontendInput {
    var at: Double?
    if let value = members["at"] {
      guard let seconds = value.number, seconds.isFinite, seconds >= 0,
        seconds <= CallDriver.maximumTime
      else {
        return .invalid(
          "'at' must be a number of seconds since the call started, from 0 to "
            + JSONValue.format(CallDriver.maximumTime), at: nil)
      }
      at = seconds
    }
    var question: String?
    if let value = members["question"] {
      guard let id = value.string else {
        return .invalid("'question' must be a question id (text)", at: at)
      }
      question = id
    }
    var prompt: Int?
    if let value = members["prompt"] {
      guard let number = Transcript.promptNumber(value) else {
        return .invalid("'prompt' must be the number of a question shown in this call", at: at)
      }
      prompt = number
    }
    let target: AnswerTarget =
      prompt.map { .prompt($0, question: question) } ?? question.map { .question($0) }
      ?? .onScreen
    if let call = members["call"] {
      guard case .object(let items) = call else {
        return .invalid("'call' must be an object such as {\"callback\": \"555-0100\"}", at: at)
      }
      // CAD names the incident the call is about: the call joins it (a `link` event).
      if let incident = items["incident"] {
        guard items.count == 1, let id = incident.string else {
          return .invalid(
            "'incident' must be an incident id (text), alone in its 'call' object", at: at)
        }
        return .action(.link(id), at: at)
      }
      let known = CallDataItem.fromPhoneSystem + CallDataItem.fromCommandLine + ["incident"]
      if let unknown = items.keys.sorted().first(where: { !known.contains($0) }) {
        return .invalid(
          "unknown call data '\(unknown)'; known: " + known.joined(separator: ", "), at: at)
      }
      if let item = items.keys.sorted().first(where: CallDataItem.fromCommandLine.contains) {
        return .invalid(
          "'\(item)' names the call in its transcript and records, so it is given when the call "
            + "opens: use take --\(item.replacingOccurrences(of: "_", with: "-"))", at: at)
      }
      var data: [(item: String, text: String)] = []
      for item in CallDataItem.fromPhoneSystem {
        guard let value = items[item] else { continue }
        guard let text = value.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
          return .invalid("call data '\(item)' must be non-empty text", at: at)
        }
        data.append((item, text))
      }
      return .callData(data, at: at)
    }
    if let answer = members["answer"] {
      return .action(.answer(.json(answer), to: target), at: at)
    }
    if members["unknown"] != nil || members["refused"] != nil {
      let key = members["unknown"] != nil ? "unknown" : "refused"
      guard members[key] == .bool(true) else { return .invalid("'\(key)' must be true", at: at) }
      return .action(.answer(.value(key == "unknown" ? .unknown : .refused), to: target), at: at)
    }
    if let note = members["note"] {
      guard let text = note.string else { return .invalid("'note' must be text", at: at) }
      return .action(.note(text), at: at)
    }
    if let command = members["command"] {
      guard let command = command.string else {
        return .invalid("'command' must be a command name (text)", at: at)
      }
      switch command {
      case "confirm", "refute":
        guard let id = members["verification"]?.string ?? members["id"]?.string else {
          return .invalid("'\(command)' needs 'verification'", at: at)
        }
        var confirmed = command == "confirm"
        if let value = members["confirmed"] {
          guard let flag = value.bool else {
            return .invalid("'confirmed' must be true or false (a JSON boolean)", at: at)
          }
          confirmed = confirmed && flag
        }
        if let unit = members["unit"], unit.string == nil {
          return .invalid("'unit' must be text", at: at)
        }
        return .action(
          .confirm(
            verification: id, confirmed: confirmed, unit: members["unit"]?.string,
            note: members["note"]?.string), at: at)
      case "override":
        guard let code = members["code"]?.string else {
          return .invalid("'override' needs 'code' and 'reason'", at: at)
        }
        return .action(.override(code: code, reason: members["reason"]?.string ?? ""), at: at)
      case "wait", "tick":
        return .action(.wait, at: at)
      case "link":
        guard let incident = members["incident"]?.string else {
          return .invalid("'link' needs 'incident' (an incident id, text)", at: at)
        }
        return .action(.link(incident), at: at)
      case "aired":
        guard let relay = members["relay"]?.string else {
          return .invalid("'aired' needs 'relay' (the id of a relay the call sent, text)", at: at)
        }
        return .action(.aired(relay), at: at)
      default:
        return .typed(InputLine.parse("/" + command), at: at)
      }
    }
    return .invalid(
      "unknown input: expected 'answer', 'unknown', 'refused', 'note' or 'command'", at: at)
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
    for relay in outcome.relays + outcome.withdrawnRelays {
      var object: [String: JSONValue] = [
        "type": .string("relay"), "id": .string(relay.id), "text": .string(relay.text),
        "update": .bool(relay.isUpdate),
      ]
      if relay.isWithdrawn { object["withdrawn"] = .bool(true) }
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
    if let step = outcome.step { effects(step, records: records) }
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
