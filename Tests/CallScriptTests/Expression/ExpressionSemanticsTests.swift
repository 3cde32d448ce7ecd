import CallScript
import Testing

@Suite struct ExpressionSemanticsTests {
  typealias F = ExpressionFixtures

  /// Values that are not real answers.
  static let missing: [FactValue] = [.unanswered, .unknown, .refused]

  /// One evaluation: `text` with `value` in `name` should give `expected`.
  struct Case: Sendable, CustomStringConvertible {
    var text: String
    var name: String
    var value: FactValue
    var expected: Bool
    var description: String { "\(text) with \(name) = \(value)" }
  }

  static func cases(
    _ text: String, _ name: String, _ rows: [(FactValue, Bool)]
  ) -> [Case] {
    rows.map { Case(text: text, name: name, value: $0.0, expected: $0.1) }
  }

  static let yesNoCases =
    cases(
      "caller_safe = yes", "caller_safe",
      [(.yesNo(true), true), (.yesNo(false), false)] + missing.map { ($0, false) })
    + cases(
      "caller_safe = no", "caller_safe",
      [(.yesNo(true), false), (.yesNo(false), true)] + missing.map { ($0, false) })
    + cases(
      "caller_safe != yes", "caller_safe",
      [(.yesNo(true), false), (.yesNo(false), true)] + missing.map { ($0, true) })
    + cases(
      "caller_safe != no", "caller_safe",
      [(.yesNo(true), true), (.yesNo(false), false)] + missing.map { ($0, true) })

  @Test(arguments: yesNoCases)
  func yesNoComparisons(_ test: Case) {
    #expect(F.holds(test.text, [test.name: test.value]) == test.expected)
  }

  static let choiceCases =
    cases(
      "weapon_type = firearm", "weapon_type",
      [(.option("firearm"), true), (.option("edged"), false)] + missing.map { ($0, false) })
    + cases(
      "weapon_type != firearm", "weapon_type",
      [(.option("firearm"), false), (.option("edged"), true)] + missing.map { ($0, true) })
    + cases(
      "weapon_type in (firearm, edged)", "weapon_type",
      [(.option("firearm"), true), (.option("edged"), true), (.option("blunt"), false)]
        + missing.map { ($0, false) })
    + cases(
      "not weapon_type in (firearm, edged)", "weapon_type",
      [(.option("edged"), false), (.option("blunt"), true)] + missing.map { ($0, true) })
    + cases(
      "weapon_type in (blunt)", "weapon_type",
      [(.option("blunt"), true), (.option("edged"), false), (.unknown, false)])
    + cases(
      "incident_kind = bomb", "incident_kind",
      [(.word("bomb"), true), (.word("hostage"), false), (.unanswered, false)])
    + cases(
      "incident_kind in (hostage, bomb)", "incident_kind",
      [(.word("bomb"), true), (.word("hostage"), true), (.word("active_attack"), false)]
        + missing.map { ($0, false) })
    + cases(
      "incident_kind != active_attack", "incident_kind",
      [(.word("bomb"), true), (.word("active_attack"), false), (.unanswered, true)])

  @Test(arguments: choiceCases)
  func choiceComparisons(_ test: Case) {
    #expect(F.holds(test.text, [test.name: test.value]) == test.expected)
  }

  static let manyCases =
    cases(
      "weapons has explosive", "weapons",
      [
        (.options(["explosive"]), true), (.options(["firearm", "explosive"]), true),
        (.options(["firearm"]), false), (.options([]), false),
      ] + missing.map { ($0, false) })
    + cases(
      "not weapons has explosive", "weapons",
      [(.options(["explosive"]), false), (.options([]), true)] + missing.map { ($0, true) })
    + cases(
      "count(weapons) = 2", "weapons",
      [(.options(["firearm", "edged"]), true), (.options(["edged"]), false)]
        + missing.map { ($0, false) })
    + cases(
      "count(weapons) = 0", "weapons",
      [(.options([]), true), (.options(["edged"]), false)] + missing.map { ($0, true) })
    + cases(
      "count(weapons) >= 1", "weapons",
      [(.options(["edged"]), true), (.options([]), false)] + missing.map { ($0, false) })

  @Test(arguments: manyCases)
  func manyOfTests(_ test: Case) {
    #expect(F.holds(test.text, [test.name: test.value]) == test.expected)
  }

