/// Calls made up at random from a seed, played through the ``CallDriver`` the way callers and
/// call-takers behave (answers after 0 to 180 s, unknowns, volunteered facts, pauses, notes),
/// and checked: every accepted answer is recorded against the prompt on screen when it was
/// given (or the question it named), replaying the recorded events gives the same records
/// (the live call also let time pass without events, and looked at the clock at random times
/// between them), and the last record is the one a record
/// at every change would give.
///
/// The tests play a few thousand; `callscript-bench` plays many more.
public struct GeneratedCall: Sendable {
  /// What one generated call did and what was wrong with it.
  public struct Result: Sendable {
    public var seed: UInt64
    /// Events recorded, answers among them checked.
    public var events: Int
    public var answers: Int
    public var records: Int
    /// Each broken rule, with the seed to play the call again.
    public var problems: [String]
  }

  /// A small deterministic generator (SplitMix64), so a seed names a call.
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// A plausible typed answer for a question.
  static func input(for question: Question, using random: inout Seeded) -> String {
    switch question.kind {
    case .yesNo: return Bool.random(using: &random) ? "y" : "n"
    case .oneOf, .manyOf:
      return question.options.randomElement(using: &random).map { String($0.key) } ?? "u"
    case .count: return String(Int.random(in: 0...12, using: &random))
    case .text, .location:
      return ["room 214", "east stairs", "white male, red cap", "toward the gym", "555-0188"]
        .randomElement(using: &random) ?? "x"
    }
  }

  /// Plays the call `seed` names on `callProtocol`, starting on `timeline`.
  public static func play(
    seed: UInt64, on callProtocol: CallProtocol, timeline: CallTimeline? = nil
  ) -> Result {
    var random = Seeded(state: seed)
    var driver = CallDriver(session: Session(callProtocol: callProtocol, timeline: timeline))
    var entries: [Transcript.Entry] = []
    var records: [RecordSnapshot] = []
    var problems: [String] = []
    var at = 0.0
    var answers = 0
    func handle(_ action: CallAction) -> DriverOutcome {
      driver.handle(action, at: at) { event, time, prompt in
        entries.append(
          Transcript.Entry(sequence: entries.count + 1, at: time, event: event, prompt: prompt))
      }
    }
    for _ in 0..<Int.random(in: 10...45, using: &random) {
      if driver.session.ended { break }
      let previous = at
      at += Double(Int.random(in: 0...180, using: &random))
      // The clock is looked at now and then while the caller speaks (a terminal about once a
      // second; here at a few random times): the replay, which never looks, must agree.
      var looked = previous
      for _ in 0..<Int.random(in: 0...3, using: &random) where looked < at {
        looked += Double(Int.random(in: 0...Int(at - looked), using: &random))
        records += driver.tick(to: looked).records
      }
      // Sometimes the input comes at the very moment a condition reading the clock turns, and
      // the clock was looked at just then.
      if let moment = driver.session.timeMoment, moment > looked, moment <= at + 60,
        Int.random(in: 0..<4, using: &random) == 0
      {
        at = moment
        records += driver.tick(to: at).records
      }
      let before = driver.prompt
      let roll = Int.random(in: 0..<100, using: &random)
      let action: CallAction
      var named: String?
      if roll < 65, let before, let slot = callProtocol.slotsByName[before.questionID] {
        let question = callProtocol.questions[slot]
        action = .answer(.typed(input(for: question, using: &random)), to: .onScreen)
      } else if roll < 75, before != nil {
        action = .answer(.value(.unknown), to: .onScreen)
      } else if roll < 92, let question = callProtocol.questions.randomElement(using: &random) {
        named = question.id
        action = .answer(.typed(input(for: question, using: &random)), to: .question(question.id))
      } else if roll < 97 {
        action = .wait
      } else {
        action = .note("caller whispering")
      }
      let count = entries.count
      let outcome = handle(action)
      records += outcome.records
      guard outcome.error == nil, entries.count > count, let entry = entries.last,
        case .answer(let question, _) = entry.event
      else { continue }
      answers += 1
      let expected = named ?? before?.questionID
      let expectedPrompt = named == nil || named == before?.questionID ? before?.number : nil
      if question != expected {
        problems.append(
          "seed \(seed): an answer given for '\(expected ?? "none")' went to '\(question)'")
      }
      if entry.prompt != expectedPrompt {
        problems.append(
          "seed \(seed): answer to '\(question)' recorded with prompt "
            + "\(entry.prompt.map(String.init) ?? "none"), expected "
            + (expectedPrompt.map(String.init) ?? "none"))
      }
    }
    at += 1
    records += handle(.end).records
    var replayed = CallDriver(
      session: Session(callProtocol: callProtocol, timeline: timeline), showing: false)
    var again: [RecordSnapshot] = []
    for entry in entries {
      switch replayed.replay(entry) {
      case .success(let outcome): again += outcome.records
      case .failure(let error):
        problems.append("seed \(seed): replay refused event \(entry.sequence): \(error.message)")
      }
    }
    if again != records {
      problems.append("seed \(seed): the replay gives other records than the live call")
    }
    // Coalescing changes how many records go out, never the last: the call as it ended.
    var everyChange = callProtocol
    everyChange.recordInterval = 0
    var uncoalesced = CallDriver(
      session: Session(callProtocol: everyChange, timeline: timeline), showing: false)
    for entry in entries { _ = uncoalesced.replay(entry) }
    if var last = records.last, var expected = uncoalesced.session.lastRecord {
      (last.sequence, expected.sequence) = (0, 0)
      if last != expected {
        problems.append(
          "seed \(seed): the last record differs from the one a record at every change gives")
      }
    } else if records.last != nil || uncoalesced.session.lastRecord != nil {
      problems.append("seed \(seed): a record went out with one interval and not the other")
    }
    return Result(
      seed: seed, events: entries.count, answers: answers, records: records.count,
      problems: problems)
  }
}
