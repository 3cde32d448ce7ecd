import Foundation
import Testing

@testable import CallScript

/// When records go out (issue 16, item 7): at once for what changes the response, at most
/// every record interval for the rest, stamped with their own time however often the clock is
/// looked at, the last state always.
@Suite("Records: coalesced to the record interval")
struct RecordIntervalTests {
  static let builtIn: CallProtocol = {
    guard let compiled = BuiltInProtocol.compile().protocolValue else {
      fatalError("the built-in protocol does not compile")
    }
    return compiled
  }()

  /// A call through the driver, keeping every record that went out and the events recorded.
  struct Call {
    var driver: CallDriver
    var records: [RecordSnapshot] = []
    var entries: [Transcript.Entry] = []

    init(_ callProtocol: CallProtocol = RecordIntervalTests.builtIn) {
      driver = CallDriver(session: Session(callProtocol: callProtocol))
    }

    var session: Session { driver.session }

    /// Answers `question` at call-clock `at`; gives the records the input brought.
    @discardableResult
    mutating func answer(_ question: String, _ value: FactValue, at: Double) throws
      -> [RecordSnapshot]
    {
      try handle(.answer(.value(value), to: .question(question)), at: at)
    }

    @discardableResult
    mutating func handle(_ action: CallAction, at: Double) throws -> [RecordSnapshot] {
      var entries = self.entries
      let outcome = driver.handle(action, at: at) { event, time, prompt in
        entries.append(
          Transcript.Entry(sequence: entries.count + 1, at: time, event: event, prompt: prompt))
      }
      self.entries = entries
      if let error = outcome.error { throw error }
      records += outcome.records
      return outcome.records
    }

    /// Lets time pass to `at` with no event; gives the records that went out.
    @discardableResult
    mutating func tick(_ at: Double) -> [RecordSnapshot] {
      let outcome = driver.tick(to: at)
      records += outcome.records
      return outcome.records
    }

    /// The records a replay of the recorded events gives (no clock ticks in between).
    func replayed(on callProtocol: CallProtocol = RecordIntervalTests.builtIn) -> [RecordSnapshot] {
      var replay = CallDriver(session: Session(callProtocol: callProtocol), showing: false)
      var records: [RecordSnapshot] = []
      for entry in entries {
        if case .success(let outcome) = replay.replay(entry) { records += outcome.records }
      }
      return records
    }
  }

  /// The two answers that reach the first dispatch point: record 1 at 9 s.
  static func dispatched(_ kind: String = "shooting") throws -> Call {
    var call = Call()
    try call.answer("location", .text("Exampleton High School, 1400 N Broad St"), at: 4)
    let first = try call.answer("what_happening", .option(kind), at: 9)
    #expect(first.map(\.sequence) == [1])
    #expect(first.first?.at == 9)
    return call
  }

  @Test("a caller taking 3 to 40 s per answer: other facts at most every 10 s, stamped on time")
  func callerTakesTheirTime() throws {
    var call = try Self.dispatched()
    #expect(call.session.recordInterval == 10)
    // The callback number changes nothing units go to: it waits until 19 s.
    #expect(try call.answer("callback", .text("555-010-4477"), at: 12).isEmpty)
    #expect(call.session.recordDueAt == 19)
    #expect(try call.answer("still_happening", .yesNo(true), at: 15).isEmpty)
    // An answer at the due time itself goes out with it.
    #expect(try call.answer("caller_safe", .yesNo(false), at: 19).isEmpty)
    #expect(call.tick(19).isEmpty)
    // The clock passes 19 s with nothing said: the record goes out, stamped 19 s.
    let due = call.tick(25)
    #expect(due.map(\.sequence) == [2])
    #expect(due.first?.at == 19)
    #expect(due.first?.field(.callerCallback)?.text == "555-010-4477")
    #expect(due.first?.field(.incidentOngoing) != nil)
    #expect(due.first?.field(.callerSafety) != nil)
    #expect(call.session.recordDueAt == nil)
    #expect(call.tick(40).isEmpty, "nothing changed since")
    // 41 s later, the last record is older than the interval: at once.
    let late = try call.answer("can_leave", .yesNo(false), at: 60)
    #expect(late.map(\.sequence) == [3])
    #expect(late.first?.at == 60)
    // 3 s later: waits until 70 s.
    #expect(try call.answer("can_talk", .yesNo(true), at: 63).isEmpty)
    #expect(call.session.recordDueAt == 70)
    // A due time passing with no event and no tick, then an event 30 s later: the waiting
    // record goes out first with its own time and what was known then; the new answer comes
    // more than 10 s after it, so it goes out at once in a record of its own.
    let both = try call.answer("how_known", .option("saw"), at: 93)
    #expect(both.map(\.sequence) == [4, 5])
    #expect(both.map(\.at) == [70, 93])
    #expect(both.first?.field(.callerCanSpeak) != nil)
    #expect(both.first?.field(.callerHowKnown) == nil)
    #expect(both.last?.field(.callerHowKnown) != nil)
    #expect(call.records.map(\.sequence) == Array(1...5))
  }