  /// A count comparison against a range answer.
  struct RangeCase: Sendable, CustomStringConvertible {
    var low: Int
    var high: Int?
    var comparison: String
    var number: Int
    var expected: Bool
    var description: String {
      "\(low)-\(high.map(String.init) ?? "more") \(comparison) \(number)"
    }
  }

  static let rangeCases: [RangeCase] = [
    // Exact counts.
    RangeCase(low: 3, high: 3, comparison: "=", number: 3, expected: true),
    RangeCase(low: 3, high: 3, comparison: "=", number: 2, expected: false),
    RangeCase(low: 3, high: 3, comparison: "!=", number: 3, expected: false),
    RangeCase(low: 3, high: 3, comparison: "!=", number: 2, expected: true),
    RangeCase(low: 3, high: 3, comparison: ">", number: 2, expected: true),
    RangeCase(low: 3, high: 3, comparison: ">", number: 3, expected: false),
    RangeCase(low: 3, high: 3, comparison: ">=", number: 3, expected: true),
    RangeCase(low: 3, high: 3, comparison: "<", number: 4, expected: true),
    RangeCase(low: 3, high: 3, comparison: "<", number: 3, expected: false),
    RangeCase(low: 3, high: 3, comparison: "<=", number: 3, expected: true),
    RangeCase(low: 0, high: 0, comparison: "<", number: 1, expected: true),
    // Ranges hold only when every number in them does (the document's examples).
    RangeCase(low: 2, high: 3, comparison: ">", number: 1, expected: true),
    RangeCase(low: 2, high: 3, comparison: ">", number: 2, expected: false),
    RangeCase(low: 2, high: 3, comparison: ">=", number: 2, expected: true),
    RangeCase(low: 2, high: 3, comparison: ">=", number: 3, expected: false),
    RangeCase(low: 2, high: 3, comparison: "<", number: 4, expected: true),
    RangeCase(low: 2, high: 3, comparison: "<", number: 3, expected: false),
    RangeCase(low: 2, high: 3, comparison: "<=", number: 3, expected: true),
    RangeCase(low: 2, high: 3, comparison: "<=", number: 2, expected: false),
    RangeCase(low: 2, high: 3, comparison: "=", number: 2, expected: false),
    RangeCase(low: 2, high: 3, comparison: "!=", number: 2, expected: true),
    // Open ranges: "2 or more".
    RangeCase(low: 2, high: nil, comparison: "<", number: 9, expected: false),
    RangeCase(low: 2, high: nil, comparison: "<=", number: 1_000_000, expected: false),
    RangeCase(low: 2, high: nil, comparison: ">", number: 1, expected: true),
    RangeCase(low: 2, high: nil, comparison: ">=", number: 2, expected: true),
    RangeCase(low: 2, high: nil, comparison: ">", number: 2, expected: false),
    RangeCase(low: 2, high: nil, comparison: "=", number: 2, expected: false),
  ]

  @Test(arguments: rangeCases)
  func countRanges(_ test: RangeCase) {
    let value = FactValue.count(low: test.low, high: test.high)
    let text = "attackers \(test.comparison) \(test.number)"
    #expect(F.holds(text, ["attackers": value]) == test.expected)
  }

  @Test(arguments: rangeCases)
  func mirroredCountRanges(_ test: RangeCase) {
    let mirrored =
      ["<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="][test.comparison] ?? ""
    let value = FactValue.count(low: test.low, high: test.high)
    let text = "\(test.number) \(mirrored) attackers"
    #expect(F.holds(text, ["attackers": value]) == test.expected)
  }

  @Test(arguments: ["=", "<", "<=", ">", ">="], missing)
  func missingCountsFailEveryComparison(_ comparison: String, _ value: FactValue) {
    #expect(F.holds("attackers \(comparison) 0", ["attackers": value]) == false)
    #expect(F.holds("attackers != 0", ["attackers": value]) == true)
  }

  @Test func countsCompareWithCounts() {
    let two = FactValue.count(low: 2, high: 2)
    let range = FactValue.count(low: 3, high: 5)
    #expect(F.holds("attackers < victims", ["attackers": two, "victims": range]) == true)
    #expect(F.holds("attackers > victims", ["attackers": two, "victims": range]) == false)
    #expect(F.holds("victims <= victims", ["victims": range]) == false)
    #expect(F.holds("attackers = victims", ["attackers": two, "victims": two]) == true)
    #expect(F.holds("attackers = victims", ["attackers": range, "victims": range]) == false)
    #expect(F.holds("attackers < victims", ["attackers": two]) == false)
    #expect(F.holds("count(weapons) < attackers", ["attackers": two]) == true)
  }

