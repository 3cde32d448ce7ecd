import Foundation
import Testing

@testable import CallScript

/// The protocol's `review:` section: compiled and linted like the rest, and the review scoring
/// each protocol by the facts it declares.
@Suite("Review facts declared by the protocol")
struct DeclaredFactsTests {
  typealias F = ReviewFixtures

  /// The minimal test protocol with `section` appended (lines 61 and on).
  static func minimal(_ section: String) throws -> String {
    try Fixtures.text("valid-minimal.yaml") + section
  }

  static let section = """
    review:
      facts:
        - id: attacker_count
          severity: critical
          questions: [attackers]
          relay: count
          within: 30s
        - id: place
          label: where it happens
          severity: major
          questions: [location]

    """

  static func compiled(_ text: String) throws -> CallProtocol {
    let result = ProtocolCompiler.compile(text: text, file: "p.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    return try #require(result.protocolValue)
  }

  static func rendered(_ section: String) throws -> [String] {
    ProtocolCompiler.compile(text: try minimal(section), file: "p.yaml").diagnostics.map(
      \.rendered)
  }

  @Test("the section compiles into facts with slots, severities, titles, relay and target")
  func compiles() throws {
    let compiled = try Self.compiled(try Self.minimal(Self.section))
    #expect(compiled.reviewFacts.map(\.id) == ["attacker_count", "place"])
    #expect(compiled.reviewFacts.map(\.title) == ["attacker count", "where it happens"])
    #expect(compiled.reviewFacts.map(\.severity) == [.critical, .major])
    #expect(compiled.reviewFacts.map(\.questions) == [[2], [0]])
    #expect(compiled.reviewFacts.map(\.relay) == [0, nil])
    #expect(compiled.reviewFacts.map(\.within) == [30, nil])
    #expect(try Self.compiled(try Self.minimal("")).reviewFacts.isEmpty)
  }

  @Test("unknown names get a did-you-mean at their exact position")
  func unknownNames() throws {
    #expect(
      try Self.rendered(
        """
        review:
          facts:
            - id: count
              severity: critcal
              questions: [atackers, attack_reported]
              relay: cont
              within: soon
              lable: Count

        """) == [
          "p.yaml:64:17: error[CS140]: 'critcal' is not a severity of review fact 'count': use "
            + "'critical', 'major', 'minor'; did you mean 'critical'?",
          "p.yaml:65:19: error[CS104]: unknown question 'atackers' in 'questions' of review fact "
            + "'count'; did you mean 'attackers'?",
          "p.yaml:65:29: error[CS104]: 'attack_reported' in 'questions' of review fact 'count' is "
            + "a derived fact; name the questions whose answers establish it",
          "p.yaml:66:14: error[CS104]: unknown relay 'cont' in 'relay' of review fact 'count'; "
            + "did you mean 'count'?",
          "p.yaml:67:15: error[CS124]: 'soon' is not a duration such as '30s', '2m' or '0s'",
          "p.yaml:68:7: error[CS101]: unknown key 'lable' in review fact 'count'; did you mean "
            + "'label'?",
        ])
  }