  @Test("what changes the response goes out at once and carries what was waiting")
  func urgentChangesFoldWaitingOnes() throws {
    var call = try Self.dispatched()
    #expect(try call.answer("callback", .text("555-010-4477"), at: 12).isEmpty)
    #expect(call.session.recordDueAt == 19)
    // The attacker's position: one record at once, with the callback number folded in.
    let position = try call.answer("attacker_location", .text("gym, east side"), at: 14)
    #expect(position.map(\.sequence) == [2])
    #expect(position.first?.at == 14)
    #expect(position.first?.field(.callerCallback) != nil)
    #expect(position.first?.field(.suspectLocation)?.text == "gym, east side")
    #expect(call.session.recordDueAt == nil)
    #expect(call.tick(30).isEmpty, "nothing waits: the waiting record went out with it")
    // Each fact that changes the response, 1 s after the last record.
    let urgent: [(String, FactValue)] = [
      ("attacker_direction", .text("toward the library")),
      ("situation", .option("barricade")),
      ("attacker_count", .count(low: 2, high: 2)),
      ("weapons", .options(["long_gun"])),
      ("victim_count", .count(low: 3, high: 3)),
      ("victim_location", .text("hallway by room 12")),
      ("device_seen", .yesNo(true)),
      ("explosion_heard", .yesNo(true)),
      ("other_attacks", .yesNo(true)),
    ]
    var at = 30.0
    for (question, value) in urgent {
      at += 1
      #expect(try call.answer(question, value, at: at).map(\.at) == [at], "\(question)")
    }
    // Not these: the caller's own state, the description, a note.
    let waiting: [(String, FactValue)] = [
      ("caller_safe", .yesNo(true)), ("armor", .option("body_armor")),
      ("attacker_description", .text("tall, black hoodie")), ("hidden_groups", .text("room 14")),
    ]
    for (question, value) in waiting {
      at += 1
      #expect(try call.answer(question, value, at: at).isEmpty, "\(question)")
    }
    #expect(try call.handle(.note("gunfire on the line"), at: at + 1).isEmpty)
    // The end of the call always sends the last state, at once.
    let end = try call.handle(.end, at: at + 2)
    #expect(end.map(\.at) == [at + 2])
    #expect(end.first?.callEnded == true)
    #expect(end.first?.notes.map(\.text) == ["gunfire on the line"])
    #expect(end.first?.field(.suspectDescription)?.text == "tall, black hoodie")
    #expect(call.session.recordDueAt == nil)
    // After the end every change goes out at once: nothing more would carry it.
    let refuted = try call.handle(
      .confirm(verification: "active_attack_exists", confirmed: true, unit: "1A12", note: nil),
      at: at + 3)
    #expect(refuted.map(\.at) == [at + 3])
  }

  @Test("a change of the determinant (an override) and a link go out at once")
  func responseEventsAreUrgent() throws {
    var call = try Self.dispatched("stabbing")
    #expect(try call.answer("callback", .text("555-010-4477"), at: 11).isEmpty)
    let code = call.session.determinant?.code
    // An override raises the response: at once, with the callback folded in.
    let rules = call.session.callProtocol.determinants
    let current = call.session.determinant?.levelRank ?? 0
    let higher = try #require(rules.first { $0.levelRank > current })
    let override = try call.handle(.override(code: higher.code, reason: "second caller"), at: 12)
    #expect(override.map(\.at) == [12])
    #expect(override.first?.field(.callerCallback) != nil)
    #expect(call.session.determinant?.code != code)
    #expect(try call.answer("caller_safe", .yesNo(true), at: 13).isEmpty)
    let link = try call.handle(.link("INC-20250304-0001"), at: 14)
    #expect(link.map(\.at) == [14])
    #expect(link.first?.incidentID == "INC-20250304-0001")
  }

