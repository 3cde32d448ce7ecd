import Testing

@testable import callscript

@Suite("Text on the call-taker's screen")
struct TerminalTextTests {
  static let hide =
    "SAY NOW Hide where the attacker cannot see you. Lock or block the door and turn off the "
    + "lights. Silence your phone, vibrate too. Stay quiet, and do not open the door for anyone."

  @Test("words to read aloud break between words, never inside one", arguments: [40, 72, 80, 120])
  func wrapsAtWords(columns: Int) {
    let lines = TerminalText.wrapped(Self.hide, columns: columns)
    #expect(lines.allSatisfy { TerminalText.width($0) <= columns })
    let words = Self.hide.split(separator: " ")
    let rewrapped = lines.flatMap { $0.split(separator: " ") }
    #expect(rewrapped == words, "every word whole, in order")
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    ") }, "continuations indented")
    #expect(lines.first?.hasPrefix("SAY NOW") == true)
  }

  @Test("a short line is left alone; an indented option line keeps its indent")
  func shortAndIndented() {
    #expect(TerminalText.wrapped("ASK [location] Where?", columns: 80) == ["ASK [location] Where?"])
    let options = "    " + (1...12).map { "k=option number \($0)" }.joined(separator: "  ")
    let lines = TerminalText.wrapped(options, columns: 60)
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { $0.hasPrefix("    ") && TerminalText.width($0) <= 60 })
  }

  @Test("a word longer than the line is cut, the only place a word may break")
  func longWord() {
    let url = String(repeating: "x", count: 100)
    let lines = TerminalText.wrapped("RELAY " + url, columns: 40)
    #expect(lines.allSatisfy { TerminalText.width($0) <= 40 })
    #expect(lines.joined().filter { $0 == "x" }.count == 100)
  }
}
