import Foundation
import Testing

@testable import CallScript

/// Issue 13 items 11 and 12, issue 14's "one helper each": one set of forbidden characters,
/// one check for text entering a call, one way to show text and one to escape it.
@Suite("One safe text: the forbidden characters named once, every output neutralised")
struct SafeTextTests {
  /// Every character the issue names: C0 and C1 controls, DEL, the separators, each
  /// bidirectional control and the byte order mark.
  static let forbidden: [UInt32] =
    Array(0x00...0x08) + Array(0x0A...0x1F) + [0x7F] + Array(0x80...0x9F)
    + [0x061C, 0x200E, 0x200F, 0x2028, 0x2029] + Array(0x202A...0x202E) + Array(0x2066...0x2069)
    + [0xFEFF]

  /// A string that would retitle a terminal (OSC), recolour it (CSI, and its C1 form), clear it,
  /// reverse the text after it and split its line.
  static let hostile =
    "a\u{1B}]0;pwned\u{07}b\u{1B}[2J\u{9B}31m\u{202E}evil\u{2066}\u{2069}\u{200F}\u{61C}"
    + "\u{2028}\u{FEFF}\u{7F}\u{0}c"

  /// Whether `text` holds a forbidden character other than a line break between lines.
  static func isRaw(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0 != "\n" && forbidden.contains($0.value) }
  }

  @Test("the set: exactly the named characters; tab, accents and right-to-left letters pass")
  func set() {
    for value in Self.forbidden {
      #expect(SafeText.isForbidden(Unicode.Scalar(value)!), "U+\(hex(value))")
    }
    for text in ["\t", "Élodie, 3e étage — مرحبا", "東京 🚓", "\u{200D}", "\u{A0}"] {
      #expect(SafeText.isClean(text), "\(text)")
    }
    #expect(SafeText.problem(Self.hostile, what: "note", limit: 100)?.contains("U+001B") == true)
    #expect(SafeText.problem("fine", what: "note", limit: 100) == nil)
    #expect(SafeText.problem("long", what: "note", limit: 3) == "note is longer than 3 characters")
  }

  @Test("shown, quoted, escaped: nothing forbidden is left raw, and what was there is visible")
  func outputs() {
    let visible = SafeText.visible(Self.hostile)
    #expect(!Self.isRaw(visible))
    #expect(visible.contains("^[]0;pwned^G") && visible.contains("<U+202E>evil"))
    #expect(!Self.isRaw(SafeText.quoted(Self.hostile, limit: 200)))
    for escaped in [
      Escaped.markup(Self.hostile), Escaped.markup(Self.hostile, apostrophe: true),
      Escaped.dot(Self.hostile), Escaped.mermaid(Self.hostile),
    ] {
      #expect(!Self.isRaw(escaped), "\(escaped.debugDescription)")
      #expect(escaped.contains("\u{FFFD}evil"))
    }
    #expect(
      Escaped.markup("<a href=\"x\">'&'</a>", apostrophe: true)
        == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    #expect(Escaped.markup("line\none\ttab") == "line\none\ttab")
    #expect(Escaped.dot("a \"b\" \\") == "a \\\"b\\\" \\\\")
    #expect(Escaped.mermaid("<a & \"b\">") == "#lt;a #amp; #quot;b#quot;#gt;")
    // JSON: the same value, every forbidden character written as an escape.
    let json = Escaped.json(JSONValue.object(["text": .string(Self.hostile)]).canonical)
    #expect(!Self.isRaw(json))
    #expect(JSONValue.parse(Data(json.utf8)) == .object(["text": .string(Self.hostile)]))
  }

  @Test("review reports (text, HTML, JSON) of a call with hostile names show them neutralised")
  func reports() throws {
    var call = try ReviewFixtures.review([
      (5, ReviewFixtures.text("location", "1 Main St")),
      (10, ReviewFixtures.option("what_happening", "stabbing")),
      (25, .end),
    ])
    call.file = Self.hostile + ".jsonl"
    call.position = Self.hostile
    var summary = ReviewSummary()
    summary.add(call)
    let skipped = [SkippedTranscript(file: Self.hostile, line: 2, reason: Self.hostile)]
    let text = ReviewTextReport.render([call], summary: summary, skipped: skipped)
    let html = ReviewHTMLReport.render([call], summary: summary, skipped: skipped)
    let json = ReviewJSONReport.render([call], summary: summary, skipped: skipped)
    for (name, report) in [("text", text), ("html", html), ("json", json)] {
      #expect(!Self.isRaw(report), "the \(name) report has a raw control character")
    }
    #expect(text.contains("<U+202E>evil"))
    #expect(html.contains("\u{FFFD}evil"))
    #expect(json.contains("\\u202eevil"))
  }

  @Test("diagnostics quote protocol text neutralised; lint names the character, BOM included")
  func diagnostics() throws {
    let source = try Fixtures.text("valid-minimal.yaml")
    let question = try #require(source.range(of: "ask: "))
    var text = source
    text.insert(contentsOf: "x\u{FEFF}y ", at: question.upperBound)
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "a\u{1B}[2J.yaml")
    #expect(result.protocolValue == nil)
    let rendered = result.diagnostics.map(\.rendered)
    #expect(rendered.contains { $0.contains("U+FEFF") }, "\(rendered)")
    #expect(!rendered.contains(where: Self.isRaw))
    #expect(rendered.allSatisfy { $0.hasPrefix("a^[[2J.yaml:") })
  }
}