  @Test("records never depend on when the clock was looked at", arguments: [0, 1, 2, 3])
  func ticksChangeNothing(pattern: Int) throws {
    // The same call (3 to 40 s per answer), ticking: never, every second, only exactly at each
    // due time, at random moments.
    var random = GeneratedCall.Seeded(state: 7)
    let answers: [(String, FactValue, Double)] = [
      ("location", .text("Riverside Plaza, 40 Quay Road"), 6),
      ("what_happening", .option("shooting"), 5),
      ("callback", .text("555-388-0192"), 3), ("still_happening", .yesNo(true), 4),
      ("caller_safe", .yesNo(false), 7), ("can_leave", .yesNo(false), 3),
      ("can_talk", .yesNo(true), 12), ("attacker_location", .text("food court"), 40),
      ("how_known", .option("heard"), 3), ("last_seen", .option("now"), 3),
      ("attacker_direction", .text("toward the garage"), 9),
      ("armor", .option("bag"), 4), ("attacker_description", .text("red cap"), 3),
      ("caller_spot", .text("stock room behind the pharmacy"), 21),
      ("people_with", .count(low: 4, high: 4), 3), ("hidden_groups", .text("the bank"), 5),
    ]
    var call = Call()
    var at = 0.0
    for (question, value, after) in answers {
      let next = at + after
      switch pattern {
      case 1:
        var second = at.rounded(.down) + 1
        while second < next {
          call.tick(second)
          second += 1
        }
      case 2:
        if let due = call.session.recordDueAt, due < next { call.tick(due) }
      case 3:
        for _ in 0..<Int.random(in: 0...3, using: &random) {
          call.tick(at + Double.random(in: 0..<after, using: &random))
        }
      default: break
      }
      at = next
      try call.answer(question, value, at: at)
    }
    try call.handle(.end, at: at + 30)
    let reference = Call.ticklessRecords(answers)
    #expect(call.records == reference)
    #expect(call.replayed() == call.records, "a replay of the transcript gives the same records")
    #expect(call.records.count < call.entries.count)
  }

