/// What a call-taker typed at the prompt, understood as an action.
public enum InputLine: Sendable, Hashable {
  /// An answer to the question on screen, as typed.
  case answer(String)
  /// `/set QUESTION VALUE`: answer any question, or change an answer.
  case set(question: String, input: String)
  /// `/unknown [QUESTION]`, `u`.
  case unknown(question: String?)
  /// `/refused [QUESTION]`, `r`.
  case refused(question: String?)
  case note(String)
  case back
  case status
  case relays
  case verifications
  case confirm(verification: String, confirmed: Bool, unit: String?)
  case override(code: String, reason: String)
  case disconnect
  case callback
  case end
  /// `/link INCIDENT`: the call is about this incident.
  case link(String)
  /// `/unlink`: undo the link.
  case unlink
  /// `/new`: none of the incidents offered; the call stays its own incident.
  case newIncident
  case help
  case questions
  case empty
  /// A command that is not one; the message says what is.
  case invalid(String)

  /// The commands, for help and tab completion.
  public static let commands: [(name: String, usage: String, summary: String)] = [
    ("set", "/set QUESTION VALUE", "answer any question now, or change an answer"),
    ("unknown", "/unknown [QUESTION]", "the caller does not know (also: u)"),
    ("refused", "/refused [QUESTION]", "the caller will not say (also: r)"),
    ("note", "/note TEXT", "add a note to the call"),
    ("back", "/back", "ask the last answered question again"),
    ("status", "/status", "show everything known"),
    ("relays", "/relays", "show the lines sent to units"),
    ("verify", "/verify", "show what units must verify"),
    ("confirm", "/confirm ID [refuted] [UNIT]", "a unit confirmed (or refuted) a verification"),
    ("override", "/override CODE REASON", "raise the determinant, with a reason"),
    ("disconnect", "/disconnect", "the caller's line dropped"),
    ("callback", "/callback", "the caller was reached again"),
    ("end", "/end", "end the call (at the terminal it asks first; /end! does not)"),
    ("link", "/link INCIDENT", "the call is about this incident (one the store offered)"),
    ("new", "/new", "none of the incidents offered: the call stays its own incident"),
    ("unlink", "/unlink", "undo /link"),
    ("questions", "/questions", "list question ids"),
    ("help", "/help", "this list"),
  ]

  /// Reads one line of input.
  public static func parse(_ line: String) -> InputLine {
    let text = line.trimmedForInput
    if text.isEmpty { return .empty }
    guard text.hasPrefix("/") else {
      switch text.lowercased() {
      case "u": return .unknown(question: nil)
      case "r": return .refused(question: nil)
      default: return .answer(text)
      }
    }
    let parts = text.dropFirst().split(separator: " ", maxSplits: 1)
    let name = parts.first.map { String($0).lowercased() } ?? ""
    let rest = parts.count > 1 ? String(parts[1]).trimmedForInput : ""
    let words = rest.split(separator: " ", maxSplits: 1).map(String.init)
    switch name {
    case "set", "s":
      guard words.count == 2 else { return .invalid("usage: /set QUESTION VALUE") }
      return .set(question: words[0], input: words[1])
    case "unknown", "u": return .unknown(question: words.first)
    case "refused", "r": return .refused(question: words.first)
    case "note", "n":
      return rest.isEmpty ? .invalid("usage: /note TEXT") : .note(rest)
    case "back", "b": return .back
    case "status": return .status
    case "relays": return .relays
    case "verify", "verifications": return .verifications
    case "confirm", "refute":
      guard let id = words.first else { return .invalid("usage: /confirm ID [refuted] [UNIT]") }
      var remainder = words.count > 1 ? words[1] : ""
      var confirmed = name == "confirm"
      for word in ["refuted", "refute", "no"] where remainder.lowercased().hasPrefix(word) {
        confirmed = false
        remainder = String(remainder.dropFirst(word.count)).trimmedForInput
        break
      }
      return .confirm(
        verification: id, confirmed: confirmed, unit: remainder.isEmpty ? nil : remainder)
    case "override":
      guard words.count == 2 else { return .invalid("usage: /override CODE REASON") }
      return .override(code: words[0], reason: words[1])
    case "disconnect": return .disconnect
    case "callback": return .callback
    case "end", "end!": return .end
    case "link":
      guard let id = words.first, words.count == 1 else { return .invalid("usage: /link INCIDENT") }
      return .link(id)
    case "unlink": return .unlink
    case "new": return .newIncident
    case "help", "?": return .help
    case "questions": return .questions
    default:
      return .invalid(
        "unknown command '/\(name.prefix(40))'"
          + NameSuggestion.hint(for: name, among: commands.map(\.name)) + "; type /help")
    }
  }
}

extension StringProtocol {
  /// Without surrounding spaces, tabs and line ends.
  var trimmedForInput: String {
    let scalars = unicodeScalars
    let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
    guard let start = scalars.firstIndex(where: { !isSpace($0) }),
      let end = scalars.lastIndex(where: { !isSpace($0) })
    else { return "" }
    var result = ""
    result.unicodeScalars.append(contentsOf: scalars[start...end])
    return result
  }
}
