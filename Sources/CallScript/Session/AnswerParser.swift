import Foundation

/// Turns what a call-taker typed into an answer value for a question, or says what it accepts.
public enum AnswerParser {
  /// Longest free-text answer accepted, in characters.
  public static let maximumTextLength = 2_000
  /// Largest count accepted.
  public static let maximumCount = 1_000_000

  /// Parses `input` as an answer to `question`; `language` picks the labels named in messages.
  public static func parse(_ input: String, for question: Question, language: String? = nil)
    -> Result<FactValue, SessionError>
  {
    func failure(_ problem: String) -> Result<FactValue, SessionError> {
      .failure(
        SessionError(
          question: question.id,
          message: "\(problem); question '\(question.id)' takes \(accepts(question, language))"))
    }
    if input.unicodeScalars.count > maximumTextLength {
      return failure(
        "answer is too long (\(input.unicodeScalars.count) characters, the limit is "
          + "\(maximumTextLength))")
    }
    if let bad = SafeText.firstForbidden(input) {
      return failure("answer contains the control character \(SafeText.code(bad))")
    }
    let text = input.trimmedWhitespace
    if text.isEmpty { return failure("empty answer") }
    let lower = text.lowercased()
    if ["u", "unknown", "?", "unk"].contains(lower) {
      return question.allowUnknown ? .success(.unknown) : failure("'unknown' is not allowed here")
    }
    if ["r", "refused", "refuse", "ref"].contains(lower) {
      return question.allowRefused ? .success(.refused) : failure("'refused' is not allowed here")
    }
    switch question.kind {
    case .yesNo:
      switch lower {
      case "y", "yes", "si", "sí": return .success(.yesNo(true))
      case "n", "no": return .success(.yesNo(false))
      default: return failure("'\(printable(text))' is not yes or no")
      }
    case .oneOf:
      guard let option = resolve(lower, in: question) else {
        return failure("'\(printable(text))' is not an option")
      }
      return .success(.option(option.id))
    case .manyOf:
      if let option = resolve(lower, in: question) { return .success(.options([option.id])) }
      var chosen: Set<String> = []
      // Parts between commas may be whole labels of several words ("Angry or excited, Male");
      // a part that is not one is read word by word (keys, ids, one-word labels).
      var tokens: [Substring] = []
      for part in lower.split(whereSeparator: { $0 == "," || $0 == ";" }) {
        let trimmed = part.trimmedWhitespace
        if let option = resolve(trimmed, in: question) {
          chosen.insert(option.id)
        } else {
          tokens += trimmed.split { $0 == " " || $0 == "+" }
        }
      }
      for token in tokens {
        if let option = resolve(String(token), in: question) {
          chosen.insert(option.id)
        } else if token.count > 1,
          token.allSatisfy({ key in
            question.options.contains { $0.key == key }
          })
        {
          for key in token {
            if let option = question.options.first(where: { $0.key == key }) {
              chosen.insert(option.id)
            }
          }
        } else {
          return failure("'\(printable(String(token)))' is not an option")
        }
      }
      return chosen.isEmpty ? failure("no option given") : .success(.options(chosen))
    case .count:
      return parseCount(lower).mapError { problem in
        SessionError(
          question: question.id,
          message: "\(problem); question '\(question.id)' takes \(accepts(question, language))")
      }
    case .text, .location:
      if let problem = bareYesNo(text, for: question) { return .failure(problem) }
      return .success(.text(text))
    }
  }

  /// A bare yes or no given to a place or free-text question: almost always typed for the
  /// question before, so it is refused rather than sent to units as a place.
  static func bareYesNo(_ text: String, for question: Question) -> SessionError? {
    guard ["y", "n", "yes", "no", "si", "sí"].contains(text.lowercased()) else { return nil }
    let takes = question.kind == .location ? "a place" : "words"
    return SessionError(
      question: question.id,
      message: "'\(printable(text))' alone does not answer '\(question.id)': this question takes "
        + "\(takes); did you mean to answer the previous question? (to say it anyway, use more "
        + "words)")
  }