  @Test(
    "the protocol sets the record interval",
    arguments: [
      ("", 10.0, nil), ("records:\n  interval: 30s\n", 30, nil),
      ("records:\n  interval: 0\n", 0, nil), ("records:\n  interval: 2m\n", 120, nil),
      ("records:\n  interval: soon\n", nil, "CS124"),
      ("records:\n  every: 10s\n", nil, "CS101"),
      ("records:\n  interval: 2d\n", nil, "CS124"),
    ] as [(String, Double?, String?)])
  func protocolInterval(text: String, interval: Double?, code: String?) throws {
    let source = try Fixtures.text("valid-minimal.yaml") + text
    let result = ProtocolCompiler.compile(data: Data(source.utf8), file: "p.yaml")
    #expect(result.protocolValue?.recordInterval == interval)
    if let code {
      let diagnostic = try #require(
        result.diagnostics.first { $0.code.rawValue == code },
        "\(result.diagnostics.map(\.rendered))")
      #expect(diagnostic.position.line > 1)
    } else {
      #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
    }
  }

  @Test("a derived fact that changes while a record waits keeps the time it changed")
  func derivedFactTime() throws {
    // The test protocol's derived `kind`, as a note: a change that waits.
    let source = try Fixtures.text("session.yaml")
      .replacingOccurrences(of: "fills: incident.type", with: "fills: note")
    var call = Call(
      try #require(ProtocolCompiler.compile(data: Data(source.utf8), file: "s.yaml").protocolValue))
    try call.answer("location", .text("12 Main St"), at: 5)
    #expect(try call.answer("attack", .option("stabbing"), at: 10).map(\.at) == [10])
    // A note waits until 20 s; "Is it still going on?" "No": `kind` becomes `over` at 13 s,
    // and waits with it.
    #expect(try call.handle(.note("caller whispering"), at: 11).isEmpty)
    #expect(try call.answer("ongoing", .yesNo(false), at: 13).isEmpty)
    let due = call.tick(25)
    #expect(due.map(\.at) == [20])
    let kind = try #require(due.first?.fields.first { $0.source == "kind" })
    #expect(kind.text == "over")
    #expect(kind.updatedAt == 13)
  }

  @Test("a session applied without advancing the clock sends the waiting record first")
  func applyWithoutAdvancing() throws {
    var session = Session(callProtocol: Self.builtIn)
    _ = try session.apply(.answer(question: "location", value: .text("1 Main St")), at: 2).get()
    _ = try session.apply(.answer(question: "what_happening", value: .option("stabbing")), at: 4)
      .get()
    let waiting = try session.apply(
      .answer(question: "callback", value: .text("555-0100")), at: 6
    ).get()
    #expect(waiting.records.isEmpty)
    // A refused event sends nothing and changes nothing.
    #expect(throws: SessionError.self) {
      try session.apply(.answer(question: "nope", value: .yesNo(true)), at: 30).get()
    }
    #expect(session.recordDueAt == 14)
    let next = try session.apply(.answer(question: "still_happening", value: .yesNo(true)), at: 30)
      .get()
    #expect(next.dueRecord?.at == 14)
    #expect(next.dueRecord?.field(.incidentOngoing) == nil)
    #expect(next.record?.at == 30)
    #expect(next.records.map(\.sequence) == [2, 3])
    #expect(session.lastRecord == next.record)
    // Deciding alone (as verify and the review do) says when the waiting record went out.
    var decided = Session(callProtocol: Self.builtIn)
    _ = decided.decide(.answer(question: "location", value: .text("1 Main St")), at: 2)
    _ = decided.decide(.answer(question: "what_happening", value: .option("stabbing")), at: 4)
    _ = decided.decide(.answer(question: "callback", value: .text("555-0100")), at: 6)
    let effects = try decided.decide(
      .answer(question: "still_happening", value: .yesNo(true)), at: 30
    ).get()
    #expect(effects.dueRecordAt == 14)
    #expect(effects.record)
    #expect(decided.recordSequence == 3)
  }

  @Test("the driver gives the session a time as the transcript keeps it")
  func transcriptTime() throws {
    var call = Call()
    try call.answer("location", .text("1 Main St"), at: 12.345_678)
    #expect(call.session.now == 12.346)
    #expect(call.entries.first?.at == 12.346)
    _ = call.driver.tick(to: 20.000_4)
    #expect(call.session.now == 20)
    #expect(CallDriver.transcriptTime(7) == 7)
  }

  @Test("every example call's last record is the one a record at every change gives")
  func lastRecordUnchanged() throws {
    let folder = Fixtures.repository.appendingPathComponent("transcripts")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".jsonl") }.sorted()
    #expect(names.count >= 36)
    var fewer = 0
    for name in names {
      let reading = try TranscriptReader.read(
        try Data(contentsOf: folder.appendingPathComponent(name))
      ).get()
      let source = try Data(
        contentsOf: folder.appendingPathComponent("protocols")
          .appendingPathComponent(reading.header.protocolHash + ".yaml"))
      let coalesced = try #require(
        ProtocolCompiler.compile(data: source, file: name).protocolValue)
      var everyChange = coalesced
      everyChange.recordInterval = 0
      let records = try TranscriptReader.replay(reading, on: coalesced).get().1.flatMap(\.records)
      let all = try TranscriptReader.replay(reading, on: everyChange).get().1.flatMap(\.records)
      let last = try #require(records.last, "\(name)")
      let expected = try #require(all.last, "\(name)")
      #expect(last.callEnded, "\(name): the end sends the last state")
      let context = reading.header.context
      #expect(
        EIDOEncoder.document(for: last, context: context, callProtocol: coalesced)
          == EIDOEncoder.document(for: expected, context: context, callProtocol: everyChange),
        "\(name)")
      #expect(records.count <= all.count, "\(name)")
      if records.count < all.count { fewer += 1 }
    }
    #expect(fewer > names.count / 2, "coalescing sends fewer records in most example calls")
  }
}

extension RecordIntervalTests.Call {
  /// The records of `answers` (question, value, seconds after the previous) played without a
  /// single clock tick, then ended 30 s after the last.
  static func ticklessRecords(_ answers: [(String, FactValue, Double)]) -> [RecordSnapshot] {
    var session = Session(callProtocol: RecordIntervalTests.builtIn)
    var records: [RecordSnapshot] = []
    var at = 0.0
    for (question, value, after) in answers {
      at += after
      if case .success(let outcome) = session.apply(
        .answer(question: question, value: value), at: at)
      {
        records += outcome.records
      }
    }
    if case .success(let outcome) = session.apply(.end, at: at + 30) {
      records += outcome.records
    }
    return records
  }
}
