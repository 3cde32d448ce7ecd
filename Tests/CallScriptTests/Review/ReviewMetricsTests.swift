import Foundation
import Testing

@testable import CallScript

/// Every metric on small hand-written calls, with the expected values worked out by hand from
/// the built-in protocol (priorities, ask_if conditions, relays, dispatch points).
@Suite("Review metrics on hand-written calls")
struct ReviewMetricsTests {
  typealias F = ReviewFixtures

  /// Location, what is happening, then four more prompt answers and the end.
  static let basicCall: [(Double, SessionEvent)] = [
    (4, F.text("location", "1 Main Street")),
    (9, F.option("what_happening", "shooting")),
    (15, F.text("callback", "555-0100")),
    (20, F.yes("still_happening")),
    (26, F.yes("caller_safe")),
    (30, F.text("attacker_location", "the gym")),
    (40, .end),
  ]

  @Test("time and answers to the first dispatch record")
  func dispatch() throws {
    let review = try F.review(Self.basicCall)
    #expect(review.dispatch == CallReview.Dispatch(at: 9, answers: 2, point: "first_dispatch"))
    #expect(review.ended)
    #expect(review.duration == 40)
    #expect(review.events == 7)
    #expect(review.answers == 6)
    #expect(review.asked == 6)
    #expect(review.volunteered == 0)
  }

