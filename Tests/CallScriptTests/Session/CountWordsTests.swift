import Testing

@testable import CallScript

@Suite("Counts in words, as callers say them")
struct CountWordsTests {
  static let cases: [(String, FactValue)] = [
    ("twenty", .count(low: 20, high: 20)),
    ("twenty-five", .count(low: 25, high: 25)),
    ("twenty five", .count(low: 25, high: 25)),
    ("two or three", .count(low: 2, high: 3)),
    ("a dozen", .count(low: 12, high: 12)),
    ("a couple", .count(low: 2, high: 2)),
    ("about 30", .count(low: 24, high: 36)),
    ("about five", .count(low: 4, high: 6)),
    ("maybe 2", .count(low: 1, high: 3)),
    ("over 20", .count(low: 21, high: nil)),
    ("more than ten", .count(low: 11, high: nil)),
    ("at least 3", .count(low: 3, high: nil)),
    ("a hundred and five", .count(low: 105, high: 105)),
    ("dozens", .count(low: 24, high: nil)),
    ("hundreds", .count(low: 200, high: nil)),
    ("veinte", .count(low: 20, high: 20)),
    ("treinta y dos", .count(low: 32, high: 32)),
    ("dos o tres", .count(low: 2, high: 3)),
    ("unos diez", .count(low: 8, high: 12)),
    ("una docena", .count(low: 12, high: 12)),
    ("más de cinco", .count(low: 6, high: nil)),
    ("veinticinco", .count(low: 25, high: 25)),
    ("none", .count(low: 0, high: 0)),
    ("several", .count(low: 2, high: nil)),
  ]

  @Test("words, ranges and estimates", arguments: cases)
  func words(text: String, expected: FactValue) throws {
    let question = try #require(Self.countQuestion())
    #expect(try AnswerParser.parse(text, for: question).get() == expected)
  }

  @Test(
    "what is not a count is still refused",
    arguments: [
      "lots", "two or", "or three", "many people maybe", "twenty apples", "a", "three or two",
    ])
  func notCounts(text: String) throws {
    let question = try #require(Self.countQuestion())
    #expect(throws: SessionError.self) { try AnswerParser.parse(text, for: question).get() }
  }

  static func countQuestion() -> Question? {
    guard let builtIn = BuiltInProtocol.compile().protocolValue else { return nil }
    return builtIn.question(id: "attacker_count")
  }
}

@Suite("Several options typed as their labels")
struct ManyOfLabelTests {
  @Test(
    "labels of several words between commas, keys, ids",
    arguments: [
      ("Knife or blade, Handgun", ["blade", "handgun"]),
      ("knife or blade", ["blade"]),
      ("Cuchillo u otra arma blanca, Pistola", ["blade", "handgun"]),
      ("handgun long_gun", ["handgun", "long_gun"]),
      ("Rifle; Knife or blade", ["blade", "long_gun"]),
    ])
  func labels(text: String, expected: [String]) throws {
    let builtIn = try #require(BuiltInProtocol.compile().protocolValue)
    let weapons = try #require(builtIn.question(id: "weapons"))
    #expect(try AnswerParser.parse(text, for: weapons).get() == .options(Set(expected)))
  }

  @Test("a word that is no option is still refused")
  func refused() throws {
    let builtIn = try #require(BuiltInProtocol.compile().protocolValue)
    let weapons = try #require(builtIn.question(id: "weapons"))
    #expect(throws: SessionError.self) {
      try AnswerParser.parse("Knife or spoon", for: weapons).get()
    }
  }
}
