import Foundation
import Testing

@testable import CallScript

/// Conditions that read the clock (issue 17, item 3): `elapsed`, `age(q)`, durations and
/// `minutes(q)`; what they make due comes at its own moment, whether the clock was looked at
/// then or only at the next event, live, in replay and in the review alike.
@Suite("Time in conditions")
struct TimeConditionTests {
  static let text = """
    protocol:
      id: timed
      version: 1.0.0
      title: Timed rules
      languages: [en]
    response_levels: [urgent, critical]
    resources:
      patrol: Patrol units
      bomb_squad: Bomb squad
    questions:
      - id: location
        label: Location
        ask: Where are you?
        kind: location
        priority: 100
        fills: incident.location
      - id: minutes_left
        label: Minutes left
        ask: In how many minutes did they say it goes off?
        kind: count
        priority: 90
      - id: attacker_where
        label: Attacker where
        ask: Where is the attacker now?
        kind: text
        priority: 80
        reask_every: 30s
        reask_if: age(attacker_where) > 2m
      - id: seen_when
        label: Seen when
        ask: When did you see the attacker there?
        kind: one_of
        priority: 75
        dates: [attacker_where]
        options:
          - { id: now, label: Right now, key: w, ago: 0s }
          - { id: few_minutes, label: A few minutes ago, key: f, ago: 3m }
      - id: people_out
        label: People out
        ask: Is everyone out of the building?
        kind: yes_no
        priority: 70
        ask_if: elapsed >= 1m
    derived:
      - id: imminent
        expr: minutes(minutes_left) - age(minutes_left) <= 10m
    determinants:
      - when: imminent
        code: T-1
        level: critical
        plan: [patrol, bomb_squad]
        label: Stated time close
      - code: T-9
        level: urgent
        plan: [patrol]
        label: Threat
    dispatch_points:
      - id: first_dispatch
        when: known(location)
    instructions:
      - id: still_there
        when: elapsed > 3m and people_out != yes
        say: Ask again whether everyone is out; keep them moving away.
      - id: clear_now
        when: imminent
        say: Tell everyone to get far away now.
    relays:
      - id: countdown
        when: imminent
        priority: 99
        text: "Stated time 10 minutes away or less ({minutes_left} minutes given)"
      - id: sighting_old
        when: age(attacker_where) > 5m
        text: "Last attacker sighting is over 5 minutes old: {attacker_where}"
    """

  static let timed: CallProtocol = {
    guard let compiled = ProtocolCompiler.compile(text: text, file: "timed.yaml").protocolValue
    else { fatalError("the timed test protocol does not compile") }
    return compiled
  }()

  typealias Call = RecordIntervalTests.Call

  @Test("a derived fact reading the clock turns at its own moment, not at the next event")
  func derivedFactTurnsOnTime() throws {
    var call = Call(Self.timed)
    try call.answer("location", .text("1 Main St"), at: 5)
    try call.answer("minutes_left", .count(low: 25, high: 25), at: 20)
    // people_out applies from 60 s (ask_if: elapsed >= 1m).
    #expect(call.session.timeMoment == 60)
    try call.answer("people_out", .yesNo(true), at: 61)
    call.tick(900)
    // 25 minutes given at 20 s: 10 minutes or less from 20 + 900 s.
    #expect(call.session.timeMoment == 920)
    #expect(call.session.determinant?.code == "T-9")
    let outcome = call.driver.tick(to: 930)
    #expect(call.session.determinant?.code == "T-1")
    #expect(outcome.step?.instructions.map(\.id) == ["clear_now"])
    #expect(outcome.step?.relays.map(\.id) == ["countdown"])
    #expect(outcome.records.map(\.at) == [920])
    #expect(call.session.instructionsGiven["clear_now"] == 920)
  }

  @Test("looking at the clock at a moment's very time leaves it to an event at that time")
  func momentAtTickTime() throws {
    var call = Call(Self.timed)
    try call.answer("location", .text("1 Main St"), at: 5)
    try call.answer("minutes_left", .count(low: 25, high: 25), at: 20)
    try call.answer("people_out", .yesNo(true), at: 61)
    call.tick(919.999)
    call.tick(920)
    #expect(call.session.timeMoment == 920)
    try call.answer("location", .text("2 Main St"), at: 920)
    #expect(call.session.determinant?.code == "T-1")
    #expect(call.records.filter { $0.at == 920 }.count == 1)
    #expect(call.replayed(on: Self.timed) == call.records)
  }

  /// When each relay and instruction went out, by id.
  static func sent(_ session: Session) -> [String: Double] {
    var sent = session.instructionsGiven
    for (index, state) in session.sent.relays.enumerated() {
      if let state { sent[session.callProtocol.relays[index].id] = state.at }
    }
    return sent
  }

