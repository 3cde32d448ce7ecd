import CallScript
import Testing

@Suite struct ExpressionTemplateTests {
  typealias F = ExpressionFixtures

  static let labels: [String: String] = [
    "firearm": "Gun", "edged": "Knife or other blade", "explosive": "Explosive", "blunt": "Club",
  ]

  /// Renders `text` with `values`, labels from ``labels`` and ages from `ages`.
  static func render(
    _ text: String, _ values: [String: FactValue] = [:], ages: [Int: Double] = [:]
  ) throws -> String {
    let template = try TemplateCompiler.compile(text, symbols: F.symbols).get()
    return template.render(
      F.facts(values), label: { _, id in labels[id] ?? id }, age: { ages[$0] })
  }

  static func issues(_ text: String) -> [ExpressionIssue] {
    switch TemplateCompiler.compile(text, symbols: F.symbols) {
    case .success: []
    case .failure(let issues): issues
    }
  }

  @Test(arguments: [
    (FactValue.unanswered, "not yet known"),
    (.unknown, "unknown"),
    (.refused, "refused"),
    (.yesNo(true), "yes"),
    (.yesNo(false), "no"),
  ])
  func missingValuesAreVisible(_ value: FactValue, _ expected: String) throws {
    #expect(try Self.render("safe: {caller_safe}", ["caller_safe": value]) == "safe: \(expected)")
  }

  @Test(arguments: [
    ("attackers", FactValue.count(low: 2, high: 2), "2"),
    ("attackers", .count(low: 2, high: 3), "2-3"),
    ("attackers", .count(low: 2, high: nil), "2 or more"),
    ("attackers", .count(low: 0, high: 0), "0"),
    ("weapon_type", .option("edged"), "Knife or other blade"),
    ("weapons", .options(["explosive", "firearm"]), "Gun, Explosive"),
    (
      "weapons", .options(["explosive", "edged", "firearm"]), "Gun, Knife or other blade, Explosive"
    ),
    ("weapons", .options([]), "none"),
    ("location", .text("12 Main St, 3rd floor"), "12 Main St, 3rd floor"),
    ("location", .text(""), ""),
    ("attack_active", .condition(true), "yes"),
    ("attack_active", .condition(false), "no"),
    ("incident_kind", .word("active_attack"), "active attack"),
    ("incident_kind", .unanswered, "not yet known"),
  ])
  func valuesRender(_ name: String, _ value: FactValue, _ expected: String) throws {
    #expect(try Self.render("{\(name)}", [name: value]) == expected)
  }

  @Test func labelsAreAskedWithTheirSlot() throws {
    let template = try TemplateCompiler.compile("{weapon_type} / {weapons}", symbols: F.symbols)
      .get()
    let facts = F.facts(["weapon_type": .option("blunt"), "weapons": .options(["edged"])])
    let text = template.render(facts, label: { "\($0):\($1)" }, age: { _ in nil })
    #expect(text == "1:blunt / 2:edged")
  }

  @Test func optionsOutsideTheQuestionComeLastInOrder() throws {
    let text = try Self.render("{weapons}", ["weapons": .options(["zz", "firearm", "aa"])])
    #expect(text == "Gun, aa, zz")
  }

  @Test(arguments: [
    (0.0, "0 s"), (0.9, "0 s"), (40.0, "40 s"), (59.99, "59 s"), (60.0, "1 min"),
    (119.0, "1 min"), (180.0, "3 min"), (3_600.0, "60 min"), (-5.0, "0 s"), (Double.nan, "0 s"),
  ])
  func ages(_ seconds: Double, _ expected: String) throws {
    let text = try Self.render("{attacker_location.age}", ages: [10: seconds])
    #expect(text == expected)
  }

  @Test func ageOfAnUnansweredFactIsVisible() throws {
    #expect(try Self.render("{attacker_location.age}") == "not yet known")
    let huge = try Self.render("{attacker_location.age}", ages: [10: .infinity])
    #expect(huge.hasSuffix(" min"))
  }

