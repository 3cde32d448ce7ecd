/// A token of the condition language, with its position in Unicode scalars.
struct ExpressionToken: Sendable, Hashable {
  /// Operators and punctuation.
  enum Punctuation: String, Sendable, Hashable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case open = "("
    case close = ")"
    case comma = ","
    case plus = "+"
    case minus = "-"
  }

  /// What the token is.
  enum Kind: Sendable, Hashable {
    /// A lowercase word: a name, keyword, option id or `yes` / `no`.
    case word(String)
    case number(Int)
    /// A duration such as `90s`, `10m` or `2h`, in milliseconds.
    case duration(Int)
    /// A `"quoted"` text, without its quotes.
    case text(String)
    case punctuation(Punctuation)
    case end
  }

  var kind: Kind
  var offset: Int
  var length: Int

  /// How messages name the token: "'weapons'", "'('", "the end of the expression".
  var described: String {
    switch kind {
    case .word(let word): "'\(ExpressionText.abbreviated(word))'"
    case .number(let number): "'\(number)'"
    case .duration(let milliseconds): "'\(ExpressionText.duration(milliseconds))'"
    case .text(let text): "'\"\(ExpressionText.abbreviated(text))\"'"
    case .punctuation(let punctuation): "'\(punctuation.rawValue)'"
    case .end: "the end of the expression"
    }
  }
}

/// Helpers for quoting source text in messages.
enum ExpressionText {
  /// The longest source text quoted in a message, in Unicode scalars.
  static let quotedLimit = 40

  /// `text`, cut to ``quotedLimit`` scalars with an ellipsis.
  static func abbreviated(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard scalars.count > quotedLimit else { return text }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars.prefix(quotedLimit))
    return String(view) + "…"
  }

  /// A duration as written in conditions: `90s`, `10m`, `2h`, or `1m30s` when no one unit
  /// gives it.
  static func duration(_ milliseconds: Int) -> String {
    let seconds = milliseconds / 1000
    var text = ""
    if milliseconds % 1000 != 0 { return "\(Double(milliseconds) / 1000)s" }
    if seconds >= 3600, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
    if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60)m" }
    if seconds >= 60 { text = "\(seconds / 60)m" }
    return text + "\(seconds % 60)s"
  }

  /// A scalar as messages show it: itself when visible, `U+200B` otherwise.
  static func shown(_ scalar: Unicode.Scalar) -> String {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .decimalNumber, .letterNumber, .otherNumber, .connectorPunctuation, .dashPunctuation,
      .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
      .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
      String(Character(scalar))
    default:
      "U+" + hex(scalar.value)
    }
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// Whether `scalar` is an ASCII lowercase letter.
  static func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar)
  }

  /// Whether `scalar` may continue a name: `[A-Za-z0-9_]` (capitals are then reported).
  static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
      || ("0"..."9").contains(scalar) || scalar == "_"
  }

  /// Whether `scalar` is an ASCII digit.
  static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
  }

  /// Whether `scalar` separates tokens: space, tab, line feed or carriage return.
  static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
  }
}

/// Splits condition text into tokens.
enum ExpressionLexer {
  /// The largest number literal.
  static let largestNumber = 1_000_000

