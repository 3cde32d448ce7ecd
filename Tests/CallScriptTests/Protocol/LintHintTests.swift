import Foundation
import Testing

@testable import CallScript

@Suite("Lint names the likely fix for common YAML layout mistakes")
struct LintHintTests {
  static let text = """
    protocol:
      id: t
      version: 1.0.0
      title: T
      languages: [en, es]
    response_levels: [urgent]
    questions:
      - id: where
        label: { en: Where, es: Dónde }
        ask: { en: In a bag, backpack or box, es: En una bolsa }
        kind: text
        priority: 10
      - id: what
        label: { en: What, es: Qué }
        ask:
          en: What?
          es: ¿Qué?
          ask_if: known(where)
        kind: text
        priority: 5
        fills: incident.kindd
    determinants:
      - code: X
        level: urgent
        plan: []
        label: x
    dispatch_points:
      - id: d
        when: known(where)
    """

  static func messages() -> [String] {
    ProtocolCompiler.compile(data: Data(text.utf8), file: "t.yaml").diagnostics.map(\.text)
  }

  @Test("a comma inside a flow mapping: quote the text")
  func comma() {
    #expect(
      Self.messages().contains {
        $0.contains("'backpack or box'") && $0.contains("quote text that contains a comma")
      })
  }

  @Test("a key one level too deep: check the indentation of its line")
  func nestedTooDeep() {
    #expect(
      Self.messages().contains {
        $0.contains("check the indentation of line 18: 'ask_if' belongs to the item")
      })
  }

  @Test("an unknown record field lists the fields")
  func recordFields() {
    #expect(
      Self.messages().contains {
        $0.contains("did you mean 'incident.kind'?") && $0.contains("fields are incident.location")
      })
  }
}
