import CallScript
import Testing

@Suite struct ExpressionIssueTests {
  typealias F = ExpressionFixtures

  /// An expression with exactly one issue, where it is and what it says.
  struct IssueCase: Sendable, CustomStringConvertible {
    var text: String
    var kind: ExpressionIssue.Kind
    var offset: Int
    var length: Int
    var message: String
    var description: String { text }

    init(
      _ text: String, _ kind: ExpressionIssue.Kind, _ offset: Int, _ length: Int,
      _ message: String
    ) {
      (self.text, self.kind, self.offset, self.length, self.message) =
        (text, kind, offset, length, message)
    }
  }

  static let syntaxCases: [IssueCase] = [
    IssueCase(
      "location contains school", .syntax, 18, 6,
      "expected quoted text after 'contains' but found 'school'; quote the words, as in "
        + "exact_words contains \"school\""),
    IssueCase("", .syntax, 0, 0, "the expression is empty"),
    IssueCase("  \n ", .syntax, 4, 0, "the expression is empty"),
    IssueCase(
      "caller_safe = ", .syntax, 14, 0, "expected a name, number or '(' after '='"),
    IssueCase(
      "caller_safe = yes and", .syntax, 21, 0, "expected a name, number or '(' after 'and'"),
    IssueCase(
      "and caller_safe = yes", .syntax, 0, 3, "expected a name, number or '(' but found 'and'"),
    IssueCase(
      "(attack_active", .syntax, 14, 0,
      "expected ')' to close '(' but found the end of the expression"),
    IssueCase(
      "(attack_active hidden)", .syntax, 15, 6, "expected 'and', 'or' or ')' but found 'hidden'"),
    IssueCase("attack_active)", .syntax, 13, 1, "unmatched ')'"),
    IssueCase("attack_active hidden", .syntax, 14, 6, "expected 'and' or 'or' before 'hidden'"),
    IssueCase("caller_safe == yes", .syntax, 12, 2, "use '=' to compare, not '=='"),
    IssueCase("!attack_active", .syntax, 0, 1, "use 'not' instead of '!'"),
    IssueCase("attack_active && hidden", .syntax, 14, 2, "use 'and' instead of '&'"),
    IssueCase("attack_active || hidden", .syntax, 14, 2, "use 'or' instead of '|'"),
    IssueCase("attackers <> 2", .syntax, 10, 2, "use '!=' instead of '<>'"),
    IssueCase(
      "1 < attackers < 5", .syntax, 14, 1, "comparisons cannot be chained; join them with 'and'"),
    IssueCase(
      "Caller_Safe = yes", .syntax, 0, 11,
      "names and keywords are lowercase; write 'caller_safe' instead of 'Caller_Safe'"),
    IssueCase(
      "attack_active AND hidden", .syntax, 14, 3,
      "names and keywords are lowercase; write 'and' instead of 'AND'"),
    IssueCase(
      "_hidden", .syntax, 0, 7, "'_hidden' is not a name; names start with a letter"),
    IssueCase(
      "attackers > 3rd", .syntax, 12, 3, "'3rd' is not a name; names start with a letter"),
    IssueCase(
      "attackers > 1000001", .syntax, 12, 7,
      "number '1000001' is too large; the largest is 1000000"),
    IssueCase(
      "attackers > 99999999999999999999999999", .syntax, 12, 26,
      "number '99999999999999999999999999' is too large; the largest is 1000000"),
    IssueCase(
      "location = \"main", .syntax, 11, 5, "unterminated text; add a closing '\"'"),
    IssueCase(
      "location = 'main'", .syntax, 11, 1,
      "unexpected character '''; put text in straight double quotes '\"'"),
    IssueCase(
      "location = \u{201C}main\u{201D}", .syntax, 11, 1,
      "unexpected character '\u{201C}'; put text in straight double quotes '\"'"),
    IssueCase("attackers > 2.5", .syntax, 13, 1, "unexpected character '.'"),
    IssueCase(
      "attackers > -1", .syntax, 12, 1,
      "expected a name, number or '(' but found '-'; numbers are written without a sign"),
    IssueCase("caller_safe\u{A0}= yes", .syntax, 11, 1, "unexpected character 'U+00A0'"),
    IssueCase("caller_safe =\u{200B} yes", .syntax, 13, 1, "unexpected character 'U+200B'"),
    IssueCase("attack_active\u{7}", .syntax, 13, 1, "unexpected character 'U+0007'"),
    IssueCase("attack_active\u{0}", .syntax, 13, 1, "unexpected character 'U+0000'"),
    IssueCase("🚨 = yes", .syntax, 0, 1, "unexpected character '🚨'"),
    // Offsets count Unicode scalars: the flag is two, the accent is combining.
    IssueCase("\"🇺🇸\" = location and e\u{301}", .syntax, 21, 1, "unexpected character 'U+0301'"),
    IssueCase("known location", .syntax, 6, 8, "expected '(' after 'known' but found 'location'"),
    IssueCase(
      "known()", .syntax, 6, 1, "expected a name inside 'known(...)' but found ')'"),
    IssueCase(
      "known(caller_safe", .syntax, 17, 0,
      "expected ')' after 'known(caller_safe' but found the end of the expression"),
    IssueCase(
      "weapon_type in firearm", .syntax, 15, 7, "expected '(' after 'in' but found 'firearm'"),
    IssueCase(
      "weapon_type in (firearm edged)", .syntax, 24, 5,
      "expected ',' or ')' but found 'edged'"),
    IssueCase(
      "weapon_type in ()", .syntax, 16, 1, "expected an option name but found ')'"),
    IssueCase(
      "weapons has (firearm)", .syntax, 12, 1, "expected an option after 'has' but found '('"),
  ]

