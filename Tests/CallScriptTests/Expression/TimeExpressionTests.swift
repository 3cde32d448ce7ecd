import Foundation
import Testing

@testable import CallScript

/// Durations, `elapsed`, `age(q)` and `minutes(q)` in conditions: what compiles, and the
/// messages for what does not (issue 17, item 3).
@Suite("time in expressions")
struct TimeExpressionTests {
  /// The minimal protocol with the `count` relay's condition replaced by `when`.
  static func protocolText(when: String) throws -> String {
    try Fixtures.text("valid-minimal.yaml").replacingOccurrences(
      of: "    when: known(attackers)\n", with: "    when: \(when)\n")
  }

  static func errors(_ when: String) throws -> [String] {
    ProtocolCompiler.compile(text: try protocolText(when: when), file: "p.yaml")
      .diagnostics.filter { $0.severity == .error }.map(\.rendered)
  }

  @Test(
    "durations, elapsed, age(q) and minutes(q) compile",
    arguments: [
      "elapsed > 5m", "age(attackers) >= 90s", "age(location) < 2h and known(location)",
      "minutes(attackers) - age(attackers) <= 10m", "seconds(attackers) + elapsed > 1h",
      "elapsed - age(location) > 30s", "hours(attackers) > elapsed",
    ])
  func compiles(when: String) throws {
    #expect(try Self.errors(when) == [])
  }

  @Test("mixing durations and numbers, '=' on durations and misplaced clocks say the fix")
  func messages() throws {
    let cases: [(String, String)] = [
      ("age(attackers) > 60", "write a duration such as 60s or 60m"),
      (
        "elapsed > attackers",
        "read a count as a duration with minutes(attackers) or seconds(attackers)"
      ),
      ("elapsed - 5 > 1m", "write a duration such as 5s or 5m"),
      ("age(attackers) = 2m", "durations are compared with <, <=, > or >=, never '='"),
      ("elapsed = 2m", "durations are compared with <, <=, > or >=, never '='"),
      ("age(attack_reported) > 1m", "'attack_reported' is a derived fact"),
      ("minutes(location) > 1m", "'location' is a text answer"),
      (
        "attackers.age > 60s",
        "a condition reads how long ago 'attackers' was answered as age(attackers)"
      ),
      ("elapsed", "compare it, as in elapsed > 5m"),
      ("age(attackers)", "compare it, as in age(q) > 2m"),
      ("elapsed > 200h", "the longest is 168h"),
      ("5m + 30s > elapsed", "between two durations: write the duration it makes"),
    ]
    for (when, expected) in cases {
      let errors = try Self.errors(when)
      #expect(errors.count == 1, "\(when): \(errors)")
      #expect(errors.first?.contains(expected) == true, "\(when): \(errors)")
    }
  }

  @Test("a template cannot show the clock; a question cannot take its name")
  func clockIsReserved() throws {
    let template = try Fixtures.text("valid-minimal.yaml").replacingOccurrences(
      of: "reported {attackers.age} ago", with: "after {elapsed}")
    let errors = ProtocolCompiler.compile(text: template, file: "p.yaml").diagnostics.map(
      \.rendered)
    #expect(
      errors.contains { $0.contains("'elapsed' is the call clock, which text does not show") })
    let named = try Fixtures.text("valid-minimal.yaml").replacingOccurrences(
      of: "  - id: attackers\n", with: "  - id: elapsed\n")
    let clash = ProtocolCompiler.compile(text: named, file: "p.yaml").diagnostics.map(\.rendered)
    #expect(clash.contains { $0.contains("error[CS103]: 'elapsed' is the call clock") })
  }

  @Test("the moment a comparison turns, for each operator and both directions")
  func moments() throws {
    let callProtocol = try #require(
      ProtocolCompiler.compile(
        text: try Self.protocolText(when: "elapsed > 2m"), file: "p.yaml"
      ).protocolValue)
    let tables = callProtocol.tables
    let clock = try #require(tables.clockSlot)
    func wait(_ when: String, at now: Int) throws -> Int? {
      let compiled = try #require(
        ProtocolCompiler.compile(text: try Self.protocolText(when: when), file: "p.yaml")
          .protocolValue)
      let relay = compiled.relays.first { $0.id == "count" }!
      var values = Array(repeating: FactValue.unanswered, count: compiled.slotCount)
      values[try #require(compiled.tables.clockSlot)] = .count(low: now, high: now)
      _ = clock
      return relay.when.program.millisecondsToChange(values)
    }
    #expect(try wait("elapsed > 2m", at: 0) == 120_001)
    #expect(try wait("elapsed >= 2m", at: 0) == 120_000)
    #expect(try wait("elapsed < 2m", at: 0) == 120_000)
    #expect(try wait("elapsed <= 2m", at: 0) == 120_001)
    #expect(try wait("elapsed > 2m", at: 200_000) == nil)
    #expect(try wait("2m < elapsed", at: 119_000) == 1_001)
    #expect(try wait("2m - elapsed > 1m", at: 0) == 60_000)
    // age(q) of an unanswered question has no number: nothing turns.
    #expect(try wait("age(attackers) > 1m", at: 0) == nil)
  }
}
