import CallScript
import Testing

@Suite struct ExpressionParsingTests {
  typealias F = ExpressionFixtures

  @Test(arguments: [
    "caller_safe = yes",
    "caller_safe != no",
    "weapon_type = firearm",
    "weapon_type in (firearm, edged)",
    "weapons has explosive",
    "attackers > 1",
    "attackers >= 2 and attackers <= 5",
    "3 < attackers",
    "count(weapons) >= 2",
    "known(location)",
    "unknown(caller_safe) or refused(caller_safe)",
    "answered(weapons)",
    "known(attack_active)",
    "attack_active",
    "not attack_active",
    "true",
    "false",
    "(attack_active)",
    "location = \"main street\"",
    "\"main street\" = location",
    "incident_kind in (hostage, bomb)",
    "incident_kind = active_attack",
    "caller_safe = can_leave",
    "weapon_type = prior_weapon",
    "attackers = victims",
    "attackers < victims",
    "attack_active = still_armed",
    "attack_active != hidden",
    "weapons = other_weapons",
    "location = attacker_location",
    "caller_safe = no\n  and can_leave = no\t or\r\nattack_active",
    "not not not attack_active",
    "attack_active and not (suspect_status in (custody, down))",
    "weapon_type in (firearm, firearm)",
    "attackers = 1000000",
  ])
  func validExpressionsCompile(_ text: String) {
    #expect(F.issues(text) == [])
  }

  /// A truth-table case over three condition facts.
  struct LogicCase: Sendable, CustomStringConvertible {
    var text: String
    var expected: @Sendable (Bool, Bool, Bool) -> Bool
    var description: String { text }
  }

  @Test(arguments: [
    LogicCase(text: "attack_active or still_armed and hidden") { a, b, c in a || (b && c) },
    LogicCase(text: "attack_active and still_armed or hidden") { a, b, c in (a && b) || c },
    LogicCase(text: "not attack_active and still_armed") { a, b, _ in !a && b },
    LogicCase(text: "not attack_active or still_armed") { a, b, _ in !a || b },
    LogicCase(text: "not (attack_active or still_armed)") { a, b, _ in !(a || b) },
    LogicCase(text: "(attack_active or still_armed) and hidden") { a, b, c in (a || b) && c },
    LogicCase(text: "attack_active and (still_armed or not hidden)") { a, b, c in a && (b || !c) },
    LogicCase(text: "not not attack_active") { a, _, _ in a },
    LogicCase(text: "attack_active or still_armed or hidden") { a, b, c in a || b || c },
    LogicCase(text: "attack_active and still_armed and hidden") { a, b, c in a && b && c },
    LogicCase(text: "((attack_active and (still_armed)) or ((hidden)))") { a, b, c in
      (a && b) || c
    },
    LogicCase(text: "attack_active and true") { a, _, _ in a },
    LogicCase(text: "attack_active or false") { a, _, _ in a },
    LogicCase(text: "attack_active or true") { _, _, _ in true },
  ])
  func precedenceMatchesTheDocument(_ logic: LogicCase) throws {
    let condition = try #require(F.condition(logic.text))
    for bits in 0..<8 {
      let (a, b, c) = (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0)
      let facts = F.facts([
        "attack_active": .condition(a), "still_armed": .condition(b), "hidden": .condition(c),
      ])
      #expect(condition.evaluate(facts) == logic.expected(a, b, c), "\(a) \(b) \(c)")
    }
  }

  @Test func dependenciesAreSortedAndUnique() throws {
    let text = "victims > 1 and caller_safe = yes or known(victims) and count(weapons) > 0"
    let condition = try #require(F.condition(text))
    #expect(condition.dependencies == [0, 2, 9])
    #expect(condition.source == text)
  }

  @Test func namesOnTheRightAreDependencies() throws {
    let condition = try #require(F.condition("attackers < victims"))
    #expect(condition.dependencies == [3, 9])
    #expect(try #require(F.condition("true")).dependencies == [])
  }

  @Test func foldedConstantsKeepTheirDependencies() throws {
    let condition = try #require(F.condition("false and caller_safe = yes"))
    #expect(condition.dependencies == [0])
    #expect(condition.isConstantlyFalse)
  }

  @Test func functionWordsAreNamesWithoutParentheses() throws {
    let symbols = SymbolIndex([Symbol(name: "count", slot: 0, type: .count, isQuestion: true)])
    let condition = try ExpressionCompiler.compileCondition("count > 2", symbols: symbols).get()
    #expect(condition.evaluate([FactValue.count(low: 3, high: 3)]))
  }

  @Test func optionIdsMayLookLikeNamesOrKeywords() throws {
    let symbols = SymbolIndex([
      Symbol(
        name: "answer", slot: 0, type: .oneOf(options: ["yes", "no", "true", "location"]),
        isQuestion: true),
      Symbol(name: "location", slot: 1, type: .text, isQuestion: true),
    ])
    for option in ["yes", "no", "true", "location"] {
      let condition = try ExpressionCompiler.compileCondition(
        "answer = \(option)", symbols: symbols
      ).get()
      #expect(condition.evaluate([FactValue.option(option), .unanswered]))
      #expect(!condition.evaluate([FactValue.option("other"), .unanswered]))
    }
  }

  @Test func derivedExpressionsAreConditions() {
    #expect(ExpressionCompiler.derivedExpressionType == .condition)
  }
}