  /// Reads a JSON answer (the jsonl interface) for a question, keeping its type: `true`/`false`
  /// or "yes"/"no" for yes/no; option ids (or keys, or labels) as a string or a list; a whole
  /// number or a range string for counts; a string for text and places.
  public static func value(
    fromJSON json: JSONValue, for question: Question, language: String? = nil
  ) -> Result<FactValue, SessionError> {
    func failure(_ problem: String) -> Result<FactValue, SessionError> {
      .failure(
        SessionError(
          question: question.id,
          message: "\(problem); question '\(question.id)' takes \(accepts(question, language))"))
    }
    switch (question.kind, json) {
    case (.yesNo, .bool(let yes)):
      return .success(.yesNo(yes))
    case (.count, .number(let number)):
      guard number.isFinite, number == number.rounded(), number >= 0,
        number <= Double(maximumCount)
      else { return failure("\(JSONValue.format(number)) is not a whole number of people") }
      let count = Int(number)
      return .success(.count(low: count, high: count))
    case (.manyOf, .array(let items)):
      var chosen: Set<String> = []
      for item in items {
        guard let text = item.string else { return failure("a list of option ids is expected") }
        guard let option = resolve(text.trimmedWhitespace.lowercased(), in: question) else {
          return failure("'\(printable(text))' is not an option")
        }
        chosen.insert(option.id)
      }
      return chosen.isEmpty ? failure("no option given") : .success(.options(chosen))
    case (.text, .number(let number)), (.location, .number(let number)):
      guard number.isFinite else { return failure("not a number") }
      return parse(JSONValue.format(number), for: question, language: language)
    case (_, .string(let text)):
      return parse(text, for: question, language: language)
    case (_, .null):
      return failure("no answer given")
    default:
      return failure("this JSON value is the wrong kind of answer")
    }
  }

  /// Parses a count: `3`, `2-3`, `2+`, `several`, `none`, or words (`twenty`, `two or three`,
  /// `about 30`; see ``CountWords``).
  static func parseCount(_ text: String) -> Result<FactValue, SessionErrorMessage> {
    switch text {
    case "several", "some", "multiple": return .success(.count(low: 2, high: nil))
    case "none", "zero": return .success(.count(low: 0, high: 0))
    default: break
    }
    if text.contains(where: \.isLetter), let spoken = CountWords.parse(text) {
      return .success(spoken)
    }
    if text.hasPrefix("-") {
      return .failure(SessionErrorMessage("'\(printable(text))' is negative"))
    }
    if text.hasSuffix("+") {
      guard let low = number(text.dropLast()) else {
        return .failure(SessionErrorMessage("'\(printable(text))' is not a count"))
      }
      return low.map { .count(low: $0, high: nil) }
    }
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    if parts.count == 2 {
      guard let low = number(parts[0]), let high = number(parts[1]) else {
        return .failure(SessionErrorMessage("'\(printable(text))' is not a count or a range"))
      }
      switch (low, high) {
      case (.success(let a), .success(let b)):
        guard a <= b else {
          return .failure(SessionErrorMessage("range '\(printable(text))' runs backwards"))
        }
        return .success(a == b ? .count(low: a, high: a) : .count(low: a, high: b))
      case (.failure(let problem), _), (_, .failure(let problem)):
        return .failure(problem)
      }
    }
    guard let exact = number(Substring(text)) else {
      return .failure(SessionErrorMessage("'\(printable(text))' is not a count"))
    }
    return exact.map { .count(low: $0, high: $0) }
  }

  /// A whole number within the plausible range, nil when not digits at all.
  private static func number(_ text: Substring) -> Result<Int, SessionErrorMessage>? {
    let trimmed = text.trimmedWhitespace
    guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    guard trimmed.count <= 7, let value = Int(trimmed), value <= maximumCount else {
      return .failure(
        SessionErrorMessage("'\(printable(trimmed))' is more than \(maximumCount)"))
    }
    return .success(value)
  }

  /// The option `text` names by key, id or label in any language.
  static func resolve(_ text: String, in question: Question) -> AnswerOption? {
    if text.count == 1, let key = text.first,
      let option = question.options.first(where: { $0.key == key })
    {
      return option
    }
    if let option = question.options.first(where: { $0.id == text }) { return option }
    return question.options.first { option in
      option.label.texts.contains { $0.text.lowercased() == text }
    }
  }

  /// What a question accepts, for error messages.
  public static func accepts(_ question: Question, _ language: String? = nil) -> String {
    var parts: [String]
    switch question.kind {
    case .yesNo: parts = ["y (yes) or n (no)"]
    case .oneOf, .manyOf:
      let choices = question.options.map { "\($0.key) (\($0.label.text(in: language)))" }
      parts = [
        (question.kind == .manyOf ? "one or more of " : "one of ")
          + choices.joined(separator: ", ")
      ]
    case .count:
      parts = ["a number from 0 to \(maximumCount), a range such as 2-3, 2+ or 'several'"]
    case .text, .location: parts = ["text up to \(maximumTextLength) characters"]
    }
    if question.allowUnknown { parts.append("u for unknown") }
    if question.allowRefused { parts.append("r for refused") }
    return parts.joined(separator: ", ")
  }

  /// Why `text` (`what` names it: "note", "override reason") cannot enter a call, or nil: the
  /// one check for every text a call records (``SafeText/problem(_:what:limit:)``).
  static func textProblem(_ text: String, what: String) -> String? {
    SafeText.problem(text, what: what, limit: maximumTextLength)
  }

  static func printable(_ text: some StringProtocol) -> String {
    let limited = String(text.prefix(40))
    return text.count > 40 ? limited + "…" : limited
  }
}

/// A problem message before the question is attached.
struct SessionErrorMessage: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
