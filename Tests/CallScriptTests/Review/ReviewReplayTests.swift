import Foundation
import Testing

@testable import CallScript
@testable import CallScriptIO

/// The review steps the engine's own session and reads what each step decided; these tests
/// hold what it reports to what the engine renders for the same calls (the example calls, and
/// generated calls on the built-in protocol and on the test protocols), and its reader to the
/// transcript reader.
@Suite("The review reports what the engine did")
struct ReviewReplayTests {
  typealias F = ReviewFixtures

  /// A protocol to generate calls on, with its review plan and source hash.
  struct Subject: Sendable, CustomTestStringConvertible {
    var name: String
    var callProtocol: CallProtocol
    var plan: ReviewPlan
    var hash: String
    var testDescription: String { name }

    static func fixture(_ file: String, shipped: Bool = false) -> Subject {
      let result =
        shipped
        ? Fixtures.compileShipped("protocols/\(file)")
        : ProtocolCompiler.compile(data: (try? Fixtures.data(file)) ?? Data(), file: file)
      guard let compiled = result.protocolValue else {
        fatalError("the fixture \(file) does not compile")
      }
      return Subject(
        name: file, callProtocol: compiled, plan: ReviewPlan(compiled),
        hash: Transcript.sha256(result.source))
    }

    static let all: [Subject] = [
      Subject(
        name: "built-in", callProtocol: F.builtIn, plan: F.plan,
        hash: Transcript.sha256(BuiltInProtocol.data)),
      fixture("session.yaml"), fixture("valid-minimal.yaml"),
      fixture("bomb-threat.yaml", shipped: true),
    ]
  }

