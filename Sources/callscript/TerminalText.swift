import Foundation

/// Text made safe and styled for the call-taker's terminal.
///
/// Everything shown passes through `SafeText.visible` first: answers, notes and protocol text
/// could hold escape sequences that would move the cursor, retitle the window or worse if
/// written raw.
enum TerminalText {
  /// Columns `text` takes on screen: wide East Asian characters and emoji count two, combining
  /// marks and zero-width characters none (an approximation of `wcwidth`, without the locale).
  static func width(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
  }

  private static func width(of scalar: Unicode.Scalar) -> Int {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return 2
    default: return 1
    }
  }

  /// Screen rows a line takes when the terminal wraps it at `columns`.
  static func rows(_ text: String, columns: Int) -> Int {
    max(1, (width(text) + max(1, columns) - 1) / max(1, columns))
  }

  /// `text` broken into lines of at most `columns` at spaces, never inside a word.
  ///
  /// A word longer than a line is cut where it must be. Lines after the first are indented, so
  /// the words read aloud stay together under their tag.
  static func wrapped(_ text: String, columns: Int) -> [String] {
    let columns = max(20, columns)
    guard width(text) > columns else { return [text] }
    let leading = text.prefix { $0 == " " }.count
    let indent = String(repeating: " ", count: min(leading + 4, columns / 3))
    var lines: [String] = []
    var line = String(text.prefix(leading))
    var lineWidth = leading
    for word in text.dropFirst(leading).split(separator: " ", omittingEmptySubsequences: false) {
      let wordWidth = width(String(word))
      let separator = lineWidth > (lines.isEmpty ? leading : indent.count) ? 1 : 0
      if lineWidth + separator + wordWidth <= columns {
        if separator == 1 { line += " " }
        line += word
        lineWidth += separator + wordWidth
        continue
      }
      if lineWidth > (lines.isEmpty ? leading : indent.count) { lines.append(line) }
      var rest = Substring(word)
      // A word longer than a whole line: cut it, the only place a word may break.
      while indent.count + width(String(rest)) > columns {
        let room = columns - indent.count
        lines.append(indent + rest.prefix(room))
        rest = rest.dropFirst(room)
      }
      line = indent + rest
      lineWidth = indent.count + width(String(rest))
    }
    lines.append(line)
    return lines
  }

  /// The longest start of `text` that fits in `columns`, with `…` when cut.
  static func clipped(_ text: String, columns: Int) -> String {
    guard width(text) > columns else { return text }
    var result = ""
    var used = 0
    let room = max(0, columns - 1)
    for character in text {
      let needed = width(String(character))
      if used + needed > room { break }
      used += needed
      result.append(character)
    }
    return result + "…"
  }
}

/// Colours for the few words that must catch the eye: ASK, SAY, the attacker line, ERROR,
/// RELAY, VERIFY.
struct TerminalStyle {
  /// False writes plain text: no colour wanted, or a terminal that cannot show it.
  var colour: Bool

  /// Colour when standard output is a terminal that supports it and `NO_COLOR` is unset or empty
  /// (https://no-color.org).
  static func detect(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> TerminalStyle
  {
    let term = environment["TERM"] ?? ""
    let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
    return TerminalStyle(
      colour: isatty(STDOUT_FILENO) == 1 && !term.isEmpty && term != "dumb" && !noColour)
  }

  /// A printable line with its leading tag coloured, and rules dimmed.
  ///
  /// The question to ask is bold from end to end (the tag in colour): it is what the eye looks
  /// for first. A stale attacker line has its own colour and says STALE in words too.
  func paint(_ line: String) -> String {
    guard colour else { return line }
    if line.hasPrefix("──") { return "\u{1B}[2m\(line)\u{1B}[0m" }
    for (tag, code) in Self.tags where line.hasPrefix(tag) {
      let rest = line.dropFirst(tag.count)
      let bold = tag.hasPrefix("ASK") && !rest.isEmpty ? "\u{1B}[1m\(rest)\u{1B}[0m" : String(rest)
      return "\u{1B}[\(code)m\(tag)\u{1B}[0m" + bold
    }
    return line
  }

  /// A rule between parts of the screen, with an optional label: `── latest 00:05 ─────`.
  static func rule(_ label: String, columns: Int) -> String {
    let text = label.isEmpty ? "" : "── \(label) "
    return text + String(repeating: "─", count: max(2, min(columns, 72) - TerminalText.width(text)))
  }

  /// Longest tags first, so `SAY NOW` wins over `SAY`.
  private static let tags: [(String, String)] = [
    ("ATTACKER STALE", "1;97;45"),
    ("ATTACKER", "1;97;44"),
    ("WITHDRAWN", "1;30;47"),
    ("SAY NOW", "1;97;41"),
    ("SAY", "1;32"),
    ("DUE NEXT", "1;30;43"),
    ("ASK AGAIN", "1;93"),
    ("ASK (back)", "1;36"),
    ("ASK", "1;36"),
    ("ERROR", "1;31"),
    ("WARN", "33"),
    ("RELAY withdrawn", "1;30;47"),
    ("RELAY (update)", "1;33"),
    ("RELAY", "1;33"),
    ("VERIFY", "1;35"),
  ]
}