  /// The tokens of `scalars`, ending with an `.end` token, or the first lexical problem.
  static func tokens(_ scalars: [Unicode.Scalar]) -> Result<[ExpressionToken], ExpressionIssue> {
    var tokens: [ExpressionToken] = []
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      let start = index
      if ExpressionText.isSpace(scalar) {
        index += 1
      } else if ExpressionText.isWordPart(scalar) {
        while index < scalars.count, ExpressionText.isWordPart(scalars[index]) { index += 1 }
        // A qualified name: `incident.attacker_count` (a letter after the dot).
        while index + 1 < scalars.count, scalars[index] == ".", !ExpressionText.isDigit(scalar),
          ExpressionText.isLowercase(scalars[index + 1])
        {
          index += 1
          while index < scalars.count, ExpressionText.isWordPart(scalars[index]) { index += 1 }
        }
        switch word(scalars[start..<index], offset: start) {
        case .success(let token): tokens.append(token)
        case .failure(let issue): return .failure(issue)
        }
      } else if scalar == "\"" {
        index += 1
        while index < scalars.count, scalars[index] != "\"" { index += 1 }
        guard index < scalars.count else {
          return .failure(
            syntax(
              "unterminated text", suggestion: "add a closing '\"'", offset: start,
              length: index - start))
        }
        index += 1
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[(start + 1)..<(index - 1)])
        tokens.append(.init(kind: .text(String(text)), offset: start, length: index - start))
      } else {
        switch punctuation(scalars, at: start) {
        case .success(let token):
          tokens.append(token)
          index += token.length
        case .failure(let issue):
          return .failure(issue)
        }
      }
    }
    tokens.append(.init(kind: .end, offset: scalars.count, length: 0))
    return .success(tokens)
  }

  /// A word or number token from `[A-Za-z0-9_]+` text.
  private static func word(
    _ scalars: ArraySlice<Unicode.Scalar>, offset: Int
  ) -> Result<ExpressionToken, ExpressionIssue> {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    let text = String(view)
    let length = scalars.count
    if scalars.allSatisfy(ExpressionText.isDigit) {
      var value = 0
      for digit in scalars {
        value = value * 10 + Int(digit.value - 48)
        if value > largestNumber {
          return .failure(
            syntax(
              "number '\(ExpressionText.abbreviated(text))' is too large",
              suggestion: "the largest is \(largestNumber)",
              offset: offset, length: length))
        }
      }
      return .success(.init(kind: .number(value), offset: offset, length: length))
    }
    if let duration = duration(scalars, text: text, offset: offset) { return duration }
    if let first = scalars.first, ExpressionText.isDigit(first) || first == "_" {
      return .failure(
        syntax(
          "'\(ExpressionText.abbreviated(text))' is not a name",
          suggestion: "names start with a letter",
          offset: offset, length: length))
    }
    if scalars.contains(where: { ("A"..."Z").contains($0) }) {
      let lowercased = ExpressionText.abbreviated(text.lowercased())
      return .failure(
        syntax(
          "names and keywords are lowercase",
          suggestion: "write '\(lowercased)' instead of '\(ExpressionText.abbreviated(text))'",
          offset: offset, length: length))
    }
    return .success(.init(kind: .word(text), offset: offset, length: length))
  }

  /// The largest duration literal, in seconds (a week).
  static let largestDuration = 604_800

  /// A duration token from digits and one unit letter (`90s`, `10m`, `2h`), nil for other
  /// text; a duration over ``largestDuration`` is a problem.
  private static func duration(
    _ scalars: ArraySlice<Unicode.Scalar>, text: String, offset: Int
  ) -> Result<ExpressionToken, ExpressionIssue>? {
    guard let unit = scalars.last, scalars.count >= 2,
      scalars.dropLast().allSatisfy(ExpressionText.isDigit)
    else { return nil }
    let seconds: Int
    switch unit {
    case "s": seconds = 1
    case "m": seconds = 60
    case "h": seconds = 3600
    default: return nil
    }
    var value = 0
    for digit in scalars.dropLast() {
      value = value * 10 + Int(digit.value - 48)
      if value * seconds > largestDuration {
        return .failure(
          syntax(
            "duration '\(ExpressionText.abbreviated(text))' is too long",
            suggestion: "the longest is \(largestDuration / 3600)h",
            offset: offset, length: scalars.count))
      }
    }
    return .success(
      .init(kind: .duration(value * seconds * 1000), offset: offset, length: scalars.count))
  }

  /// An operator or punctuation token at `index`, or a problem naming the character.
  private static func punctuation(
    _ scalars: [Unicode.Scalar], at index: Int
  ) -> Result<ExpressionToken, ExpressionIssue> {
    let scalar = scalars[index]
    let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
    func token(_ punctuation: ExpressionToken.Punctuation) -> ExpressionToken {
      .init(
        kind: .punctuation(punctuation), offset: index,
        length: punctuation.rawValue.unicodeScalars.count)
    }
    switch (scalar, next) {
    case ("=", "="):
      return .failure(syntax("use '=' to compare, not '=='", offset: index, length: 2))
    case ("=", _): return .success(token(.equal))
    case ("!", "="): return .success(token(.notEqual))
    case ("!", _):
      return .failure(syntax("use 'not' instead of '!'", offset: index, length: 1))
    case ("<", ">"):
      return .failure(syntax("use '!=' instead of '<>'", offset: index, length: 2))
    case ("<", "="): return .success(token(.lessOrEqual))
    case ("<", _): return .success(token(.less))
    case (">", "="): return .success(token(.greaterOrEqual))
    case (">", _): return .success(token(.greater))
    case ("(", _): return .success(token(.open))
    case (")", _): return .success(token(.close))
    case (",", _): return .success(token(.comma))
    case ("+", _): return .success(token(.plus))
    case ("-", _): return .success(token(.minus))
    case ("&", _):
      let length = next == "&" ? 2 : 1
      return .failure(syntax("use 'and' instead of '&'", offset: index, length: length))
    case ("|", _):
      let length = next == "|" ? 2 : 1
      return .failure(syntax("use 'or' instead of '|'", offset: index, length: length))
    case ("\u{201C}", _), ("\u{201D}", _), ("\u{2018}", _), ("\u{2019}", _), ("'", _):
      return .failure(
        syntax(
          "unexpected character '\(ExpressionText.shown(scalar))'",
          suggestion: "put text in straight double quotes '\"'",
          offset: index, length: 1))
    default:
      return .failure(
        syntax(
          "unexpected character '\(ExpressionText.shown(scalar))'", offset: index, length: 1))
    }
  }

  private static func syntax(
    _ message: String, suggestion: String? = nil, offset: Int, length: Int
  ) -> ExpressionIssue {
    ExpressionIssue(
      kind: .syntax, message: message, suggestion: suggestion, offset: offset, length: length)
  }
}
