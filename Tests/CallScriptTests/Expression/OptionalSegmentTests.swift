import CallScript
import Testing

@Suite("Optional template segments")
struct OptionalSegmentTests {
  typealias T = ExpressionTemplateTests

  @Test(arguments: [
    ([String: FactValue](), "Attacker at 2nd floor"),
    (["attackers": .unknown], "Attacker at 2nd floor"),
    (["attackers": .refused], "Attacker at 2nd floor"),
    (["attackers": .count(low: 2, high: 3)], "Attacker at 2nd floor, count 2-3"),
  ])
  func segmentLeftOutUnlessKnown(_ values: [String: FactValue], _ expected: String) throws {
    var facts = values
    facts["attacker_location"] = .text("2nd floor")
    #expect(try T.render("Attacker at {attacker_location}[, count {attackers}]", facts) == expected)
  }

  @Test("a guard keeps a segment out until its condition holds")
  func guardedSegment() throws {
    let text = "Report[?attack_active: (ongoing)]"
    #expect(try T.render(text, ["attack_active": .condition(false)]) == "Report")
    #expect(try T.render(text, ["attack_active": .condition(true)]) == "Report (ongoing)")
  }

  @Test("a segment left out at the start leaves no separator behind")
  func noStraySeparator() throws {
    let text = "[Attackers: {attackers}][. Weapons: {weapons}]"
    #expect(try T.render(text, ["weapons": .options(["edged"])]) == "Weapons: Knife or other blade")
  }

  @Test("literal brackets are doubled")
  func literalBrackets() throws {
    #expect(try T.render("[[es]] {attackers}", ["attackers": .count(low: 1, high: 1)]) == "[es] 1")
  }

  @Test(arguments: [
    ("[no fact here]", "CS129"),
    ("[{attackers}", "CS116"),
    ("{attackers}]", "CS116"),
    ("[a [{attackers}]]", "CS116"),
    ("[?nothing:x {attackers}]", "CS116"),
    ("[?attack_active x]", "CS116"),
  ])
  func brokenSegments(_ text: String, _ code: String) {
    #expect(T.issues(text).map(\.code.rawValue).contains(code), "\(T.issues(text))")
  }

  @Test("the longest rendering counts every segment with typical lengths")
  func longestLength() throws {
    let template = try TemplateCompiler.compile(
      "At {location}[, {attackers} attackers]", symbols: ExpressionFixtures.symbols
    ).get()
    #expect(template.longestLength { _ in 10 } == "At , ".count + 10 + " attackers".count + 10)
  }
}