  /// Replays a transcript through the engine (rendering every step, as `replay` does) and
  /// through the review, and compares what the review reports with what the engine produced.
  static func compare(_ data: Data, name: String, plan: ReviewPlan) throws {
    let reading = try TranscriptReader.read(data).get()
    let (driver, outcomes) = try TranscriptReader.replay(reading, on: plan.callProtocol).get()
    let session = driver.session
    let review = try CallReviewer.analyze(reading, plan: plan, file: name).get()
    func at(_ index: Int) -> Double { index == 0 ? 0 : reading.entries[index - 1].at }
    // Every instruction and relay the engine gave, at its time, and nothing else.
    var given: [String] = []
    for (index, outcome) in outcomes.enumerated() {
      // (What fell due at a moment the clock passed carries that moment's time.)
      given += outcome.instructions.map { "\($0.at ?? at(index)) instruction \($0.id)" }
      given += outcome.relays.map { "\($0.at ?? at(index)) relay \($0.id)" }
    }
    let marked = review.timeline.filter { $0.kind == .instruction || $0.kind == .relay }
      .map { "\($0.at) \($0.kind.rawValue) \($0.label)" }
    #expect(marked.sorted() == given.sorted(), "\(name)")
    // The first record, and the first record carrying each known fact (one that waited for
    // the record interval went out at its own time, before the event it came with).
    let records = outcomes.enumerated().flatMap { index, outcome in
      (outcome.dueRecord.map { [(at: $0.at, record: $0)] } ?? [])
        + (outcome.record.map { [(at: at(index), record: $0)] } ?? [])
    }
    #expect(review.dispatch?.at == records.first?.at, "\(name)")
    #expect(review.dispatch?.point == records.first?.record.dispatchPoint, "\(name)")
    for timing in review.facts {
      guard let known = timing.knownAt else { continue }
      let sources = Set(timing.fact.questions.map { plan.callProtocol.questions[$0].id })
      let carrying = records.first { entry in
        entry.at >= known
          && entry.record.fields.contains { sources.contains($0.source) && $0.value.isKnown }
      }
      #expect(timing.recordAt == carrying?.at, "\(name) \(timing.fact)")
      // The relay named as the first to carry the fact went out then.
      if let relayAt = timing.relayAt, let relay = timing.relay {
        let sent = outcomes.indices.contains { index in
          at(index) == relayAt && outcomes[index].relays.contains { $0.id == relay }
        }
        #expect(sent, "\(name) \(timing.fact)")
      }
    }
    #expect(
      review.unconfirmed.map(\.id)
        == session.raisedVerifications.filter { $0.status == .pending }.map(\.id), "\(name)")
    #expect(review.events == reading.entries.count)
    // Each override names the determinant the engine had before and after it.
    var overrides = review.overrides.makeIterator()
    for (index, entry) in reading.entries.enumerated() {
      guard case .override(_, let reason) = entry.event else { continue }
      let expected = overrides.next()
      #expect(expected?.code == outcomes[index + 1].determinant?.code)
      #expect(expected?.previousCode == outcomes[index].determinant?.code)
      #expect(expected?.reason == reason)
    }
    #expect(overrides.next() == nil)
  }

  @Test("the example transcripts", arguments: ReviewFixtures.exampleNames)
  func examples(name: String) throws {
    try Self.compare(try F.example(name), name: name, plan: F.plan)
  }

  @Test(
    "generated calls with volunteered answers, going back, notes and re-asks, on each protocol",
    arguments: Subject.all)
  func generated(subject: Subject) throws {
    var kinds: [String: Int] = [:]
    var relays = 0
    for seed in 0..<16 {
      let events = Self.generatedCall(seed: seed, on: subject.callProtocol)
      #expect(events.count > 20)
      for (_, event) in events { kinds[event.typeName, default: 0] += 1 }
      let data = F.transcript(
        events, on: subject.callProtocol, hash: subject.hash, callID: "generated-\(seed)")
      try Self.compare(data, name: "\(subject.name) generated-\(seed)", plan: subject.plan)
      let review = try CallReviewer.analyze(
        try TranscriptReader.read(data).get(), plan: subject.plan, file: "g"
      ).get()
      relays += review.timeline.filter { $0.kind == .relay }.count
    }
    for kind in ["answer", "note", "back", "disconnect", "callback", "end"] {
      #expect(kinds[kind, default: 0] > 0, "no \(kind) in the generated calls")
    }
    if !subject.callProtocol.relays.isEmpty { #expect(relays > 0, "no relay in any call") }
  }

  @Test(
    "the questions' conditions the engine keeps for the prompt equal a fresh evaluation after every step",
    arguments: Subject.all)
  func questionConditionsStayCurrent(subject: Subject) {
    for seed in 0..<16 {
      var session = Session(callProtocol: subject.callProtocol)
      #expect(session.questionConditionsAreCurrent)
      for (time, event) in Self.generatedCall(seed: seed, on: subject.callProtocol) {
        _ = session.apply(event, at: time)
        guard session.questionConditionsAreCurrent else {
          Issue.record("\(subject.name) seed \(seed): stale after \(event) at \(time)")
          return
        }
      }
    }
  }

  /// A call played against the engine: mostly answers to the prompt, some volunteered answers
  /// to lower-priority questions, a few "back"s, notes, pauses so re-asks fall due.
  static func generatedCall(seed: Int, on callProtocol: CallProtocol = F.builtIn)
    -> [(Double, SessionEvent)]
  {
    var session = Session(callProtocol: callProtocol)
    var events: [(Double, SessionEvent)] = []
    var time = 0.0
    var step = 0
    func play(_ event: SessionEvent) {
      if case .success = session.apply(event, at: time) { events.append((time, event)) }
    }
    let length = min(60, 6 * callProtocol.questions.count) + seed
    while events.count < length, step < 2_000 {
      step += 1
      time += Double(3 + (step * 7 + seed) % 9)
      let roll = (step * 31 + seed * 17) % 20
      if roll == 0 {
        play(.note("note \(step)"))
      } else if roll == 1 {
        play(.back)
      } else if roll == 2 {
        time += 50
        continue
      } else if roll == 3, step % 3 == 0,
        let rule = callProtocol.determinants.first(where: {
          $0.levelRank > (session.determinant?.levelRank ?? -1)
        })
      {
        play(.override(code: rule.code, reason: "reason \(step)"))
      } else if roll == 4 {
        play(session.callerConnected ? .disconnect : .callback)
      } else if roll < 7,
        let question = callProtocol.questions.reversed().first(where: {
          session.answers[$0.slot] == nil && session.applies($0)
            && $0.id != session.currentPrompt?.questionID
        })
      {
        play(.answer(question: question.id, value: value(for: question, step: step)))
      } else if let prompt = session.currentPrompt,
        let question = callProtocol.question(id: prompt.questionID)
      {
        play(.answer(question: question.id, value: value(for: question, step: step + seed)))
      } else if let question = callProtocol.questions[step % callProtocol.questions.count]
        as Question?, session.applies(question)
      {
        // Nothing on screen: a caller corrects an earlier answer.
        play(.answer(question: question.id, value: value(for: question, step: step)))
      } else {
        time += 30
        _ = session.advance(to: time)
      }
    }
    play(.end)
    for verification in session.raisedVerifications.prefix(2) {
      time += 30
      play(
        .confirm(
          verification: verification.id, confirmed: seed % 2 == 0, unit: "unit \(seed)", note: nil))
    }
    return events
  }

  static func value(for question: Question, step: Int) -> FactValue {
    switch question.kind {
    case .yesNo: return .yesNo(step % 3 != 0)
    case .oneOf: return .option(question.options[step % question.options.count].id)
    case .manyOf: return .options(Set(question.options.prefix(1 + step % 2).map(\.id)))
    case .count: return step % 4 == 0 ? .count(low: 2, high: 3) : .count(low: 1, high: 1)
    case .text, .location: return .text("answer \(step)")
    }
  }
}

