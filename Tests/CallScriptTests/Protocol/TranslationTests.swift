import Foundation
import Testing

@testable import CallScript

@Suite("Partial translations")
struct TranslationTests {
  static func fixture(languages: String) throws -> String {
    let text = try Fixtures.text("broken/missing-translation.yaml")
    return text.replacingOccurrences(of: "  languages: [en, es]\n", with: languages)
  }

  @Test("a partial language is not asked of every text, and falls back to the first language")
  func partialLanguageFallsBack() throws {
    let text = try Self.fixture(languages: "  languages: [en, es]\n  partial_languages: [es]\n")
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "p.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    let compiled = try #require(result.protocolValue)
    #expect(compiled.partialLanguages == ["es"])
    let location = try #require(compiled.question(id: "location"))
    #expect(location.ask.text(in: "es") == "What is the address of the emergency?")
    let attack = try #require(compiled.question(id: "attack"))
    #expect(attack.ask.text(in: "es") == "¿Qué está pasando?")
  }

  @Test("a full language beside a partial one is still asked of every text")
  func otherLanguagesStillChecked() throws {
    let text = try Self.fixture(
      languages: "  languages: [en, es, fr]\n  partial_languages: [fr]\n")
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "p.yaml")
    let missing = result.diagnostics.filter { $0.code == DiagnosticCode.missingTranslation }
    #expect(!missing.isEmpty)
    #expect(missing.allSatisfy { $0.message.contains("'es'") && !$0.message.contains("'fr'") })
    #expect(missing.allSatisfy { $0.message.hasSuffix("goes in 'partial_languages')") })
    #expect(result.diagnostics.contains { $0.code == DiagnosticCode.noEffect })
  }

  @Test("the first language cannot be partial")
  func firstLanguageIsComplete() throws {
    let text = try Self.fixture(languages: "  languages: [en, es]\n  partial_languages: [en]\n")
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "p.yaml")
    #expect(result.protocolValue == nil)
    #expect(
      result.diagnostics.contains {
        $0.code == DiagnosticCode.unknownValue && $0.message.contains("cannot be partial")
          && $0.position == SourcePosition(line: 7, column: 23)
      }, "\(result.diagnostics.map(\.rendered))")
  }
}