  static let typeCases: [IssueCase] = [
    IssueCase(
      "caller_safe", .type, 0, 11,
      "'caller_safe' is a yes/no answer; compare it, as in caller_safe = yes"),
    IssueCase(
      "attack_active and weapon_type", .type, 18, 11,
      "'weapon_type' is a one-of answer; compare it, as in weapon_type = firearm"),
    IssueCase(
      "weapons", .type, 0, 7, "'weapons' is a many-of answer; test it, as in weapons has firearm"),
    IssueCase("attackers", .type, 0, 9, "'attackers' is a count; compare it, as in attackers > 0"),
    IssueCase(
      "location", .type, 0, 8, "'location' is a text answer; test it, as in known(location)"),
    IssueCase(
      "incident_kind", .type, 0, 13,
      "'incident_kind' is a fact with values; compare it, as in incident_kind = hostage"),
    IssueCase("3", .type, 0, 1, "'3' is a number, not a condition"),
    IssueCase("\"x\"", .type, 0, 3, "text is not a condition"),
    IssueCase(
      "count(weapons)", .type, 0, 14,
      "'count(weapons)' is a number, not a condition; compare it, as in count(weapons) > 0"),
    IssueCase(
      "yes", .type, 0, 3, "'yes' is a value, not a condition; compare a question with it"),
    IssueCase(
      "yes = caller_safe", .type, 0, 3,
      "'yes' is a value, not a name; write the question first, as in q = yes"),
    IssueCase(
      "caller_safe = 1", .type, 14, 1,
      "cannot compare yes/no answer 'caller_safe' with a number; compare it with yes or no"),
    IssueCase(
      "caller_safe = true", .type, 14, 4,
      "cannot compare yes/no answer 'caller_safe' with 'true'; compare it with yes or no"),
    IssueCase(
      "caller_safe = maybe", .type, 14, 5,
      "'caller_safe' is a yes/no answer; compare it with yes or no, not 'maybe'"),
    IssueCase(
      "caller_safe = attackers", .type, 14, 9,
      "cannot compare yes/no answer 'caller_safe' with count 'attackers'; "
        + "compare it with yes or no"),
    IssueCase(
      "attackers = \"two\"", .type, 12, 5, "'=' compares counts and numbers, not text"),
    IssueCase(
      "attackers > location", .type, 12, 8,
      "'>' compares counts and numbers; 'location' is a text answer"),
    IssueCase(
      "caller_safe > 1", .type, 0, 11,
      "'>' compares counts and numbers; 'caller_safe' is a yes/no answer"),
    IssueCase("attackers >= yes", .type, 13, 3, "'>=' compares counts and numbers, not 'yes'"),
    IssueCase(
      "attackers < (attack_active)", .type, 12, 15,
      "'<' compares counts and numbers, not conditions"),
    IssueCase(
      "location = 3", .type, 11, 1,
      "cannot compare text answer 'location' with a number; compare it with \"quoted text\""),
    IssueCase(
      "location = attackers", .type, 11, 9,
      "cannot compare text answer 'location' with count 'attackers'; "
        + "compare it with \"quoted text\""),
    IssueCase(
      "weapon_type = 2", .type, 14, 1,
      "cannot compare one-of answer 'weapon_type' with a number; "
        + "compare it with one of its options"),
    IssueCase(
      "incident_kind = \"bomb\"", .type, 16, 6,
      "cannot compare fact 'incident_kind' with text; compare it with one of its values"),
    IssueCase(
      "weapons = firearm", .type, 10, 7,
      "cannot compare many-of answer 'weapons' with 'firearm'; "
        + "test an option with 'has', as in weapons has firearm"),
    IssueCase(
      "weapons = caller_safe", .type, 10, 11,
      "cannot compare many-of answer 'weapons' with yes/no answer 'caller_safe'; "
        + "test an option with 'has', as in weapons has firearm"),
    IssueCase(
      "attack_active = yes", .type, 16, 3,
      "cannot compare condition 'attack_active' with 'yes'; "
        + "use it on its own, as in attack_active or not attack_active"),
    IssueCase(
      "location = main", .type, 11, 4,
      "cannot compare text answer 'location' with 'main'; compare it with \"quoted text\""),
    IssueCase(
      "location = attacker_locaton", .undefined, 11, 16,
      "unknown name 'attacker_locaton'; did you mean 'attacker_location'?"),
    IssueCase(
      "caller_safe = can_leav", .undefined, 14, 8,
      "unknown name 'can_leav'; did you mean 'can_leave'?"),
    IssueCase(
      "attack_active = caller_safe", .type, 16, 11,
      "cannot compare condition 'attack_active' with yes/no answer 'caller_safe'; "
        + "use it on its own, as in attack_active or not attack_active"),
    IssueCase(
      "(attack_active) = true", .type, 0, 15,
      "'=' compares an answer with a value; combine conditions with 'and', 'or' and 'not'"),
    IssueCase(
      "\"a\" = \"b\"", .type, 0, 3, "text can only be compared with a text answer"),
    IssueCase(
      "weapon_type has firearm", .type, 0, 11,
      "'has' needs a many-of answer; 'weapon_type' is a one-of answer, "
        + "use weapon_type = firearm or weapon_type in (firearm, ...)"),
    IssueCase(
      "attackers has firearm", .type, 0, 9, "'has' needs a many-of answer; 'attackers' is a count"),
    IssueCase(
      "3 has firearm", .type, 2, 3, "'has' needs a many-of answer on its left"),
    IssueCase(
      "location - 1 > 2", .type, 0, 8,
      "'-' subtracts counts and numbers; 'location' is a text answer"),
    IssueCase(
      "attackers + weapons > 2", .type, 12, 7,
      "'+' adds counts and numbers; 'weapons' is a many-of answer"),
    IssueCase(
      "attackers + \"2\" > 2", .type, 12, 3, "'+' adds counts and numbers, not text"),
    IssueCase(
      "attackers = 2 - 3", .type, 12, 5,
      "'-' between two numbers: write the number it makes; a range of a count is written "
        + "'q >= 2 and q <= 3'"),
    IssueCase(
      "attackers - 1", .type, 0, 13,
      "a sum or difference is a number, not a condition; compare it"),
    IssueCase(
      "caller_safe = attackers + 1", .type, 14, 13,
      "cannot compare yes/no answer 'caller_safe' with a number; compare it with yes or no"),
    IssueCase(
      "weapons contains \"gun\"", .type, 0, 7,
      "'contains' needs a text or location answer; 'weapons' is a many-of answer, use 'has'"),
    IssueCase(
      "weapon_type contains \"gun\"", .type, 0, 11,
      "'contains' needs a text or location answer; 'weapon_type' is a one-of answer, use '=' "
        + "or 'in'"),
    IssueCase(
      "attackers contains \"2\"", .type, 0, 9,
      "'contains' needs a text or location answer; 'attackers' is a count"),
    IssueCase(
      "3 contains \"3\"", .type, 2, 8,
      "'contains' needs a text answer on its left; write it as in exact_words contains "
        + "\"school\""),
    IssueCase(
      "location contains \" \"", .type, 18, 3,
      "'contains' needs words to look for; empty text is contained in every answer"),
    IssueCase(
      "weapons in (firearm)", .type, 0, 7,
      "'in' needs a one-of answer or a fact with values; 'weapons' is a many-of answer, use 'has'"),
    IssueCase(
      "caller_safe in (yes, no)", .type, 0, 11,
      "'in' needs a one-of answer or a fact with values; 'caller_safe' is a yes/no answer"),
    IssueCase(
      "count(attackers) > 1", .type, 6, 9,
      "'count(...)' counts the options chosen in a many-of answer; 'attackers' is a count, "
        + "compare it directly, as in attackers > 1"),
    IssueCase(
      "count(location) > 1", .type, 6, 8,
      "'count(...)' counts the options chosen in a many-of answer; 'location' is a text answer"),
    IssueCase(
      "unknown(attack_active)", .type, 8, 13,
      "'unknown(...)' applies to questions; 'attack_active' is a derived fact, "
        + "use 'known(attack_active)'"),
    IssueCase(
      "answered(incident_kind)", .type, 9, 13,
      "'answered(...)' applies to questions; 'incident_kind' is a derived fact, "
        + "use 'known(incident_kind)'"),
  ]