  static let statusCases: [(String, [Bool])] = [
    // Expected for: unanswered, unknown, refused, yes.
    ("known(caller_safe)", [false, false, false, true]),
    ("unknown(caller_safe)", [false, true, false, false]),
    ("refused(caller_safe)", [false, false, true, false]),
    ("answered(caller_safe)", [false, true, true, true]),
    ("not answered(caller_safe)", [true, false, false, false]),
  ]

  @Test(arguments: statusCases)
  func answerStatus(_ text: String, _ expected: [Bool]) {
    let values: [FactValue] = [.unanswered, .unknown, .refused, .yesNo(true)]
    for (value, expectation) in zip(values, expected) {
      #expect(F.holds(text, ["caller_safe": value]) == expectation, "\(value)")
    }
  }

  @Test func derivedFacts() {
    #expect(F.holds("attack_active", ["attack_active": .condition(true)]) == true)
    #expect(F.holds("attack_active", ["attack_active": .condition(false)]) == false)
    #expect(F.holds("attack_active", [:]) == false)
    #expect(F.holds("not attack_active", [:]) == true)
    #expect(F.holds("known(attack_active)", ["attack_active": .condition(false)]) == true)
    #expect(F.holds("known(incident_kind)", ["incident_kind": .word("bomb")]) == true)
    #expect(F.holds("known(incident_kind)", [:]) == false)
  }

  @Test func textComparesExactly() {
    let text = "location = \"Main St\""
    #expect(F.holds(text, ["location": .text("Main St")]) == true)
    #expect(F.holds(text, ["location": .text("main st")]) == false)
    #expect(F.holds(text, ["location": .unknown]) == false)
    #expect(F.holds("location != \"Main St\"", ["location": .unknown]) == true)
    #expect(F.holds("\"Main St\" = location", ["location": .text("Main St")]) == true)
  }