  @Test func relayFromTheDocument() throws {
    let text = try Self.render(
      "Attacker last seen {attacker_location} {attacker_location.age} ago, heading {location}",
      ["attacker_location": .text("east stairwell"), "location": .unknown], ages: [10: 40])
    #expect(text == "Attacker last seen east stairwell 40 s ago, heading unknown")
  }

  @Test(arguments: [
    ("{{literal}}", "{literal}"),
    ("a {{ b }} c", "a { b } c"),
    ("{{{attackers}}}", "{2}"),
    ("}}{{", "}{"),
    ("{ attackers }", "2"),
    ("", ""),
    ("no holes", "no holes"),
    ("ünïcödé 🚨 {attackers}", "ünïcödé 🚨 2"),
  ])
  func braces(_ text: String, _ expected: String) throws {
    #expect(try Self.render(text, ["attackers": .count(low: 2, high: 2)]) == expected)
  }

  @Test func dependenciesAreTheNamedSlots() throws {
    let template = try TemplateCompiler.compile(
      "{victims} {location.age} {caller_safe} {victims}", symbols: F.symbols
    ).get()
    #expect(template.dependencies == [0, 4, 9])
    #expect(try TemplateCompiler.compile("plain", symbols: F.symbols).get().dependencies == [])
  }

  struct IssueCase: Sendable, CustomStringConvertible {
    var text: String
    var offset: Int
    var length: Int
    var message: String
    var description: String { text }
  }

  @Test(arguments: [
    IssueCase(
      text: "seen at {attacker_locaton}", offset: 9, length: 16,
      message: "unknown name 'attacker_locaton'; did you mean 'attacker_location'?"),
    IssueCase(text: "{zebra}", offset: 1, length: 5, message: "unknown name 'zebra'"),
    IssueCase(
      text: "seen at {location", offset: 8, length: 1,
      message: "unclosed '{'; write '{{' for a literal brace"),
    IssueCase(
      text: "a {b {location}", offset: 2, length: 1,
      message: "unclosed '{'; write '{{' for a literal brace"),
    IssueCase(
      text: "a } b", offset: 2, length: 1, message: "stray '}'; write '}}' for a literal brace"),
    IssueCase(
      text: "x {} y", offset: 2, length: 2,
      message: "empty '{}'; write a fact name inside, or '{{}}' for literal braces"),
    IssueCase(
      text: "{location.when}", offset: 10, length: 4,
      message: "unknown property 'when' in '{location.when}'; only '.age' and '.time' are available"
    ),
    IssueCase(
      text: "{location.age.x}", offset: 10, length: 5,
      message:
        "unknown property 'age.x' in '{location.age.x}'; only '.age' and '.time' are available"),
    IssueCase(
      text: "{Location}", offset: 1, length: 8,
      message: "'{Location}' is not a fact name; write '{name}' or '{name.age}'"),
    IssueCase(
      text: "{a b}", offset: 1, length: 3,
      message: "'{a b}' is not a fact name; write '{name}' or '{name.age}'"),
    IssueCase(
      text: "🚨 {zebra}", offset: 3, length: 5, message: "unknown name 'zebra'"),
  ])
  func templateIssues(_ test: IssueCase) throws {
    let issues = Self.issues(test.text)
    let issue = try #require(issues.first)
    #expect(issues.count == 1)
    #expect(issue.kind == .template)
    #expect(issue.offset == test.offset)
    #expect(issue.length == test.length)
    #expect(issue.text == test.message)
  }

  @Test func everyTemplateIssueIsReported() {
    let issues = Self.issues("{zebra} } {location.x} {")
    #expect(issues.map(\.offset) == [1, 8, 20, 23])
    #expect(issues.allSatisfy { $0.kind == .template && $0.code == .template })
  }
}
