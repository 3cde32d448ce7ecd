import Foundation
import Testing

@testable import CallScript

@Suite("Protocol compiler")
struct CompilerTests {
  @Test("the minimal example protocol compiles with no findings")
  func minimalProtocolCompiles() throws {
    let result = ProtocolCompiler.compile(
      data: try Fixtures.data("valid-minimal.yaml"), file: "valid-minimal.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    let compiled = try #require(result.protocolValue)
    #expect(compiled.questions.map(\.id) == ["location", "attack", "attackers"])
    #expect(compiled.derived.map(\.id) == ["attack_reported"])
    #expect(compiled.askingOrder == [0, 1, 2])
    #expect(compiled.determinants.map(\.code) == ["AA-1", "AA-9"])
    #expect(compiled.determinants.map(\.levelRank) == [1, 0])
    #expect(compiled.slot(named: "attack_reported") == 3)
  }

  @Test("the built-in protocol compiles with no findings, even under --strict")
  func builtInProtocolIsClean() throws {
    let result = BuiltInProtocol.compile()
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    let compiled = try #require(result.protocolValue)
    #expect(compiled.id == "active-attack")
    #expect(compiled.questions.count >= 30)
  }

  @Test("the built-in protocol embedded in the binary is protocols/active-attack.yaml")
  func embeddedProtocolMatchesFile() throws {
    let file = try Data(
      contentsOf: Fixtures.repository.appendingPathComponent("protocols/active-attack.yaml"))
    #expect(BuiltInProtocol.data == file)
  }

  @Test(
    "each broken protocol yields its expected code at its expected position",
    arguments: Fixtures.brokenProtocols)
  func brokenProtocol(name: String) throws {
    let text = try Fixtures.text("broken/\(name)")
    let expectation = try #require(Expectation(header: text), "no '# expect:' header in \(name)")
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: name)
    // Missing translations and long relays are warnings: the protocol compiles, `lint
    // --strict` fails it.
    let warnings: Set<String> = ["CS118", "CS128", "CS132"]
    #expect((result.protocolValue == nil) == !warnings.contains(expectation.code))
    let match = result.diagnostics.first {
      $0.code == expectation.code && $0.position == expectation.position
    }
    #expect(
      match != nil,
      "expected \(expectation.code) at \(expectation.position.line):\(expectation.position.column); got \(result.diagnostics.map(\.rendered))"
    )
    if let match {
      #expect(match.rendered.hasPrefix("\(name):\(match.position.line):"))
      #expect(!match.message.hasSuffix("."))
    }
  }

  @Test("the corpus holds at least 30 broken protocols covering every error code")
  func corpusIsBroad() throws {
    let codes = try Set(
      Fixtures.brokenProtocols.compactMap {
        Expectation(header: try Fixtures.text("broken/\($0)"))?.code
      })
    #expect(Fixtures.brokenProtocols.count >= 30)
    let everyErrorCode = (100...136).map { "CS\($0)" }.filter { $0 != "CS121" && $0 != "CS126" }
    #expect(
      Set(everyErrorCode).subtracting(codes).isEmpty,
      "\(Set(everyErrorCode).subtracting(codes).sorted())")
  }

  @Test("a question label is required and short; an archived protocol without one replays")
  func questionLabels() throws {
    let text = try Fixtures.text("valid-minimal.yaml")
    let long = text.replacingOccurrences(
      of: "label: Location", with: "label: The address of the emergency, as the caller gives it")
    #expect(
      ProtocolCompiler.compile(text: long, file: "p.yaml").diagnostics.map(\.rendered) == [
        "p.yaml:12:5: error[CS133]: 'label' of question 'location' is 52 characters in 'en'; "
          + "keep it to 40 or fewer, a name for the fact, not the question"
      ])
    let unlabelled = text.replacingOccurrences(of: "    label: Location\n", with: "")
    let strict = ProtocolCompiler.compile(text: unlabelled, file: "p.yaml")
    #expect(strict.protocolValue == nil)
    #expect(strict.diagnostics.map(\.code) == ["CS133"])
    let archived = ProtocolCompiler.compile(text: unlabelled, file: "p.yaml", archived: true)
    #expect(archived.diagnostics.isEmpty)
    let compiled = try #require(archived.protocolValue)
    #expect(compiled.questions.map { $0.label.text() } == ["location", "Attack", "Attackers"])
  }

  @Test("every question of the built-in protocol has a label in English and Spanish")
  func builtInLabels() throws {
    let compiled = try #require(BuiltInProtocol.compile().protocolValue)
    for question in compiled.questions {
      #expect(question.label.texts.map(\.language) == ["en", "es"], "\(question.id)")
      #expect(question.label.text(in: "en") != question.id, "\(question.id)")
    }
    #expect(compiled.question(id: "attacker_location")?.label.text() == "Attacker's location")
  }

  @Test("an undefined name gets a did-you-mean with the exact column")
  func didYouMean() {
    let text = try? Fixtures.text("valid-minimal.yaml")
    let broken = (text ?? "").replacingOccurrences(
      of: "when: attack = shooting", with: "when: attak = shooting")
    let result = ProtocolCompiler.compile(text: broken, file: "p.yaml")
    #expect(
      result.diagnostics.map(\.rendered) == [
        "p.yaml:50:11: error[CS104]: unknown name 'attak' in 'when' of instruction 'hide'; did you mean 'attack'?"
      ])
  }

  @Test("a missing translation is a warning that does not stop compilation")
  func missingTranslationIsAWarning() throws {
    let text = try Fixtures.text("valid-minimal.yaml").replacingOccurrences(
      of: "languages: [en]", with: "languages: [en, es]")
    let result = ProtocolCompiler.compile(text: text, file: "p.yaml")
    #expect(result.protocolValue != nil)
    #expect(!result.diagnostics.isEmpty)
    #expect(result.diagnostics.allSatisfy { $0.severity == .warning && $0.code == "CS118" })
    #expect(result.diagnostics.allSatisfy { $0.promoted().severity == .error })
  }

  @Test("diagnostics encode to the documented JSON fields")
  func jsonShape() throws {
    let diagnostic = Diagnostic(
      file: "a.yaml", position: SourcePosition(line: 3, column: 7), code: "CS104", message: "m")
    let object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(diagnostic)) as? [String: Any])
    #expect(Set(object.keys) == ["file", "line", "column", "severity", "code", "message"])
    #expect(object["line"] as? Int == 3)
  }

  struct Expectation {
    var code: String
    var position: SourcePosition

    /// Reads `# expect: CS104 12:9` from the first line.
    init?(header text: String) {
      guard let first = text.split(separator: "\n", maxSplits: 1).first,
        first.hasPrefix("# expect: ")
      else { return nil }
      let parts = first.dropFirst("# expect: ".count).split(separator: " ")
      let place = parts.count == 2 ? parts[1].split(separator: ":") : []
      guard place.count == 2, let line = Int(place[0]), let column = Int(place[1]) else {
        return nil
      }
      code = String(parts[0])
      position = SourcePosition(line: line, column: column)
    }
  }
}