  static let nameCases: [IssueCase] = [
    IssueCase(
      "weapon_typ = firearm", .undefined, 0, 10,
      "unknown name 'weapon_typ'; did you mean 'weapon_type'?"),
    IssueCase(
      "attack_actve", .undefined, 0, 12,
      "unknown name 'attack_actve'; did you mean 'attack_active'?"),
    IssueCase(
      "known(locaiton)", .undefined, 6, 8, "unknown name 'locaiton'; did you mean 'location'?"),
    IssueCase(
      "attackers < victim", .undefined, 12, 6, "unknown name 'victim'; did you mean 'victims'?"),
    IssueCase("zebra = yes", .undefined, 0, 5, "unknown name 'zebra'"),
    IssueCase(
      "count(weapon) > 1", .undefined, 6, 6, "unknown name 'weapon'; did you mean 'weapons'?"),
    IssueCase(
      "weapon_type = firarm", .badOption, 14, 6,
      "question 'weapon_type' has no option 'firarm'; did you mean 'firearm'?"),
    IssueCase(
      "weapon_type = rifle", .badOption, 14, 5, "question 'weapon_type' has no option 'rifle'"),
    IssueCase(
      "weapon_type = location", .badOption, 14, 8,
      "question 'weapon_type' has no option 'location'"),
    IssueCase(
      "weapon_type != explosive", .badOption, 15, 9,
      "question 'weapon_type' has no option 'explosive'"),
    IssueCase(
      "weapons has bomb", .badOption, 12, 4, "question 'weapons' has no option 'bomb'"),
    IssueCase(
      "suspect_status in (custody, dwon)", .badOption, 28, 4,
      "question 'suspect_status' has no option 'dwon'; did you mean 'down'?"),
    IssueCase(
      "suspect_status in (custody, dead)", .badOption, 28, 4,
      "question 'suspect_status' has no option 'dead'"),
    IssueCase(
      "incident_kind = bombs", .badOption, 16, 5,
      "fact 'incident_kind' has no value 'bombs'; did you mean 'bomb'?"),
    IssueCase(
      "incident_kind in (hostage, robbery)", .badOption, 27, 7,
      "fact 'incident_kind' has no value 'robbery'"),
  ]