@Suite("The fast transcript reader agrees with TranscriptReader")
struct TranscriptScannerTests {
  typealias F = ReviewFixtures

  static func same(_ a: TranscriptReading, _ b: TranscriptReading) -> Bool {
    a.header == b.header && a.entries == b.entries && a.lastHash == b.lastHash
      && a.tornTail == b.tornTail && a.goodLength == b.goodLength
  }

  @Test("the example transcripts read the same", arguments: ReviewFixtures.exampleNames)
  func examples(name: String) throws {
    let data = try F.example(name)
    let scanned = try #require(TranscriptScanner.read(data))
    let read = try TranscriptReader.decodeEveryLine(data).get()
    #expect(Self.same(scanned, read))
  }

  @Test(
    "every event line of the examples takes the fast path", arguments: ReviewFixtures.exampleNames)
  func fastPath(name: String) throws {
    let data = try F.example(name)
    let entries = try TranscriptReader.decodeEveryLine(data).get().entries
    let lines = data.split(separator: 0x0A).dropFirst().map { Array($0) }
    #expect(lines.count == entries.count)
    for (line, entry) in zip(lines, entries) {
      let decoded = line.withUnsafeBufferPointer { bytes in
        TranscriptScanner.decodeEvent(bytes, start: 0, end: bytes.count - 75)
      }
      #expect(decoded?.event == entry.event, "\(name) line \(entry.sequence + 1)")
      #expect(decoded?.at == entry.at)
      #expect(decoded?.sequence == Double(entry.sequence))
    }
  }

  @Test("escapes, non-ASCII text and numbers with decimals read the same")
  func unusualText() throws {
    let data = F.transcript([
      (1.25, F.text("location", "Café \"Zürich\" \\ back room\ttab 🚨 \u{7}")),
      (2.5, .note("line\nbreak, \u{2028} and ✓")),
      (3.125, F.option("what_happening", "shooting")),
      (4, .end),
    ])
    let scanned = try #require(TranscriptScanner.read(data))
    #expect(Self.same(scanned, try TranscriptReader.decodeEveryLine(data).get()))
  }

  /// An answer line with `value` written as given, sealed after the header of `data`.
  static func withAnswer(_ value: String, after data: Data) -> Data {
    let header = String(decoding: data.prefix { $0 != 0x0A }, as: UTF8.self)
    let previous = String(header.suffix(66).prefix(64))
    let body =
      "{\"at\":1,\"payload\":{\"question\":\"location\",\"value\":\(value)},\"prompt\":1,"
      + "\"seq\":1,\"type\":\"answer\",\"wall\":\"2026-01-01T00:00:01.000Z\"}"
    let hash = Transcript.sha256(Data((previous + body).utf8))
    return Data((header + "\n" + body.dropLast() + ",\"hash\":\"\(hash)\"}\n").utf8)
  }