  @Test("critical facts: known, first record, first relay, latency")
  func facts() throws {
    let review = try F.review(Self.basicCall)
    #expect(
      review.facts.map(\.fact.id) == [
        "location", "attack_confirmed", "attacker_location", "attacker_count", "weapons",
        "victims", "secondary_threats", "officer_on_scene",
      ])
    let location = try #require(review.timing("location"))
    #expect(location.knownAt == 4)
    #expect(location.source == "location")
    #expect(location.recordAt == 9)
    #expect(location.relayAt == nil)
    #expect(location.latency == 5)
    let attack = try #require(review.timing("attack_confirmed"))
    #expect(attack.knownAt == 9 && attack.outAt == 9 && attack.latency == 0)
    let attacker = try #require(review.timing("attacker_location"))
    #expect(attacker.knownAt == 30 && attacker.recordAt == 30 && attacker.relayAt == 30)
    #expect(attacker.relay == "attacker_position")
    for fact in ["attacker_count", "weapons", "victims", "secondary_threats", "officer_on_scene"] {
      #expect(review.timing(fact)?.knownAt == nil)
      #expect(review.timing(fact)?.neverOut == false)
    }
  }

  @Test("a location from the phone system is known when it came, and out with the first record")
  func factFromCallData() throws {
    let review = try F.review([
      (0, .callData(item: "location", question: "location", value: .text("1 Main Street"))),
      (9, F.option("what_happening", "shooting")),
      (40, .end),
    ])
    let location = try #require(review.timing("location"))
    #expect(location.knownAt == 0)
    #expect(location.source == "location")
    #expect(location.recordAt == 9)
    #expect(location.latency == 9)
  }

  @Test("required questions that apply at the end and were never asked, weighted")
  func requiredQuestions() throws {
    let review = try F.review(Self.basicCall)
    let misses = review.compliance.misses
    #expect(misses.allSatisfy { $0.kind == .requiredQuestion && $0.at == 40 })
    // Questions in protocol order; `situation` does not apply (still happening, caller's spot
    // not yet known), nor the officer, vehicle, silent-caller and device follow-ups.
    #expect(
      misses.map(\.subject) == [
        "how_known", "attacker_count", "weapons", "attacker_description", "victim_count",
        "caller_spot", "device_seen",
      ])
    #expect(
      misses.map(\.severity) == [.minor, .major, .major, .minor, .major, .minor, .major])
    // 100 - 4 x 12 - 3 x 4
    #expect(review.compliance.score == 40)
    #expect(review.compliance.level == .nonCompliant)
    #expect(review.unconfirmed.map(\.id) == ["active_attack_exists"])
    #expect(review.unconfirmed.first?.raisedAt == 9)
  }

  @Test("a fact known but never sent out is a critical miss; a disconnected end is not scored")
  func neverRelayed() throws {
    let review = try F.review([
      (5, F.option("what_happening", "shooting")),
      (10, F.answer("attacker_count", .count(low: 1, high: 1))),
      (15, .disconnect),
      (20, .end),
    ])
    #expect(review.dispatch == nil)
    #expect(review.timing("attack_confirmed")?.knownAt == 5)
    #expect(review.timing("attack_confirmed")?.neverOut == true)
    #expect(review.timing("attacker_count")?.knownAt == 10)
    #expect(review.timing("attacker_count")?.neverOut == true)
    let misses = review.compliance.misses
    #expect(misses.map(\.kind) == [.factNotRelayed, .factNotRelayed])
    #expect(misses.map(\.subject) == ["attack_confirmed", "attacker_count"])
    #expect(misses.map(\.at) == [5, 10])
    #expect(misses.allSatisfy { $0.severity == .critical })
    #expect(review.compliance.score == 30)
    #expect(review.compliance.level == .nonCompliant)
    #expect(!review.callerConnectedAtEnd)
    #expect(
      review.unaskedAfterDisconnect == [
        "location", "callback", "still_happening", "caller_safe", "attacker_location",
        "how_known", "situation", "weapons", "attacker_description", "victim_count",
        "caller_spot", "device_seen",
      ])
    // Both answers were volunteered while the location was on screen: listed, not scored.
    #expect(review.volunteered == 2)
    #expect(
      review.waits == [
        CallReview.PriorityWait(
          question: "location", since: 5, wait: 15,
          answeredInstead: ["what_happening", "attacker_count"], viaPrompt: false)
      ])
  }

  /// Weapons volunteered while the callback question is on screen, then gone back to and
  /// answered again from the screen while the callback question is still due.
  static func departure(callbackAt: Double) -> [(Double, SessionEvent)] {
    [
      (5, F.text("location", "1 Main Street")),
      (10, F.option("what_happening", "shooting")),
      (15, F.answer("weapons", .options(["handgun"]))),
      (20, .back),
      (25, F.answer("weapons", .options(["handgun", "long_gun"]))),
      (callbackAt, F.text("callback", "555-0100")),
      (callbackAt + 5, .end),
    ]
  }

  @Test(
    "answering from the screen while a higher-priority question is due",
    arguments: [
      (30.0, MissSeverity.minor, 15.0), (50.0, MissSeverity.major, 35.0),
      // The boundary: a wait of 30 s is already a long one.
      (44.0, MissSeverity.minor, 29.0), (45.0, MissSeverity.major, 30.0),
    ])
  func priorityOrder(callbackAt: Double, severity: MissSeverity, wait: Double) throws {
    let review = try F.review(Self.departure(callbackAt: callbackAt))
    let departures = review.compliance.misses.filter { $0.kind == .priorityOrder }
    #expect(departures.count == 1)
    let miss = try #require(departures.first)
    #expect(miss.subject == "callback")
    #expect(miss.severity == severity)
    #expect(miss.at == 15)
    #expect(miss.wait == wait)
    #expect(miss.answeredInstead == ["weapons", "weapons"])
    #expect(review.waits.map(\.viaPrompt) == [true])
    // The weapons went out at once: the record and the weapons relay.
    let weapons = try #require(review.timing("weapons"))
    #expect(weapons.knownAt == 15 && weapons.recordAt == 15 && weapons.relayAt == 15)
    #expect(weapons.relay == "attackers_weapons")
    #expect(review.asked == 4 && review.volunteered == 1)
  }

  @Test("overrides are listed with the determinant before and the reason")
  func overrides() throws {
    let review = try F.review([
      (5, F.text("location", "1 Main Street")),
      (10, F.option("what_happening", "stabbing")),
      (20, .override(code: "AA-3", reason: "several people cut in the waiting room")),
      (25, .end),
    ])
    #expect(
      review.overrides == [
        CallReview.Override(
          at: 20, code: "AA-3", level: "critical", previousCode: "AA-6",
          previousLevel: "emergency", reason: "several people cut in the waiting room")
      ])
    #expect(!review.compliance.misses.contains { $0.kind == .priorityOrder })
  }

  @Test("a required instruction that fell due while the caller's line was down")
  func instructionWhileDisconnected() throws {
    let review = try F.review([
      (5, F.text("location", "1 Main Street")),
      (10, F.option("what_happening", "shooting")),
      (12, .disconnect),
      (20, F.no("caller_safe")),
      (25, F.yes("can_leave")),
      (30, .callback),
      (35, .end),
    ])
    let misses = review.compliance.misses.filter { $0.kind == .instruction }
    #expect(misses.map(\.subject) == ["run"])
    #expect(misses.first?.severity == .major)
    #expect(misses.first?.at == 25)
    let instructions = review.timeline.filter { $0.kind == .instruction }
    #expect(instructions.map(\.label) == ["read_back", "help_coming", "run"])
    #expect(instructions.map(\.at) == [5, 10, 25])
  }

  @Test("a verification confirmed after the end is not left unconfirmed")
  func confirmedVerification() throws {
    let review = try F.review([
      (5, F.text("location", "1 Main Street")),
      (10, F.option("what_happening", "shooting")),
      (20, .end),
      (
        30,
        .confirm(
          verification: "active_attack_exists", confirmed: true, unit: "P-12", note: nil)
      ),
    ])
    #expect(review.unconfirmed.isEmpty)
    #expect(review.duration == 20)
  }

  @Test("a call that was never ended is reviewed up to its last event")
  func incomplete() throws {
    let review = try F.review([
      (5, F.text("location", "1 Main Street")),
      (12, F.option("what_happening", "vehicle")),
    ])
    #expect(!review.ended)
    #expect(review.duration == 12)
    #expect(review.dispatch?.at == 12)
  }

  @Test("an unknown answer does not make a fact known")
  func unknownIsNotKnown() throws {
    let review = try F.review([
      (5, F.answer("location", .unknown)),
      (10, F.option("what_happening", "shooting")),
      (20, F.text("location", "1 Main Street")),
      (25, .end),
    ])
    #expect(review.timing("location")?.knownAt == 20)
    #expect(review.timing("location")?.latency == 0)
    #expect(review.dispatch?.at == 20)
    #expect(review.dispatch?.answers == 3)
  }

  @Test(
    "nearest-rank percentiles",
    arguments: [
      ([1.0, 2, 3, 4], 2.0, 4.0),
      ([5.0], 5.0, 5.0),
      ([10.0, 1, 9, 2, 8, 3, 7, 4, 6, 5], 5.0, 9.0),
      ([0.5, 0.25, 0.125], 0.25, 0.5),
    ])
  func percentiles(values: [Double], median: Double, p90: Double) {
    var distribution = Distribution()
    for value in values { distribution.add(value) }
    #expect(distribution.count == values.count)
    #expect(distribution.median == median)
    #expect(distribution.p90 == p90)
  }

  @Test("an empty distribution has no percentiles")
  func emptyDistribution() {
    #expect(Distribution().median == nil)
  }

  @Test("scores fall into levels at 90, 80 and 70")
  func levels() {
    #expect(ComplianceScoring.level(100) == .high)
    #expect(ComplianceScoring.level(90) == .high)
    #expect(ComplianceScoring.level(89) == .partial)
    #expect(ComplianceScoring.level(80) == .partial)
    #expect(ComplianceScoring.level(79) == .low)
    #expect(ComplianceScoring.level(70) == .low)
    #expect(ComplianceScoring.level(69) == .nonCompliant)
    #expect(ComplianceScoring.level(0) == .nonCompliant)
  }

  @Test("a summary groups levels by position and protocol and counts missed questions")
  func summary() throws {
    var summary = ReviewSummary()
    summary.add(try F.review(Self.basicCall, callID: "a", position: "position-1"))
    summary.add(try F.review(Self.basicCall, callID: "b", position: "position-2"))
    summary.add(
      try F.review(
        [
          (5, F.text("location", "1 Main Street")),
          (10, F.option("what_happening", "shooting")),
          (20, .disconnect),
          (25, .end),
        ], callID: "c", position: "position-2"))
    #expect(summary.calls == 3)
    #expect(summary.timeToDispatch.median == 9)
    #expect(summary.timeToDispatch.p90 == 10)
    #expect(summary.answersToDispatch.median == 2)
    #expect(summary.byPosition["position-1"]?[.nonCompliant] == 1)
    #expect(summary.byPosition["position-2"]?.calls == 2)
    #expect(summary.byPosition["position-2"]?[.high] == 1)
    #expect(summary.byProtocol["active-attack \(ReviewFixtures.builtIn.version)"]?.calls == 3)
    #expect(summary.levels[.nonCompliant] == 2 && summary.levels[.high] == 1)
    let missed = summary.mostMissedQuestions(limit: 3)
    #expect(missed.map(\.question) == ["attacker_count", "attacker_description", "caller_spot"])
    #expect(missed.map(\.count) == [2, 2, 2])
    #expect(summary.factLatency["location"]?.median == 5)
    #expect(summary.unconfirmed == 3)
  }
}