  @Test("what a moment brings is the same when the clock was never looked at before the event")
  func replayAgreesWithTicks() throws {
    var live = Call(Self.timed)
    try live.answer("location", .text("1 Main St"), at: 5)
    try live.answer("minutes_left", .count(low: 12, high: 12), at: 30)
    try live.answer("attacker_where", .text("east stairwell"), at: 40)
    for second in stride(from: 41.0, through: 700, by: 1) { live.tick(second) }
    try live.answer("people_out", .yesNo(false), at: 701)
    try live.handle(.end, at: 702)
    var replay = CallDriver(session: Session(callProtocol: Self.timed), showing: false)
    var replayed: [RecordSnapshot] = []
    for entry in live.entries {
      if case .success(let outcome) = replay.replay(entry) { replayed += outcome.records }
    }
    #expect(!live.records.isEmpty)
    #expect(replayed == live.records)
    let sent = Self.sent(live.session)
    #expect(sent == Self.sent(replay.session))
    // Deciding alone (verify) steps through the same moments.
    var decided = Session(callProtocol: Self.timed)
    for entry in live.entries { _ = decided.decide(entry.event, at: entry.at) }
    #expect(Self.sent(decided) == sent)
    #expect(decided.recordSequence == live.session.recordSequence)
    // The countdown at 30 + 120 s; the sighting over 5 minutes old at 340.001 s; the reminder
    // at 180.001 s (elapsed > 3m, nobody said everyone is out).
    #expect(sent["countdown"] == 150)
    #expect(sent["clear_now"] == 150)
    #expect(sent["sighting_old"] == 340.001)
    #expect(sent["still_there"] == 180.001)
    #expect(live.records.map(\.at).contains(150))
  }

  @Test("the review sees what moments brought at their own time")
  func reviewAndVerify() throws {
    let events: [(Double, SessionEvent)] = [
      (5, .answer(question: "location", value: .text("1 Main St"))),
      (30, .answer(question: "minutes_left", value: .count(low: 12, high: 12))),
      (40, .answer(question: "attacker_where", value: .text("east stairwell"))),
      (701, .answer(question: "people_out", value: .yesNo(false))),
      (702, .end),
    ]
    let data = ReviewFixtures.transcript(
      events, on: Self.timed, hash: Transcript.sha256(Data(Self.text.utf8)))
    let plan = ReviewPlan(Self.timed)
    let review = try CallReviewer.review(data, file: "test-call.jsonl") { _ in plan }.get()
    let relays = review.timeline.filter { $0.kind == .relay }.map { "\($0.label)@\($0.at)" }
    #expect(relays.contains("countdown@150.0"))
    #expect(relays.contains("sighting_old@340.001"))
    let instructions = review.timeline.filter { $0.kind == .instruction }.map {
      "\($0.label)@\($0.at)"
    }
    #expect(instructions.contains("still_there@180.001"))
    #expect(instructions.contains("clear_now@150.0"))
  }

  @Test("an answer that makes a clock condition hold acts at once, in its own step")
  func freshAnswerActsAtOnce() throws {
    var call = Call(Self.timed)
    try call.answer("location", .text("1 Main St"), at: 5)
    // 10 minutes left, said at 20 s: 10 minutes or less away now.
    try call.answer("minutes_left", .count(low: 10, high: 10), at: 20)
    #expect(call.session.determinant?.code == "T-1")
    #expect(Self.sent(call.session)["countdown"] == 20)
  }

  @Test(
    "generated calls on a protocol reading the clock: live with random looks agrees with replay")
  func generatedCalls() throws {
    let timeline = CallTimeline(
      startedAt: Date(timeIntervalSince1970: 1_767_225_600),
      timeZone: TimeZone(identifier: "UTC") ?? .current)
    var problems: [String] = []
    var records = 0
    for seed in 1...600 {
      let result = GeneratedCall.play(seed: UInt64(seed), on: Self.timed, timeline: timeline)
      problems += result.problems
      records += result.records
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
    #expect(records > 3_000)
  }

  @Test("age(q) counts from when the fact was observed, as a dating answer says")
  func ageFromObservation() throws {
    var call = Call(Self.timed)
    try call.answer("location", .text("1 Main St"), at: 5)
    try call.answer("attacker_where", .text("gym"), at: 40)
    #expect(call.session.timeMoment == 60)
    call.tick(61)
    // The re-ask condition (over 2 minutes old) turns at 160.001 s, the reminder at 180.001 s;
    // the sighting is over 5 minutes old at 340.001 s, until the caller says at 70 s that it
    // was seen 3 minutes before: then from -110 s, so at 190.001 s.
    #expect(call.session.timeMoment == 160.001)
    try call.answer("seen_when", .option("few_minutes"), at: 70)
    #expect(call.session.timeMoment == 180.001)
    call.tick(185)
    #expect(call.session.timeMoment == 190.001)
    call.tick(200)
    #expect(Self.sent(call.session)["sighting_old"] == 190.001)
  }

  @Test("a re-ask condition reading age(q) falls due as the answer ages")
  func reaskAsAnswerAges() throws {
    var call = Call(Self.timed)
    try call.answer("location", .text("1 Main St"), at: 5)
    try call.answer("minutes_left", .count(low: 60, high: 60), at: 10)
    try call.answer("people_out", .yesNo(true), at: 60)
    try call.answer("attacker_where", .text("lobby"), at: 70)
    #expect(!call.session.isDue(2))
    call.tick(189)
    #expect(!call.session.isDue(2))
    call.tick(191)
    #expect(call.session.isDue(2))
  }

  @Test("ask_if reading elapsed: the question applies from its moment")
  func askIfElapsed() throws {
    var call = Call(Self.timed)
    let slot = try #require(Self.timed.slotsByName["people_out"])
    #expect(!call.session.applies(slot))
    call.tick(59.999)
    #expect(!call.session.applies(slot))
    call.tick(60.5)
    #expect(call.session.applies(slot))
  }

  @Test("no moment after the call ended")
  func clockStopsAtEnd() throws {
    var call = Call(Self.timed)
    try call.answer("location", .text("1 Main St"), at: 5)
    try call.answer("minutes_left", .count(low: 30, high: 30), at: 10)
    #expect(call.session.timeMoment != nil)
    try call.handle(.end, at: 20)
    #expect(call.session.timeMoment == nil)
  }
}