  @Test(
    "answer values in the writer's layout and in others read the same",
    arguments: [
      #"{"text":"Main St"}"#, #"{"text":"caf\u00e9 \"x\""}"#, #"{"option":"shooting"}"#,
      #"{"yes_no":true}"#, #"{"yes_no":false}"#, #"{"options":["b","a"]}"#, #"{"options":[]}"#,
      #"{"options":["a","a"]}"#, #"{"unknown":true}"#, #"{"refused":true}"#,
      #"{"count":{"high":null,"low":2}}"#, #"{"count":{"high":3,"low":2}}"#,
      #"{ "text":"spaced"}"#, #"{"text":"a","text":"b"}"#, #"{"yes_no":1}"#,
      #"{"unknown":false}"#, #"{"options":["a",1]}"#, #"{"text":"x"} "#, #"{"option":"a","x":1}"#,
    ])
  func answerValues(value: String) throws {
    let data = Self.withAnswer(value, after: F.transcript([]))
    let read = TranscriptReader.decodeEveryLine(data)
    let scanned = TranscriptScanner.read(data)
    // The writer's own layouts are read (by both); the rest only as the reader reads them.
    let refused = [
      #"{"text":"a","text":"b"}"#, #"{"yes_no":1}"#, #"{"unknown":false}"#,
      #"{"options":["a",1]}"#, #"{"option":"a","x":1}"#,
    ]
    if case .failure = read, !refused.contains(value), !value.contains(" ") {
      Issue.record("the reader refused \(value)")
    }
    switch read {
    case .success(let reading):
      let fast = try #require(scanned, "the scanner refused \(value)")
      #expect(Self.same(fast, reading), "\(value)")
    case .failure:
      #expect(scanned == nil, "the scanner accepted \(value)")
    }
  }

  @Test("damaged copies: the fast reader never accepts what the reader refuses")
  func damaged() throws {
    let data = try F.example("09-nightclub-shooters-fled-vehicle.jsonl")
    var copies: [Data] = []
    for offset in Array(0..<600) + Array(stride(from: 600, to: data.count, by: 53)) {
      var copy = data
      copy[offset] ^= 0x01
      copies.append(copy)
    }
    for cut in stride(from: 0, to: data.count, by: 211) { copies.append(data.prefix(cut)) }
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    for index in 0..<(lines.count - 1) {
      var removed = lines
      removed.remove(at: index)
      copies.append(Data(removed.joined(separator: [0x0A])))
    }
    var accepted = 0
    for copy in copies {
      let read = TranscriptReader.decodeEveryLine(copy)
      guard let scanned = TranscriptScanner.read(copy) else { continue }
      accepted += 1
      guard case .success(let reading) = read else {
        Issue.record("the fast reader accepted a copy the reader refuses")
        continue
      }
      #expect(Self.same(scanned, reading))
    }
    // Cuts at line ends and the removal of the last line are still readable.
    #expect(accepted > 0)
  }

  @Test("damaged copies: the review skips exactly what verify refuses, with its message")
  func reviewMatchesVerify() throws {
    let data = try F.example("01-school-shooting-hiding.jsonl")
    var copies: [Data] = []
    for offset in stride(from: 0, to: data.count, by: 41) {
      var copy = data
      copy[offset] ^= 0x20
      copies.append(copy)
    }
    for cut in stride(from: 0, to: data.count, by: 389) { copies.append(data.prefix(cut)) }
    copies.append(Data("{\"not\":\"a transcript\"}\n".utf8))
    copies.append(Data())
    for copy in copies {
      let verified = TranscriptReader.verify(copy, allowIncomplete: true) { _ in F.builtIn }
      let reviewed = CallReviewer.review(copy, file: "copy.jsonl") { _ in F.plan }
      switch (verified, reviewed) {
      case (.success, .success): break
      case (.failure(let expected), .failure(let problem)): #expect(problem == expected)
      default: Issue.record("verify and review disagree: \(verified) / \(reviewed)")
      }
    }
  }

  @Test("an engine refusal on replay is reported as verify reports it")
  func refusedEvent() throws {
    let data = F.transcript([
      (5, F.text("location", "1 Main Street")),
      (10, F.option("what_happening", "no_such_option")),
      (15, .end),
    ])
    let reviewed = CallReviewer.review(data, file: "bad.jsonl") { _ in F.plan }
    guard case .failure(let problem) = reviewed else {
      Issue.record("a refused event was reviewed")
      return
    }
    #expect(problem.line == 3)
    #expect(problem.message.hasPrefix("the engine refuses this event on replay"))
  }
}

