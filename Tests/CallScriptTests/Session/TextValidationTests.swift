import Foundation
import Testing

@testable import CallScript

@Suite("One check for every text entering a call")
struct TextValidationTests {
  static let builtIn = TamperTests.builtIn

  /// Controls, separators and every bidirectional character the check must refuse.
  static let hostile: [Unicode.Scalar] = [
    "\u{1B}", "\u{0}", "\u{7F}", "\u{85}", "\u{61C}", "\u{200E}", "\u{200F}", "\u{2028}",
    "\u{2029}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}",
    "\u{2067}", "\u{2068}", "\u{2069}", "\u{9B}", "\u{FEFF}",
  ]

  /// Each text an event carries, with `text` in it.
  static func events(_ text: String, protocol callProtocol: CallProtocol) -> [SessionEvent] {
    let code = callProtocol.determinants.max { $0.levelRank < $1.levelRank }?.code ?? ""
    return [
      .note(text),
      .override(code: code, reason: text),
      .confirm(verification: "any", confirmed: true, unit: text, note: nil),
      .confirm(verification: "any", confirmed: true, unit: "E-12", note: text),
      .answer(question: "location", value: .text(text)),
    ]
  }

  @Test("notes, override reasons, unit names, confirmation notes and answers refuse them all")
  func refused() throws {
    let callProtocol = try #require(Self.builtIn)
    let session = Session(callProtocol: callProtocol, language: nil)
    for scalar in Self.hostile {
      let text = "Unit \(Character(scalar))7 on scene"
      for event in Self.events(text, protocol: callProtocol) {
        guard case .failure(let error) = session.validate(event, at: 1) else {
          Issue.record("\(event) with U+\(hex(scalar.value)) was accepted")
          continue
        }
        #expect(error.message.contains("U+\(hex(scalar.value))"), "\(error.message)")
      }
    }
    // Ordinary text, accents and right-to-left letters themselves pass.
    #expect((try? session.validate(.note("Élodie, 3e étage — مرحبا"), at: 1).get()) != nil)
  }

  @Test("lint refuses control and bidi characters in protocol text")
  func lint() throws {
    let source = try Fixtures.text("valid-minimal.yaml")
    let question = try #require(source.range(of: "ask: "))
    for scalar in Self.hostile where scalar != "\u{0}" {
      var text = source
      text.insert(contentsOf: "x\(Character(scalar))y ", at: question.upperBound)
      let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "hostile.yaml")
      #expect(result.protocolValue == nil, "U+\(hex(scalar.value)) passed lint")
      // YAML refuses raw controls and breaks lines at U+2028/9 itself; the rest is CS131.
      if scalar.value >= 0x200 && scalar.value != 0x2028 && scalar.value != 0x2029 {
        #expect(result.diagnostics.contains { $0.code == DiagnosticCode.controlCharacter })
      }
    }
  }
}

@Suite("Lint: no control character anywhere in a protocol")
struct ProtocolTextTests {
  @Test(
    "titles, resources, determinant labels, relay templates, descriptions and keys: CS131",
    arguments: [
      ("title: Tiny active-attack protocol", "title: \"Tiny\\e[2J\""),
      ("patrol: All available patrol units", "patrol: \"All \\u202E units\""),
      ("label: Several attackers", "label: \"Several\\e]0;pwned\\a\""),
      ("text: \"{attackers} attackers,", "text: \"\\x9B{attackers} attackers,"),
      ("evidence: Reported by one caller", "evidence: \"Reported \\u2067by\\u2069\""),
      ("  id: tiny-attack", "  id: tiny-attack\n  description: \"x\\uFEFFy\""),
    ])
  func everywhere(original: String, hostile: String) throws {
    let source = try Fixtures.text("valid-minimal.yaml")
    #expect(source.contains(original))
    let text = source.replacingOccurrences(of: original, with: hostile)
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "hostile.yaml")
    #expect(result.protocolValue == nil, "\(hostile) passed lint")
    #expect(
      result.diagnostics.contains { $0.code == DiagnosticCode.controlCharacter },
      "\(result.diagnostics)")
  }
}

@Suite("Protocol versions")
struct ProtocolVersionTests {
  @Test(
    "semantic versions only: no leading '-', no empty pre-release",
    arguments: [
      ("1.2.0", true), ("1.2.0-rc.1", true), ("0.0.1", true), ("-1.0.0", false),
      ("1.0.0-", false), ("1.0", false), ("01.0.0", false), ("1.0.0.0", false),
    ])
  func versions(text: String, valid: Bool) {
    #expect(CompilerPass.isSemanticVersion(text) == valid)
  }
}