  @Test("duplicates, an empty list, a target without a relay, a missing key")
  func shapes() throws {
    #expect(
      try Self.rendered(
        """
        review:
          facts:
            - id: count
              severity: minor
              questions: [attackers, attackers]
            - id: count
              severity: minor
              questions: [location]
            - id: place
              severity: minor
              questions: []
              within: 10s
            - id: where
              questions: [location]

        """) == [
          "p.yaml:65:30: error[CS103]: question 'attackers' listed twice in 'questions' of "
            + "review fact 'count'",
          "p.yaml:66:11: error[CS103]: duplicate review fact id 'count'; first defined at line 63",
          "p.yaml:71:7: error[CS102]: 'questions' of review fact 'place' must name at least one "
            + "question",
          "p.yaml:72:7: error[CS102]: 'within' of review fact 'place' needs 'relay': the relay "
            + "that must carry the fact that fast",
          "p.yaml:73:7: error[CS102]: review fact 'where' is missing required key 'severity'",
        ])
    #expect(
      try Self.rendered("review:\n  fact: []\n") == [
        "p.yaml:62:3: error[CS101]: unknown key 'fact' in 'review'; did you mean 'facts'?",
        "p.yaml:62:3: error[CS102]: 'review' is missing required key 'facts'",
      ])
  }

  /// Location, then what is happening: the attacker count was volunteered first, at 10 s, and
  /// units hear it only with the first dispatch at 50 s.
  static let lateCall: [(Double, SessionEvent)] = [
    (5, F.option("attack", "shooting")),
    (10, F.answer("attackers", .count(low: 2, high: 2))),
    (50, F.text("location", "1 Main Street")),
    (60, .end),
  ]

  static func review(
    _ events: [(Double, SessionEvent)], on callProtocol: CallProtocol
  ) throws -> CallReview {
    let data = F.transcript(events, on: callProtocol, hash: String(repeating: "0", count: 64))
    let plan = ReviewPlan(callProtocol)
    return try CallReviewer.review(data, file: "test-call.jsonl") { _ in plan }.get()
  }

  @Test("a fact its relay carries later than 'within' is a miss one step lighter")
  func late() throws {
    let compiled = try Self.compiled(try Self.minimal(Self.section))
    let review = try Self.review(Self.lateCall, on: compiled)
    let count = try #require(review.timing("attacker_count"))
    #expect(count.knownAt == 10 && count.relayAt == 50 && count.relay == "count")
    #expect(count.relayAnswerAt == 10 && count.relayLatency == 40 && count.late)
    let place = try #require(review.timing("place"))
    #expect(place.knownAt == 50 && place.outAt == 50 && !place.late)
    let miss = try #require(review.compliance.misses.first { $0.kind == .factLate })
    #expect(miss.severity == .major && miss.subject == "attacker_count" && miss.at == 50)
    #expect(miss.wait == 40)
    #expect(
      miss.detail
        == "attacker count went out in relay 'count' at 0:50, 40 s after the answer it carried; "
        + "the target is 30 s")
    let text = ReviewTextReport.call(review)
    #expect(text.contains("LATE: relay 40 s after the answer, target 30 s"))
    // Within the target: no miss.
    let relaxed = try Self.compiled(
      try Self.minimal(Self.section.replacingOccurrences(of: "within: 30s", with: "within: 40s")))
    let onTime = try Self.review(Self.lateCall, on: relaxed)
    #expect(onTime.timing("attacker_count")?.late == false)
    #expect(!onTime.compliance.misses.contains { $0.kind == .factLate })
    var summary = ReviewSummary()
    summary.add(review)
    summary.add(onTime)
    #expect(summary.factsLate == ["attacker_count": 1])
    #expect(summary.factIDs == ["attacker_count", "place"])
  }

  @Test("when a fact names its relay, only that relay counts as carrying it")
  func onlyItsRelay() throws {
    // Another relay, earlier in the file, reads the count too and goes out at the same step.
    let text = try Self.minimal(Self.section).replacingOccurrences(
      of: "relays:\n",
      with:
        "relays:\n  - id: numbers\n    when: known(attackers)\n    text: \"Count {attackers}\"\n")
    let named = try Self.review(Self.lateCall, on: try Self.compiled(text))
    #expect(named.timing("attacker_count")?.relay == "count")
    let any = try Self.review(
      Self.lateCall,
      on: try Self.compiled(
        text.replacingOccurrences(of: "      relay: count\n      within: 30s\n", with: "")))
    #expect(any.timing("attacker_count")?.relay == "numbers")
  }

  @Test("the target counts from the answer the relay carried, not the first answer")
  func lateFromTheAnswerCarried() throws {
    // The count is known (1, not sent: the relay's condition is 'known', so say it goes out
    // only for more than one) at 10 s; corrected to 3 at 80 s, when the relay goes out.
    let text = try Self.minimal(Self.section).replacingOccurrences(
      of: "    when: known(attackers)\n", with: "    when: attackers > 1\n")
    let compiled = try Self.compiled(text)
    let review = try Self.review(
      [
        (5, F.text("location", "1 Main Street")),
        (8, F.option("attack", "shooting")),
        (10, F.answer("attackers", .count(low: 1, high: 1))),
        (80, F.answer("attackers", .count(low: 3, high: 3))),
        (90, .end),
      ], on: compiled)
    let count = try #require(review.timing("attacker_count"))
    #expect(count.knownAt == 10 && count.recordAt == 10 && count.relayAt == 80)
    #expect(count.relayLatency == 0 && !count.late)
  }

  @Test("each fact's severity weighs its miss when it never goes out")
  func severity() throws {
    let compiled = try Self.compiled(try Self.minimal(Self.section))
    // No location: no dispatch, so nothing goes out.
    let review = try Self.review(
      [
        (5, F.option("attack", "shooting")),
        (10, F.answer("attackers", .count(low: 2, high: 2))),
        (20, .end),
      ], on: compiled)
    #expect(review.compliance.misses.map(\.kind) == [.factNotRelayed])
    #expect(review.compliance.misses.map(\.severity) == [.critical])
    let minor = try Self.compiled(
      try Self.minimal(Self.section.replacingOccurrences(of: "critical", with: "minor")))
    let lighter = try Self.review(
      [
        (5, F.option("attack", "shooting")),
        (10, F.answer("attackers", .count(low: 2, high: 2))),
        (20, .end),
      ], on: minor)
    #expect(lighter.compliance.misses.map(\.severity) == [.minor])
    #expect(lighter.compliance.score == 96)
  }

  @Test("a protocol that declares no facts: generic metrics only, and says so")
  func noneDeclared() throws {
    let compiled = try Self.compiled(try Self.minimal(""))
    let review = try Self.review(Self.lateCall, on: compiled)
    #expect(review.facts.isEmpty && review.airings.isEmpty)
    #expect(review.dispatch?.at == 50)
    #expect(!review.compliance.misses.contains { $0.kind == .factNotRelayed })
    let text = ReviewTextReport.call(review)
    #expect(
      text.contains(
        "facts: none declared by tiny-attack 1.0.0 (no 'review' section): generic metrics only"))
    #expect(!text.contains("fact               known"))
    var summary = ReviewSummary()
    summary.add(review)
    #expect(summary.noFactsDeclared == 1)
    let report = ReviewTextReport.summary(summary, skipped: [])
    #expect(
      report.contains(
        "calls whose protocol declares no facts for review (generic metrics only): 1"))
    #expect(!report.contains("latency:"))
    let html = ReviewHTMLReport.render([review], summary: summary, skipped: [])
    #expect(html.contains("No facts declared for review by tiny-attack 1.0.0"))
    let json = ReviewJSONReport.render([review], summary: summary, skipped: [])
    let document = try #require(JSONValue.parse(Data(json.utf8)))
    #expect(document["calls"]?.array?.first?["facts"]?.array?.isEmpty == true)
    #expect(document["summary"]?["no_facts_declared"]?.number == 1)
  }

  @Test("a bomb-threat call is scored on the bomb-threat protocol's own facts")
  func bombThreat() throws {
    let folder = Fixtures.repository.appendingPathComponent("transcripts")
    let data = try Data(
      contentsOf: folder.appendingPathComponent("bomb-02-backpack-at-school.jsonl"))
    let compiled = try #require(Fixtures.compileShipped("protocols/bomb-threat.yaml").protocolValue)
    let plan = ReviewPlan(compiled)
    let review = try CallReviewer.review(data, file: "bomb-02-backpack-at-school.jsonl") { _ in
      plan
    }.get()
    #expect(
      review.facts.map(\.fact.id) == [
        "location", "report_kind", "device_location", "detonation_time", "people_hurt",
        "threatened_place", "people_moving_away", "other_items", "exact_words",
        "possible_suspect",
      ])
    #expect(review.timing("attacker_location") == nil)
    let device = try #require(review.timing("device_location"))
    #expect(device.source == "item_where" && device.relay == "item_report" && !device.late)
    #expect(device.knownAt == 40 && device.outAt == 40)
    #expect(review.timing("detonation_time")?.knownAt == nil)
    let text = ReviewTextReport.call(review)
    #expect(text.contains("device location    0:40    0:40    0 s      record, relay item_report"))
    #expect(!text.contains("attacker location"))
  }

  // MARK: - Calls taken on an archived version without a `review` section

  /// The minimal protocol as an archived version would be: no `review` section, and `count`
  /// renamed when `renamed` (a relay the later version names that this one lacks).
  static func archived(renamed: Bool = false) throws -> CallProtocol {
    var text = try Fixtures.text("valid-minimal.yaml")
    if renamed {
      text = text.replacingOccurrences(of: "  - id: count\n", with: "  - id: numbers\n")
    }
    return try Self.compiled(text)
  }

  /// A later version, 1.1.0, declaring the two facts of ``section``.
  static func later(id: String = "tiny-attack", version: String = "1.1.0") throws -> CallProtocol {
    try Self.compiled(
      try Self.minimal(Self.section).replacingOccurrences(
        of: "version: 1.0.0", with: "version: \(version)"
      )
      .replacingOccurrences(of: "id: tiny-attack", with: "id: \(id)"))
  }

  @Test("a call on a version without facts is scored on a later version's facts, and says so")
  func borrowedFromLaterVersion() throws {
    let archived = try Self.archived()
    #expect(archived.reviewFacts.isEmpty)
    let plan = ReviewPlan(archived, laterVersion: try Self.later())
    let borrowed = try #require(plan.borrowedFacts)
    #expect(borrowed.version == "1.1.0" && borrowed.leftOut.isEmpty)
    #expect(plan.facts.map(\.id) == ["attacker_count", "place"])
    let data = F.transcript(Self.lateCall, on: archived, hash: String(repeating: "0", count: 64))
    let review = try CallReviewer.review(data, file: "test-call.jsonl") { _ in plan }.get()
    #expect(review.borrowedFacts == borrowed)
    let count = try #require(review.timing("attacker_count"))
    #expect(count.knownAt == 10 && count.relay == "count" && count.relayLatency == 40 && count.late)
    #expect(
      review.compliance.misses.contains { $0.kind == .factLate && $0.subject == "attacker_count" })
    let text = ReviewTextReport.call(review)
    #expect(
      text.contains(
        "facts: none declared by tiny-attack 1.0.0; scored on those of tiny-attack 1.1.0: "
          + "attacker_count, place\n"))
    let json = ReviewJSONReport.call(review, first: true)
    #expect(
      json.contains(
        "\"facts_from\":{\"facts\":[\"attacker_count\",\"place\"],\"left_out\":[],\"version\":\"1.1.0\"}"
      ))
    var summary = ReviewSummary()
    summary.add(review)
    #expect(summary.noFactsDeclared == 0)
  }

  @Test("a later fact whose relay the archived version lacks is left out, with the reason")
  func borrowedLeavesOut() throws {
    let plan = ReviewPlan(try Self.archived(renamed: true), laterVersion: try Self.later())
    let borrowed = try #require(plan.borrowedFacts)
    #expect(plan.facts.map(\.id) == ["place"])
    #expect(
      borrowed.leftOut == [.init(id: "attacker_count", reason: "relay 'count' not in 1.0.0")])
    let review = try Self.review(Self.lateCall, on: try Self.archived(renamed: true))
    #expect(review.facts.isEmpty && review.borrowedFacts == nil)
    let data = F.transcript(
      Self.lateCall, on: try Self.archived(renamed: true), hash: String(repeating: "0", count: 64))
    let scored = try CallReviewer.review(data, file: "test-call.jsonl") { _ in plan }.get()
    #expect(
      ReviewTextReport.call(scored).contains(
        "scored on those of tiny-attack 1.1.0: place (left out: attacker_count: relay 'count' "
          + "not in 1.0.0)"))
  }

  @Test("no counterpart: another id, the same or an earlier version, or facts of its own")
  func borrowedOnlyFromALaterVersion() throws {
    let archived = try Self.archived()
    #expect(ReviewPlan(archived, laterVersion: try Self.later(id: "other")).borrowedFacts == nil)
    #expect(ReviewPlan(archived, laterVersion: try Self.later(version: "1.0.0")).facts.isEmpty)
    #expect(ReviewPlan(archived, laterVersion: try Self.later(version: "0.9.9")).facts.isEmpty)
    #expect(ReviewPlan(archived).facts.isEmpty)
    // A version that declares facts keeps its own, even when a later one declares others.
    let own = try Self.later(version: "1.0.0")
    let plan = ReviewPlan(own, laterVersion: try Self.later(version: "2.0.0"))
    #expect(plan.borrowedFacts == nil && plan.facts.map(\.id) == ["attacker_count", "place"])
  }

  @Test("versions compare as dotted numbers")
  func versionOrder() {
    #expect(ProtocolVersion.isLater("2.10.0", than: "2.9.1"))
    #expect(ProtocolVersion.isLater("2.2", than: "2.1.9"))
    #expect(!ProtocolVersion.isLater("2.2", than: "2.2.0"))
    #expect(!ProtocolVersion.isLater("2.1.0", than: "2.2.0"))
    #expect(ProtocolVersion.isLater("1.0.0-b", than: "1.0.0-a"))
  }
}