@Suite("The fast reader takes signed transcripts, and agrees with the line reader")
struct SignedScannerTests {
  /// `data` written again through a ``TranscriptWriter`` signed by `signer`.
  static func signed(_ data: Data, signer: TranscriptSigner = SigningTests.signer) throws -> Data {
    let reading = try TranscriptReader.decodeEveryLine(data).get()
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("\(reading.header.context.callID).jsonl").path
    let writer = try TranscriptWriter(creating: path, header: reading.header, signer: signer)
    for entry in reading.entries {
      try writer.append(
        entry.event, at: entry.at,
        wall: reading.header.context.startedAt.addingTimeInterval(entry.at), prompt: entry.prompt)
    }
    return try Data(contentsOf: URL(fileURLWithPath: path))
  }

  @Test("signed copies of the examples: the scanner reads them as the line reader does")
  func examples() throws {
    for name in ReviewFixtures.exampleNames {
      let plain = try ReviewFixtures.example(name)
      let data = try Self.signed(plain)
      let scanned = try #require(TranscriptScanner.read(data), "\(name) left the fast path")
      let read = try TranscriptReader.decodeEveryLine(data).get()
      #expect(TranscriptScannerTests.same(scanned, read), "\(name)")
      #expect(scanned.header.signingKey == SigningTests.signer.publicKey)
      #expect(scanned.entries == (try TranscriptReader.decodeEveryLine(plain).get().entries))
    }
  }

  @Test("damaged signed copies: the scanner steps aside and both readers say the same")
  func damaged() throws {
    let plain = try ReviewFixtures.example("09-nightclub-shooters-fled-vehicle.jsonl")
    let data = try Self.signed(plain)
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
    func joined(_ lines: [Data]) -> Data { Data(lines.map { $0 + [0x0A] }.joined().dropLast()) }
    var cases: [(String, Data)] = []
    // A signature flipped on the last line, one stripped in the middle, the attacker's key.
    var last = lines
    last[last.count - 2][last[last.count - 2].count - 5] ^= 0x01
    cases.append(("last signature flipped", joined(last)))
    var stripped = lines
    let middle = String(decoding: stripped[5], as: UTF8.self)
    if let range = middle.range(of: ",\"sig\":\"", options: .backwards) {
      stripped[5] = Data((middle[..<range.lowerBound] + "}").utf8)
    }
    cases.append(("a signature stripped", joined(stripped)))
    cases.append(("another key", try Self.signed(plain, signer: SigningTests.attacker)))
    let rewritten = try SigningTests.rechained(data, line: 4) {
      $0["at"] = .number(($0["at"]?.number ?? 0) + 0.001)
    }
    cases.append(("a line rewritten, the chain recomputed, signatures kept", rewritten))
    for (what, damaged) in cases {
      let slow = TranscriptReader.decodeEveryLine(damaged)
      let fast = TranscriptReader.read(damaged)
      switch (slow, fast) {
      case (.success(let a), .success(let b)):
        #expect(TranscriptScannerTests.same(a, b), "\(what)")
        #expect(what == "another key", "\(what) was accepted")
      case (.failure(let a), .failure(let b)): #expect(a == b, "\(what)")
      default: Issue.record("\(what): the readers disagree: \(slow) / \(fast)")
      }
    }
    // A signature changed in the middle, the content as signed: reading (the review) takes it,
    // the last signature vouching for every line; verify checks every one and names it.
    var changed = lines
    let text = String(decoding: changed[6], as: UTF8.self)
    let marker = try #require(text.range(of: ",\"sig\":\""))
    let offset = text.utf8.distance(from: text.startIndex, to: marker.upperBound) + 3
    changed[6][offset] =
      changed[6][offset] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
    let sigOnly = joined(changed)
    #expect(sigOnly != data)
    let fast = try TranscriptReader.read(sigOnly).get()
    let slow = try TranscriptReader.decodeEveryLine(sigOnly).get()
    #expect(TranscriptScannerTests.same(fast, slow))
    #expect(fast.entries == (try TranscriptReader.read(data).get().entries))
    let verified = TranscriptReader.verify(sigOnly, allowIncomplete: false) { _ in
      ReviewFixtures.builtIn
    }
    if case .failure(let problem) = verified {
      #expect(problem.line == 7 && problem.message.hasPrefix("bad signature"), "\(problem)")
    } else {
      Issue.record("verify took a changed signature")
    }
    // Rewritten with the chain recomputed: the first rewritten line is named, as before.
    if case .failure(let problem) = TranscriptReader.read(rewritten) {
      #expect(problem.line == 5 && problem.message.hasPrefix("bad signature"), "\(problem)")
    } else {
      Issue.record("a rewrite that recomputes the chain was accepted")
    }
  }
}