  @Test(arguments: syntaxCases + typeCases + nameCases)
  func issueKindPositionAndMessage(_ test: IssueCase) throws {
    let issues = F.issues(test.text)
    let issue = try #require(issues.first)
    #expect(issues.count == 1)
    #expect(issue.kind == test.kind)
    #expect(issue.offset == test.offset)
    #expect(issue.length == test.length)
    #expect(issue.text == test.message)
  }

  @Test(arguments: syntaxCases + typeCases + nameCases)
  func messagesFollowTheHouseStyle(_ test: IssueCase) {
    for issue in F.issues(test.text) {
      #expect(issue.message.first?.isUppercase != true)
      #expect(!issue.text.hasSuffix("."))
      #expect(!issue.message.isEmpty)
      #expect(!issue.message.contains("; "), "the fix goes in the suggestion: \(issue.message)")
      #expect(issue.suggestion?.isEmpty != true)
    }
  }

  @Test func everyTypeAndNameIssueIsReported() {
    let text = "caller_safe and weapon_typ = firearm or weapons has bomb and attackers = \"2\""
    let issues = F.issues(text)
    #expect(issues.map(\.kind) == [.type, .undefined, .badOption, .type])
    #expect(issues.map(\.offset) == [0, 16, 52, 73])
  }

  @Test func issuesBeforeASyntaxErrorAreKept() {
    let issues = F.issues("zebra = yes and (")
    #expect(issues.map(\.kind) == [.undefined, .syntax])
  }

