import Foundation

/// One input from the call-taker (or a CAD integration), with the time it carries, if any.
public enum FrontendInput {
  /// Something for the call: an answer, a command, time passing (``CallAction/wait``).
  case action(CallAction, at: Double?)
  /// A display command: status, relays, verifications, help, questions.
  case show(InputLine, at: Double?)
  /// Input that could not be read; the message says why.
  case invalid(String, at: Double?)
  /// What the phone system and CAD know (a jsonl `{"call": …}`): items in the order to apply.
  case callData([(item: String, text: String)], at: Double?)

  /// A typed line (plain or terminal) as an input.
  public static func typed(_ line: InputLine, at: Double?) -> FrontendInput {
    switch CallInput.resolve(line) {
    case .action(let action): .action(action, at: at)
    case .show(let line): .show(line, at: at)
    case .nothing: .action(.wait, at: at)
    case .error(let error): .invalid(error.message, at: at)
    }
  }
}

/// The names of call data in `take` options and jsonl `{"call": …}` objects.
public enum CallDataItem {
  /// Facts that answer questions (`call_data` in the protocol).
  public static let fromPhoneSystem = ["callback", "location"]
  /// Who the call is: fixed when the transcript opens, so only given as `take` options.
  public static let fromCommandLine = ["call_id", "incident_id", "agency", "agent"]
}

/// The jsonl input parser (`take --io jsonl`): one line of input to what it asks for.
///
/// One JSON object a line; docs/jsonl.md describes every object. In the library so it is fuzzed as shipped
/// (scripts/fuzz) and kept apart from the I/O that reads the lines.
public enum JSONLinesInput {
  /// What one input line asks for: a blank line lets time pass; anything but one JSON object
  /// is refused with the reason.
  public static func parse(_ line: String) -> FrontendInput {
    if line.trimmingCharacters(in: .whitespaces).isEmpty { return .action(.wait, at: nil) }
    guard let json = JSONValue.parse(Data(line.utf8)), case .object(let members) = json else {
      let why = JSONValue.problem(Data(line.utf8)).map { " (\($0))" } ?? ""
      return .invalid("each input line must be one JSON object\(why)", at: nil)
    }
    return input(members)
  }

  /// What one input object asks for.
  public static func input(_ members: [String: JSONValue]) -> FrontendInput {
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
}
