import CallScript
import Testing

/// Hostile and odd input: every one gives issues or a condition, never a crash or a hang.
@Suite struct ExpressionRobustnessTests {
  typealias F = ExpressionFixtures

  @Test func deeplyNestedParenthesesAreASyntaxIssue() throws {
    let text =
      String(repeating: "(", count: 10_000) + "true" + String(repeating: ")", count: 10_000)
    let issues = F.issues(text)
    let issue = try #require(issues.first)
    #expect(issue.kind == .syntax)
    #expect(issues.count == 1)
    // Rejected for length before it is parsed.
    #expect(issue.offset == ExpressionCompiler.maximumLength)
  }

  @Test func nestingWithinTheLengthLimitIsBounded() throws {
    let depth = 1_000
    let text = String(repeating: "(", count: depth) + "true" + String(repeating: ")", count: depth)
    let issue = try #require(F.issues(text).first)
    #expect(issue.kind == .syntax)
    #expect(issue.offset == ExpressionCompiler.maximumDepth)
    #expect(issue.message.contains("nested too deeply"))
  }

  @Test func manyNotsAreBounded() throws {
    let text = String(repeating: "not ", count: 900) + "true"
    let issue = try #require(F.issues(text).first)
    #expect(issue.kind == .syntax)
    #expect(issue.offset == 4 * ExpressionCompiler.maximumDepth)
  }

  @Test func nestingAtTheLimitCompiles() throws {
    let depth = ExpressionCompiler.maximumDepth
    let parentheses =
      String(repeating: "(", count: depth) + "attack_active" + String(repeating: ")", count: depth)
    #expect(F.holds(parentheses, ["attack_active": .condition(true)]) == true)
    let nots = String(repeating: "not ", count: depth) + "attack_active"
    #expect(F.holds(nots, ["attack_active": .condition(true)]) == true)
    let mixed =
      String(repeating: "not (", count: depth / 2) + "attack_active"
      + String(repeating: ")", count: depth / 2)
    #expect(F.issues(mixed) == [])
  }

  @Test func longFlatChainsCompileAndEvaluate() throws {
    let chain = Array(repeating: "caller_safe = yes", count: 150).joined(separator: " and ")
    #expect(F.holds(chain, ["caller_safe": .yesNo(true)]) == true)
    let alternatives = Array(repeating: "attackers > 3", count: 200).joined(separator: " or ")
    #expect(F.holds(alternatives, ["attackers": .count(low: 2, high: 2)]) == false)
  }

  @Test func oneMegabyteOfTextIsRejectedQuickly() throws {
    let text = String(repeating: "caller_safe = yes and ", count: 50_000)
    #expect(text.utf8.count > 1_000_000)
    let issue = try #require(F.issues(text).first)
    #expect(issue.kind == .syntax)
    #expect(issue.text == "expression is too long; the limit is 4000 characters")
    #expect(issue.offset == 4_000)
    #expect(issue.length == text.unicodeScalars.count - 4_000)
    let template = try #require(ExpressionTemplateTests.issues(text).first)
    #expect(template.kind == .template)
  }

  @Test func expressionsAtTheLengthLimitCompile() {
    let text = "true" + String(repeating: " ", count: ExpressionCompiler.maximumLength - 4)
    #expect(F.issues(text) == [])
    #expect(F.issues(text + " ").first?.kind == .syntax)
  }

  @Test(arguments: [
    "\u{0}", "\u{1B}[31m", "\u{7F}", "\u{FEFF}caller_safe = yes", "caller_safe = yes\u{2028}",
    "\u{202E}sey = efas_rellac", "ｃａｌｌｅｒ", "caller_safe = yés", "\u{D7FF}", "\u{10FFFF}",
    "👩‍👩‍👧", "e\u{301}", "\"unterminated \u{0}", "\"\u{0}\" = location",
  ])
  func oddCharactersGiveIssuesNotCrashes(_ text: String) {
    let issues = F.issues(text)
    for issue in issues {
      #expect(issue.offset >= 0 && issue.offset <= text.unicodeScalars.count)
      #expect(issue.offset + issue.length <= text.unicodeScalars.count)
    }
    _ = ExpressionTemplateTests.issues(text)
  }

  @Test func textMayHoldAnyCharacterButAQuote() {
    #expect(F.holds("location = \"\u{0}🚨\nx\"", ["location": .text("\u{0}🚨\nx")]) == true)
  }

  /// A small deterministic generator (SplitMix64), so fuzzing is repeatable.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var value = state
      value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
      value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
      return value ^ (value >> 31)
    }
  }

  @Test func randomTokenSoupNeverCrashes() {
    let pieces = [
      "caller_safe", "weapon_type", "weapons", "attackers", "location", "attack_active",
      "incident_kind", "zebra", "firearm", "bomb", "yes", "no", "=", "!=", "<", "<=", ">", ">=",
      "and", "or", "not", "has", "in", "(", ")", ",", "known", "count", "unknown", "true",
      "false", "0", "3", "\"x\"", "\"", "{", "}", ".age", "é", "\u{0}",
    ]
    let values: [FactValue] = [
      .unanswered, .unknown, .refused, .yesNo(true), .option("firearm"), .options(["edged"]),
      .count(low: 2, high: nil), .text("x"), .condition(true), .word("bomb"),
    ]
    var generator = Generator(state: 42)
    var compiled = 0
    for _ in 0..<3_000 {
      let count = Int.random(in: 1...12, using: &generator)
      let text = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }
        .joined(separator: Bool.random(using: &generator) ? " " : "")
      switch ExpressionCompiler.compileCondition(text, symbols: F.symbols) {
      case .success(let condition):
        compiled += 1
        let facts = (0..<16).map { _ in values.randomElement(using: &generator) ?? .unanswered }
        let result = condition.evaluate(facts)
        if condition.isConstantlyFalse { #expect(!result, "\(text)") }
      case .failure(let issues):
        #expect(!issues.isEmpty)
      }
      _ = TemplateCompiler.compile(text, symbols: F.symbols)
    }
    #expect(compiled > 0)
  }

  @Test func emptySymbolTablesWork() {
    let empty = SymbolIndex([])
    let result = ExpressionCompiler.compileCondition("anything = yes", symbols: empty)
    #expect(throws: [ExpressionIssue].self) { try result.get() }
  }

  @Test func duplicateSymbolNamesKeepTheFirst() {
    let index = SymbolIndex([
      Symbol(name: "a", slot: 0, type: .yesNo, isQuestion: true),
      Symbol(name: "a", slot: 1, type: .count, isQuestion: true),
    ])
    #expect(index.symbol(named: "a")?.slot == 0)
    #expect(index.allSymbolNames == ["a", "a"])
  }
}