  @Test func codesMatchTheDocument() {
    #expect(ExpressionIssue.Kind.syntax.code.rawValue == "CS109")
    #expect(ExpressionIssue.Kind.type.code.rawValue == "CS110")
    #expect(ExpressionIssue.Kind.undefined.code.rawValue == "CS104")
    #expect(ExpressionIssue.Kind.badOption.code.rawValue == "CS111")
    #expect(ExpressionIssue.Kind.template.code.rawValue == "CS116")
    #expect(ExpressionIssue.Kind.optionalSegment.code.rawValue == "CS129")
    let issue = ExpressionIssue(kind: .type, message: "m", offset: 1, length: 2)
    #expect(issue.code == .expressionType)
  }
}

@Suite struct ExpressionSuggestionTests {
  @Test(arguments: [
    ("weapon_typ", "weapon_type"),
    ("waepon_type", "weapon_type"),
    ("weapon_tpye", "weapon_type"),
    ("weapontype", "weapon_type"),
    ("weapon_types", "weapon_type"),
    ("locat", "location"),
    ("weap", "weapons"),
    ("caller", "caller_safe"),
    ("wepons", "weapons"),
  ])
  func suggestsTheClosestName(_ typed: String, _ expected: String) {
    let names = ["caller_safe", "weapon_type", "weapons", "location", "attackers"]
    #expect(NameSuggestion.closest(to: typed, among: names) == expected)
  }

  @Test(arguments: ["zebra", "ab", "x", "", "type_of_weapon"])
  func suggestsNothingWhenNothingIsClose(_ typed: String) {
    let names = ["caller_safe", "weapon_type", "location", "cd", "y"]
    #expect(NameSuggestion.closest(to: typed, among: names) == nil)
  }

  @Test func prefersTheSmallestEditThenTheAlphabet() {
    #expect(NameSuggestion.closest(to: "weapon", among: ["weapon_type", "weapons"]) == "weapons")
    #expect(NameSuggestion.closest(to: "cat", among: ["cot", "bat", "car"]) == "bat")
    #expect(NameSuggestion.closest(to: "same", among: ["same"]) == nil)
  }

  @Test func longNamesStayCheap() {
    let long = String(repeating: "a", count: 4_000)
    let names = (0..<5_000).map { "question_\($0)" }
    #expect(NameSuggestion.closest(to: long, among: names) == nil)
  }
}