  @Test func namesCompareWithNamesOfTheSameKind() {
    let yes = FactValue.yesNo(true)
    #expect(F.holds("caller_safe = can_leave", ["caller_safe": yes, "can_leave": yes]) == true)
    #expect(
      F.holds("caller_safe = can_leave", ["caller_safe": yes, "can_leave": .yesNo(false)])
        == false)
    #expect(F.holds("caller_safe = can_leave", [:]) == false)
    #expect(F.holds("caller_safe != can_leave", [:]) == true)
    #expect(
      F.holds(
        "weapon_type = prior_weapon",
        ["weapon_type": .option("edged"), "prior_weapon": .option("edged")]) == true)
    #expect(
      F.holds(
        "weapons = other_weapons",
        [
          "weapons": .options(["edged", "firearm"]),
          "other_weapons": .options(["firearm", "edged"]),
        ]
      ) == true)
  }

  @Test func evaluationIsTotalForUnexpectedValues() throws {
    let texts = [
      "caller_safe = yes", "weapon_type = firearm", "weapon_type in (firearm, edged)",
      "weapons has explosive", "attackers > 1", "attackers != 1", "count(weapons) > 0",
      "location = \"x\"", "attack_active", "incident_kind = bomb", "known(caller_safe)",
      "caller_safe = can_leave",
    ]
    let odd: [FactValue] = [
      .yesNo(true), .option("firearm"), .options(["firearm"]), .count(low: 5, high: 1),
      .count(low: -3, high: nil), .count(low: Int.max, high: Int.min), .text("firearm"),
      .condition(true), .word("bomb"), .unanswered, .unknown, .refused,
    ]
    for text in texts {
      let condition = try #require(F.condition(text))
      for value in odd {
        _ = condition.evaluate([FactValue](repeating: value, count: 16))
      }
      // Too few slots read as unanswered.
      _ = condition.evaluate([FactValue]())
    }
  }

  @Test func slotsOutOfRangeReadAsUnanswered() {
    let facts: [FactValue] = [.yesNo(true)]
    #expect(facts.value(atSlot: 0) == .yesNo(true))
    #expect(facts.value(atSlot: 1) == .unanswered)
    #expect(facts.value(atSlot: -1) == .unanswered)
  }

  @Test(arguments: [
    (FactValue.unanswered, false), (.unknown, false), (.refused, false), (.yesNo(false), true),
    (.option("a"), true), (.options([]), true), (.count(low: 0, high: 0), true), (.text(""), true),
    (.condition(false), true), (.word("w"), true),
  ])
  func isKnown(_ value: FactValue, _ expected: Bool) {
    #expect(value.isKnown == expected)
  }

  @Test("'contains' finds words in a text answer, ignoring case; false when not a text")
  func containsText() {
    typealias E = ExpressionFixtures
    let school: [String: FactValue] = ["location": .text("Lincoln High SCHOOL, north gate")]
    #expect(E.holds("location contains \"school\"", school) == true)
    #expect(E.holds("location contains \"High School\"", school) == true)
    #expect(E.holds("location contains \"mall\"", school) == false)
    #expect(E.holds("not location contains \"mall\"", school) == true)
    #expect(E.holds("location contains \"niño\"", ["location": .text("EL NIÑO")]) == true)
    for value: FactValue in [.unanswered, .unknown, .refused] {
      #expect(E.holds("location contains \"school\"", ["location": value]) == false)
    }
    let condition = E.condition("location contains \"school\" and caller_safe = yes")
    #expect(condition?.dependencies == [0, 4])
    let names: (Int) -> String = { E.symbols.symbols[$0].name }
    #expect(
      E.condition("not location contains \"a b\"")?.text(names: names)
        == "not location contains \"a b\"")
    // A question or option named 'contains' keeps working: the word is not reserved.
    #expect(E.issues("contains = yes").map(\.kind) == [.undefined])
  }

  @Test("'+' and '-' on counts and numbers; a range answer holds only if every number does")
  func arithmetic() {
    typealias E = ExpressionFixtures
    let three: [String: FactValue] = ["attackers": .count(low: 3, high: 3)]
    #expect(E.holds("attackers - 1 > 1", three) == true)
    #expect(E.holds("attackers - 1 > 2", three) == false)
    #expect(E.holds("attackers - 1 = 2", three) == true)
    #expect(E.holds("1 + attackers >= 4", three) == true)
    #expect(E.holds("5 - attackers = 2", three) == true)
    let both: [String: FactValue] = [
      "attackers": .count(low: 2, high: 3), "victims": .count(low: 1, high: 1),
    ]
    #expect(E.holds("attackers + victims > 2", both) == true)
    #expect(E.holds("attackers + victims > 3", both) == false)
    #expect(E.holds("attackers + victims <= 4", both) == true)
    #expect(E.holds("attackers - victims >= 1", both) == true)
    #expect(E.holds("attackers + count(weapons) = 3", both) == false)
    #expect(
      E.holds(
        "attackers + count(weapons) = 3",
        ["attackers": .count(low: 1, high: 1), "weapons": .options(["edged", "firearm"])])
        == true)
    // "2 or more" minus a count: no upper bound on the left of '-', none below on the right.
    let open: [String: FactValue] = [
      "attackers": .count(low: 2, high: nil), "victims": .count(low: 1, high: 1),
    ]
    #expect(E.holds("attackers - victims >= 1", open) == true)
    #expect(E.holds("attackers - victims < 100", open) == false)
    #expect(E.holds("victims - attackers < 0", open) == true)
    #expect(E.holds("victims - attackers + 5 > 0", open) == false)
    #expect(E.holds("victims - attackers + 5 <= 4", open) == true)
    #expect(E.holds("victims - attackers > attackers - 5", open) == false)
    // Unknown on either side: not a number, so no comparison holds.
    #expect(E.holds("attackers - 1 > 0", ["attackers": .unknown]) == false)
    #expect(E.holds("attackers + victims > 0", ["attackers": .count(low: 1, high: 1)]) == false)
    // Totals never trap, however large the answers.
    let huge: [String: FactValue] = [
      "attackers": .count(low: Int.max, high: Int.max),
      "victims": .count(low: Int.max - 1, high: nil),
    ]
    #expect(E.holds("attackers + victims > 1", huge) == true)
    #expect(E.holds("0 - attackers - victims < 1", huge) == true)
    let names: (Int) -> String = { E.symbols.symbols[$0].name }
    #expect(
      E.condition("attackers - 1 + count(weapons) != 2")?.text(names: names)
        == "attackers - 1 + count(weapons) != 2")
    #expect(E.condition("attackers + victims > 2")?.dependencies == [3, 9])
  }
}
