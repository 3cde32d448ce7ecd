/// The one definition of the characters that may not enter a call nor reach a screen or report
/// raw, and the ways text is checked and shown with them.
///
/// Forbidden: C0 controls (tab aside), DEL, C1 controls, the line and paragraph separators
/// (U+2028, U+2029), every bidirectional mark, embedding, override and isolate (U+061C, U+200E,
/// U+200F, U+202A–U+202E, U+2066–U+2069) and the byte order mark (U+FEFF). Such a character
/// could move a terminal's cursor, retitle its window, reorder what a reader sees or split a
/// line; none has a place in what a caller said or a protocol asks.
///
/// - Text entering a call (answers, notes, override reasons, unit names, call data) and protocol
///   text passes ``problem(_:what:limit:)``.
/// - Text shown on a terminal (every frontend, `replay`, the text review) passes
///   ``visible(_:limit:)``; text quoted in a one-line message passes ``quoted(_:limit:)``.
/// - Text placed in markup passes ``Escaped`` (HTML and XML, Graphviz DOT, Mermaid), which
///   replaces forbidden characters the same way.
public enum SafeText {
  /// Whether `scalar` may not appear in text entering a call (tab may).
  @inlinable
  public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return (value < 0x20 && value != 0x09) || value == 0x7F }
    switch value {
    case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069,
      0xFEFF:
      return true
    default: return false
    }
  }

  /// Whether `text` holds no forbidden character.
  public static func isClean(_ text: some StringProtocol) -> Bool {
    !text.unicodeScalars.contains(where: isForbidden)
  }

  /// The first forbidden character of `text`, if any.
  public static func firstForbidden(_ text: some StringProtocol) -> Unicode.Scalar? {
    text.unicodeScalars.first(where: isForbidden)
  }

  /// Why `text` (`what` names it: "note", "override reason") cannot enter a call, or nil: the
  /// one check for every text a call records.
  public static func problem(_ text: String, what: String, limit: Int) -> String? {
    // Most text is short printable ASCII (a tab allowed): nothing to look at scalar by scalar.
    if text.utf8.count <= limit, text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) {
      return nil
    }
    if text.unicodeScalars.count > limit {
      return "\(what) is longer than \(limit) characters"
    }
    if let bad = firstForbidden(text) {
      return "\(what) contains the control character \(code(bad))"
    }
    return nil
  }

  /// `U+XXXX`, as messages name a character.
  public static func code(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// `text` for a terminal: C0 controls and DEL in caret notation (`^[`, `^?`), a tab as a
  /// space, every other forbidden character as `<U+XXXX>`; at most `limit` characters, then `…`.
  public static func visible(_ text: some StringProtocol, limit: Int = 4_000) -> String {
    var result = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count >= limit {
        result += "…"
        break
      }
      count += 1
      let value = scalar.value
      if value == 0x09 {
        result += " "
      } else if value < 0x20 {
        result += "^" + String(Unicode.Scalar(UInt8(value + 0x40)))
      } else if value == 0x7F {
        result += "^?"
      } else if isForbidden(scalar) {
        result += "<" + code(scalar) + ">"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// `text` quoted in a one-line message: forbidden characters and other invisible formatting
  /// characters as `\u{…}`, at most `limit` characters, then `…`.
  public static func quoted(_ text: String, limit: Int = 60) -> String {
    var result = ""
    for scalar in text.unicodeScalars.prefix(limit) {
      let category = scalar.properties.generalCategory
      if isForbidden(scalar) || category == .control || category == .format {
        result += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return text.unicodeScalars.count > limit ? result + "…" : result
  }
}

/// Text escaped for the formats callscript writes it into; forbidden characters (``SafeText``)
/// become U+FFFD everywhere, so markup never carries a control or bidirectional character.
public enum Escaped {
  /// The replacement for a forbidden character in markup.
  static let replacement: Unicode.Scalar = "\u{FFFD}"

  /// Whether `scalar` is replaced in markup: forbidden, or not a character at all in XML 1.0
  /// (U+FFFE, U+FFFF); tab, line feed and carriage return are kept (whitespace in both).
  static func isReplacedInMarkup(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: false
    case 0xFFFE, 0xFFFF: true
    default: SafeText.isForbidden(scalar)
    }
  }

  /// Text for HTML or XML content and attribute values (always written in double quotes): `&`,
  /// `<`, `>` and `"` as entities, and `'` too when `apostrophe` (attributes of the review's
  /// pages); forbidden characters replaced.
  public static func markup(_ text: String, apostrophe: Bool = false) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'" where apostrophe: output += "&#39;"
      default:
        output.unicodeScalars.append(isReplacedInMarkup(scalar) ? replacement : scalar)
      }
    }
    return output
  }

  /// Text inside a Graphviz DOT double-quoted string.
  public static func dot(_ text: String) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": output += "\\\\"
      case "\"": output += "\\\""
      default: output.unicodeScalars.append(SafeText.isForbidden(scalar) ? replacement : scalar)
      }
    }
    return output
  }

  /// Text inside a Mermaid double-quoted label (Mermaid's own `#name;` entities).
  public static func mermaid(_ text: String) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": output += "#amp;"
      case "\"": output += "#quot;"
      case "<": output += "#lt;"
      case ">": output += "#gt;"
      default: output.unicodeScalars.append(SafeText.isForbidden(scalar) ? replacement : scalar)
      }
    }
    return output
  }

  /// JSON text (as ``JSONValue/canonical`` writes it) with each forbidden character still raw in
  /// its strings written as a `\uXXXX` escape: the same JSON value, with nothing in it that
  /// could drive the terminal or log viewer it is shown on.
  public static func json(_ text: String) -> String {
    guard !SafeText.isClean(text) else { return text }
    var output = ""
    output.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      if SafeText.isForbidden(scalar) {
        // Every forbidden character is in the Basic Multilingual Plane: one escape each.
        output += "\\u" + SafeText.code(scalar).dropFirst(2).lowercased()
      } else {
        output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}
