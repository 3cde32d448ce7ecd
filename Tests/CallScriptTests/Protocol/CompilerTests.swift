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
    let warnings: Set<DiagnosticCode> = [.missingTranslation, .relayTooLong, .noEffect]
    #expect((result.protocolValue == nil) == !warnings.contains(expectation.code))
    let match = result.diagnostics.first {
      $0.code == expectation.code && $0.position == expectation.position
    }
    #expect(
      match != nil,
      "expected \(expectation.code.rawValue) at \(expectation.position.line):\(expectation.position.column); got \(result.diagnostics.map(\.rendered))"
    )
    if let match {
      #expect(match.rendered.hasPrefix("\(name):\(match.position.line):"))
      #expect(!match.message.hasSuffix("."))
    }
  }

  @Test("the corpus holds a broken protocol for every diagnostic code")
  func corpusIsBroad() throws {
    let headers = try Fixtures.brokenProtocols.map {
      ($0, Expectation(header: try Fixtures.text("broken/\($0)")))
    }
    #expect(
      headers.filter { $0.1 == nil }.isEmpty,
      "fixtures without a valid '# expect: CSnnn LINE:COL' line: \(headers.filter { $0.1 == nil }.map(\.0))"
    )
    let codes = Set(headers.compactMap { $0.1?.code })
    // A file over the size limit (tens of megabytes) is no fixture to keep in the repository;
    // BadInputTests/huge makes one.
    let covered = Set(DiagnosticCode.allCases).subtracting([.tooLarge])
    let missing = covered.subtracting(codes).map(\.rawValue).sorted()
    #expect(missing.isEmpty, "codes without a fixture: \(missing)")
  }

  @Test("the code table of docs/protocol-format.md lists every code with its summary")
  func codeTableMatchesTheDocument() throws {
    let document = try String(
      contentsOf: Fixtures.repository.appendingPathComponent("docs/protocol-format.md"),
      encoding: .utf8)
    let rows = document.split(separator: "\n").compactMap { line -> (String, String)? in
      guard line.hasPrefix("| CS") else { return nil }
      let cells = line.dropFirst(2).split(separator: " | ", maxSplits: 1)
      guard cells.count == 2, cells[1].hasSuffix(" |") else { return nil }
      return (String(cells[0]), String(cells[1].dropLast(2)))
    }
    let expected = DiagnosticCode.allCases.map { ($0.rawValue, $0.summary) }
    #expect(rows.map(\.0) == expected.map(\.0))
    for (row, code) in zip(rows, expected) where row.1 != code.1 {
      Issue.record("\(row.0): the table says '\(row.1)', the enum says '\(code.1)'")
    }
  }

  @Test("codes keep their numbers: consecutive from CS100, in the order of the enum")
  func codesAreStable() {
    let numbers = DiagnosticCode.allCases.map(\.rawValue)
    #expect(numbers == (0..<numbers.count).map { "CS\(100 + $0)" })
    #expect(DiagnosticCode.undefinedReference.rawValue == "CS104")
    #expect(DiagnosticCode.wrongType.rawValue == "CS105")
    #expect(DiagnosticCode.include.rawValue == "CS136")
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
    #expect(strict.diagnostics.map(\.code) == [.questionLabel])
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

  @Test("the place goes after the message and before the suggestion, whatever the text holds")
  func suggestionAfterThePlace() throws {
    let text = try Fixtures.text("valid-minimal.yaml").replacingOccurrences(
      of: "text: \"{attackers} attackers", with: "text: \"{attackers; now} attackers")
    let result = ProtocolCompiler.compile(text: text, file: "p.yaml")
    // The text of the template holds "; ", which once split the message in the wrong place.
    #expect(
      result.diagnostics.map(\.rendered) == [
        "p.yaml:55:13: error[CS116]: '{attackers; now}' is not a fact name in 'text' of relay "
          + "'count'; write '{name}' or '{name.age}'"
      ])
    let diagnostic = try #require(result.diagnostics.first)
    #expect(
      diagnostic.message == "'{attackers; now}' is not a fact name in 'text' of relay 'count'")
    #expect(diagnostic.suggestion == "write '{name}' or '{name.age}'")
  }

  @Test("a missing translation is a warning that does not stop compilation")
  func missingTranslationIsAWarning() throws {
    let text = try Fixtures.text("valid-minimal.yaml").replacingOccurrences(
      of: "languages: [en]", with: "languages: [en, es]")
    let result = ProtocolCompiler.compile(text: text, file: "p.yaml")
    #expect(result.protocolValue != nil)
    #expect(!result.diagnostics.isEmpty)
    #expect(
      result.diagnostics.allSatisfy { $0.severity == .warning && $0.code == .missingTranslation })
    #expect(result.diagnostics.allSatisfy { $0.promoted().severity == .error })
  }

  @Test("diagnostics encode to the documented JSON fields")
  func jsonShape() throws {
    let diagnostic = Diagnostic(
      file: "a.yaml", position: SourcePosition(line: 3, column: 7),
      code: .undefinedReference, message: "m")
    let object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(diagnostic)) as? [String: Any])
    #expect(Set(object.keys) == ["file", "line", "column", "severity", "code", "message"])
    #expect(object["line"] as? Int == 3)
  }

  struct Expectation {
    var code: DiagnosticCode
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
      guard let code = DiagnosticCode(rawValue: String(parts[0])) else { return nil }
      self.code = code
      position = SourcePosition(line: line, column: column)
    }
  }
}
