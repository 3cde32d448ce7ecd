/// One call in progress: a pure function of a compiled protocol and the events applied so far.
///
/// After each event the session yields the next prompt, the caller instructions and relays that
/// became due, the determinant and, once a dispatch point is reached, a full record snapshot on
/// every change. Time is given with each event (call-clock seconds); the session never reads a
/// clock. A refused event leaves the session exactly as it was.
public struct Session: Sendable {
  public let callProtocol: CallProtocol
  /// The language questions and instructions are shown in.
  public let language: String
  /// When the call started in real time, for clock times in relays; nil in bare tests.
  public let timeline: CallTimeline?

  /// The answers as given, in order, and the question gone back to.
  var answerHistory: AnswerHistory
  /// Current answers by question slot (nil when never answered).
  public var answers: [AnswerEntry?] { answerHistory.entries }
  /// The question whose answer the call-taker went back to correct (`/back`), until it is
  /// answered again.
  var backTarget: Int? { answerHistory.backTarget }
  /// Effective values by slot: off-route answers read as unanswered.
  public internal(set) var values: [FactValue]
  /// The questions' own conditions for ``values``, kept current by ``recompute(answered:)``.
  var questionConditions: QuestionConditions
  /// Counts changes of ``values``: what is worked out from the values alone is kept with the
  /// revision it was worked out at (the determinant and medical rows).
  var valuesRevision = 0
  /// The first determinant and medical rows that held at ``valuesRevision`` `revision`.
  var determinantRows: (revision: Int, rule: Int?, medical: Int?)?
  /// Call-clock seconds of the latest event.
  public internal(set) var now: Double = 0
  /// Number of events applied.
  public internal(set) var eventCount = 0
  public internal(set) var ended = false
  /// The incident the call-taker linked the call to (a `link` event), nil when none or unlinked.
  public internal(set) var linkedIncident: String?
  /// What the other calls of the incident established, by incident fact name (the latest
  /// `incident_facts` event; emptied by a `link` or `unlink`), and the incident it came from.
  public internal(set) var incidentFacts: [String: FactValue] = [:]
  public internal(set) var incidentFactsSource: String?
  /// ``incidentFacts`` by the protocol's incident facts (``CallProtocol/incidentFacts``).
  var incidentValues: [FactValue] = []
  public internal(set) var callerConnected = true
  public internal(set) var notes: [CallNote] = []
  /// The question shown when the last event was applied.
  public var currentPrompt: Prompt? { currentPromptSlot.map { prompt(slot: $0) } }
  /// The slot of ``currentPrompt``.
  package internal(set) var currentPromptSlot: Int?
  public internal(set) var determinant: DeterminantState?
  /// What the call has sent: dispatch point, instructions, relays, verifications.
  var sent: SentEffects
  /// Instructions given, with the time.
  public var instructionsGiven: [String: Double] { sent.instructionsGiven }
  /// When records go out and what changed since the last one.
  var records: RecordTracking
  /// Sequence number of the last record sent; 0 before the first dispatch point.
  public var recordSequence: Int { records.sequence }
  public var lastRecord: RecordSnapshot? { records.last }
  /// When the record waiting for the record interval goes out (call-clock seconds).
  ///
  /// Nil when none waits. A change that does not alter the response waits for it;
  /// ``advance(to:)`` sends it once the clock is past this time, stamped with this time; an
  /// event after it sends it first, and one at this very time goes out with it.
  public var recordDueAt: Double? { records.dueAt }
  /// Seconds between records for changes that do not alter the response (the protocol's
  /// `records: interval:`).
  public var recordInterval: Double { records.interval }
  /// The next moment (call-clock seconds, to the millisecond) at which a condition reading the
  /// clock (`elapsed`, `age(q)`) can change with no event; nil when none can, the protocol
  /// never reads the clock, or the call ended.
  ///
  /// It depends on the state only, never on when the clock was looked at: ``advance(to:)`` and
  /// every event step through each moment before their time (``passMoment(at:)``), so a live
  /// call, its replay and its review decide alike.
  public internal(set) var timeMoment: Double?
  var overrideRule: Int?
  var overrideReason: String?
  var determinantUpdatedAt: Double = 0
  /// What the determinant was last worked out from (see ``updateDeterminant(into:)``).
  var determinantInputs: DeterminantInputs?

  /// Starts a call; `at` is the call-clock time of the start (normally 0).
  public init(
    callProtocol: CallProtocol, language: String? = nil, at: Double = 0,
    timeline: CallTimeline? = nil
  ) {
    self.callProtocol = callProtocol
    self.timeline = timeline
    self.language =
      language.flatMap { callProtocol.languages.contains($0) ? $0 : nil } ?? callProtocol.language
    answerHistory = AnswerHistory(questions: callProtocol.questions.count)
    values = Array(repeating: .unanswered, count: callProtocol.slotCount)
    questionConditions = QuestionConditions(count: callProtocol.questions.count)
    sent = SentEffects(
      relays: callProtocol.relays.count, instructions: callProtocol.instructions.count)
    incidentValues = Array(repeating: .unanswered, count: callProtocol.incidentFacts.count)
    now = at
    records = RecordTracking(callProtocol: callProtocol)
    recompute()
    var effects = StepEffects()
    decideEffects(into: &effects, scope: nil)
    updateTimeMoment()
    startEffects = effects
    startOutcome = render(effects)
  }

  /// What the session showed at the start of the call: the first prompt and anything due.
  public internal(set) var startOutcome = StepOutcome()
  /// What the start decided, by index.
  package internal(set) var startEffects = StepEffects()

  // MARK: - Applying events

  /// Applies an event at call-clock time `at`; on failure the session is unchanged.
  @discardableResult
  ///
  /// A record waiting for the record interval whose time passed before `at` goes out first, in
  /// ``StepOutcome/dueRecord``, stamped with its own time.
  public mutating func apply(_ event: SessionEvent, at time: Double) -> Result<
    StepOutcome, SessionError
  > {
    if case .failure(let error) = validate(event, at: time) { return .failure(error) }
    let earlier = passMoments(before: time)
    // Built before the event changes the state it shows.
    var due: RecordSnapshot?
    if sendDueRecord(by: time) != nil {
      due = recordSnapshot()
      records.last = due
    }
    return decide(event, at: time).map {
      var outcome = render($0)
      outcome.dueRecord = due
      if let earlier { outcome.follow(earlier) }
      return outcome
    }
  }

  /// Steps through every moment before `time` at which a condition reading the clock can
  /// change (``timeMoment``), each with the record that waited for the record interval before
  /// it; what they brought, in one outcome (nil when no moment passed).
  mutating func passMoments(before time: Double) -> StepOutcome? {
    var earlier: StepOutcome?
    while let moment = pendingMoment(before: time) {
      var due: RecordSnapshot?
      if sendDueRecord(by: moment) != nil {
        due = recordSnapshot()
        records.last = due
      }
      var step = render(passMoment(at: moment))
      step.dueRecord = due
      for index in step.instructions.indices { step.instructions[index].at = moment }
      for index in step.relays.indices { step.relays[index].at = moment }
      for index in step.withdrawnRelays.indices { step.withdrawnRelays[index].at = moment }
      if let earlier { step.follow(earlier) }
      earlier = step
    }
    return earlier
  }

  /// ``timeMoment`` when it comes before `time`.
  package func pendingMoment(before time: Double) -> Double? {
    guard let moment = timeMoment, moment < time else { return nil }
    return moment
  }

  /// Moves the clock to `moment` (a ``timeMoment``) and decides what fell due there.
  ///
  /// A record that waited for the record interval and whose time came before the moment must
  /// be sent first (``sendDueRecord(by:)``).
  package mutating func passMoment(at moment: Double) -> StepEffects {
    var effects = StepEffects()
    now = max(now, moment)
    recompute(clock: true)
    decideEffects(into: &effects, scope: callProtocol.tables.clockAffected)
    updateTimeMoment()
    return effects
  }

  /// Works out ``timeMoment`` from the state after a step.
  mutating func updateTimeMoment() {
    let tables = callProtocol.tables
    guard let slot = tables.clockSlot, !ended, case .count(let clock, _) = values[slot],
      let wait = tables.millisecondsToClockChange(values)
    else {
      timeMoment = nil
      return
    }
    timeMoment = Double(clock + wait) / 1000
  }

  /// A call-clock time in whole milliseconds, as the clock fact holds it.
  static func milliseconds(_ seconds: Double) -> Int {
    let value = (seconds * 1000).rounded()
    guard value.isFinite, abs(value) < 1e15 else { return 0 }
    return Int(value)
  }

  /// Applies an event at call-clock time `at` and decides what fell due, without rendering
  /// texts (see ``render(_:)``); on failure the session is unchanged.
  package mutating func decide(_ event: SessionEvent, at time: Double) -> Result<
    StepEffects, SessionError
  > {
    if case .failure(let error) = validate(event, at: time) { return .failure(error) }
    // Moments the clock passed first (a consumer that wants what they brought steps through
    // them itself, ``passMoment(at:)``).
    while let moment = pendingMoment(before: time) {
      _ = sendDueRecord(by: moment)
      _ = passMoment(at: moment)
    }
    var effects = StepEffects()
    // A record whose time came goes out before the event: its time and content never depend
    // on whether the clock was advanced to it first.
    effects.dueRecordAt = sendDueRecord(by: time)
    var scope: EvaluationTables.Affected?
    let answered = event.answered.flatMap { callProtocol.slotsByName[$0.question] }
    if let slot = answered, let (_, value) = event.answered {
      effects.warnings = warnings(for: slot, value: value)
      scope = callProtocol.tables.affected[slot]
    } else if event.changesLine, let line = callProtocol.tables.lineAffected {
      scope = line
    } else if event.changesIncidentFacts, !callProtocol.incidentFacts.isEmpty {
      scope = nil  // rare: every effect is looked at again
    } else {
      // No value changed: no condition can have started to hold.
      scope = .nothing
    }
    change(by: event, at: time, answered: answered)
    if let answered {
      recompute(answered: answered)
    } else if event.changesLine, callProtocol.lineDroppedSlot != nil {
      recompute()
    } else if event.changesIncidentFacts, !callProtocol.incidentFacts.isEmpty {
      recompute()
    }
    if let clockAffected = callProtocol.tables.clockAffected {
      recompute(clock: true)
      scope = scope.map { $0.merging(clockAffected) }
    }
    decideEffects(into: &effects, scope: scope)
    if case .back = event, let slot = backTarget { withdrawRelays(reading: slot, into: &effects) }
    updateTimeMoment()
    return .success(effects)
  }

  /// Changes the state as a validated event says; values and effects are derived after.
  ///
  /// `answered` is the slot of the question an answer is for.
  mutating func change(by event: SessionEvent, at time: Double, answered: Int?) {
    now = max(now, time)
    eventCount += 1
    switch event {
    case .answer(_, let value), .callData(_, _, let value):
      guard let slot = answered else { break }
      record(answer: value, slot: slot)
    case .note(let text):
      notes.append(CallNote(at: now, text: text))
      records.noteChange()
    case .back:
      answerHistory.goBack()
    case .override(let code, let reason):
      overrideRule = callProtocol.determinants.firstIndex { $0.code == code }
      overrideReason = reason
      determinantInputs = nil
    case .confirm(let id, let confirmed, let unit, let note):
      if sent.confirm(id, confirmed: confirmed, unit: unit, note: note, at: now) {
        records.noteChange()
      }
    case .disconnect:
      callerConnected = false
      records.noteChange()
    case .callback:
      callerConnected = true
      records.noteChange()
    case .end:
      ended = true
      records.noteChange(urgent: true)
    case .link(let incident):
      linkedIncident = incident
      records.noteChange(urgent: true)
      setIncidentFacts([:], from: nil)
    case .unlink:
      linkedIncident = nil
      records.noteChange(urgent: true)
      setIncidentFacts([:], from: nil)
    case .incidentFacts(let incident, let facts):
      setIncidentFacts(facts, from: incident)
    case .aired(let relay):
      if let index = callProtocol.relays.firstIndex(where: { $0.id == relay }) {
        sent.markAired(relay: index, at: now)
      }
    }
  }

  /// Keeps what the incident's other calls established; values are recomputed after.
  mutating func setIncidentFacts(_ facts: [String: FactValue], from incident: String?) {
    incidentFacts = facts
    incidentFactsSource = incident
    incidentValues = callProtocol.incidentFacts.map { facts[$0.name] ?? .unanswered }
  }

  /// Lets time pass without an event, so re-asks may fall due; returns the new prompt, and the
  /// record waiting for the record interval if its time came (stamped with its own time).
  ///
  /// Every moment before `time` at which a condition reading the clock can change is stepped
  /// through first, at its own time; the outcome carries what they brought.
  public mutating func advance(to time: Double) -> StepOutcome {
    let earlier = passMoments(before: time)
    var effects = StepEffects()
    effects.record = sendDueRecord(by: time) != nil
    now = max(now, time)
    decideEffects(into: &effects, scope: nil)
    var outcome = render(effects)
    if let earlier { outcome.follow(earlier) }
    return outcome
  }

  // MARK: - State

  mutating func record(answer value: FactValue, slot: Int) {
    // A record carries when each recorded answer came (to the millisecond).
    if records.isRecordSlot[slot], answerTime(slot) != Self.millisecondValue(now) {
      records.noteChange()
    }
    let correcting = backTarget == slot
    if let previous = answerHistory.take(value, slot: slot, at: now) {
      noteConflict(slot: slot, previous: previous, current: value, correcting: correcting)
    }
  }

  /// Soft-check messages for a proposed answer (hard checks are enforced in `validate`).
  func warnings(for slot: Int, value: FactValue) -> [String] {
    guard !callProtocol.questions[slot].checks.isEmpty else { return [] }
    let question = callProtocol.questions[slot]
    var proposed = values
    proposed[slot] = value
    return question.checks.filter { $0.level == .warn && $0.condition.evaluate(proposed) }
      .map { $0.message.text(in: language) }
  }

  /// Recomputes effective values in dependency order: those that can depend on the answer to
  /// question `answered`, or all of them.
  ///
  /// With `clock`, the clock's value is set from ``now`` and what reads it is recomputed.
  mutating func recompute(answered: Int? = nil, clock: Bool = false) {
    let tables = callProtocol.tables
    let questionCount = answers.count
    let order =
      clock
      ? tables.clockInfluenced ?? callProtocol.evaluationOrder
      : answered.flatMap { tables.influenced[$0] } ?? callProtocol.evaluationOrder
    let clockMilliseconds = Self.milliseconds(now)
    // Work on a local copy so the evaluations read it without exclusivity checks.
    var values = self.values
    self.values = []
    let lineDropped = !callerConnected
    var changedSlots: [Int] = []
    answers.withUnsafeBufferPointer { answers in
      for slot in order {
        let value: FactValue
        if slot < questionCount {
          if let answer = answers[slot]?.value, tables.applies(slot, values) {
            value = answer
          } else {
            value = .unanswered
          }
        } else {
          let index = slot - questionCount
          if index == tables.lineDroppedIndex {
            value = .condition(lineDropped)
          } else if tables.derivedIsCondition[index] {
            value = .condition(tables.derivedCondition[index].holds(values))
          } else if tables.incidentFactIndex[index] >= 0 {
            value = incidentValues[tables.incidentFactIndex[index]]
          } else if index == tables.clockIndex {
            value = .count(low: clockMilliseconds, high: clockMilliseconds)
          } else if tables.observedQuestion[index] >= 0 {
            let question = tables.observedQuestion[index]
            value =
              answers[question].map {
                let seen = datedAt(question, answeredAt: $0.at, values: values) ?? $0.at
                return .count(low: Self.milliseconds(seen), high: Self.milliseconds(seen))
              } ?? .unanswered
          } else {
            var result = FactValue.unanswered
            for row in tables.derivedRows[index]
            where !tables.rowHasWhen[row] || tables.rowWhen[row].holds(values) {
              result = tables.rowValue[row]
              break
            }
            value = result
          }
        }
        if values[slot] != value { changedSlots.append(slot) }
        values[slot] = value
      }
    }
    records.noteValuesChanged(changedSlots)
    if answered == nil && !clock {
      questionConditions.refreshAll(tables, values)
      valuesRevision += 1
    } else if !changedSlots.isEmpty {
      questionConditions.refresh(readersOf: changedSlots, tables, values)
      valuesRevision += 1
    }
    self.values = values
  }

  /// When the fact a question holds was seen or heard, in call-clock seconds.
  ///
  /// That is when its latest answer came, moved back by a later answer to a question that dates
  /// it ("when did you last see the attacker?"); negative when before the call started. Nil
  /// when never answered.
  public func observedAt(_ slot: Int) -> Double? {
    guard slot < answers.count, let entry = answers[slot] else { return nil }
    return datedAt(slot, answeredAt: entry.at) ?? entry.at
  }

  /// The time a dating answer gives a fact answered at `answeredAt`; nil when none dates it.
  ///
  /// `values` are the effective values to read the dating answers from (the session's own
  /// unless given: ``recompute(answered:clock:)`` works on a copy).
  func datedAt(_ slot: Int, answeredAt: Double, values: [FactValue]? = nil) -> Double? {
    var dated: Double?
    let values = values ?? self.values
    for dating in callProtocol.datedBy[slot] {
      guard let entry = answers[dating], entry.at >= answeredAt,
        case .option(let id) = values[dating],
        let ago = callProtocol.questions[dating].option(id: id)?.ago
      else { continue }
      dated = min(dated ?? answeredAt, entry.at - ago)
    }
    return dated
  }

  /// True when the question was answered but no longer applies.
  public func isOffRoute(_ questionID: String) -> Bool {
    guard let slot = callProtocol.slotsByName[questionID], slot < answers.count,
      answers[slot] != nil
    else { return false }
    return values[slot] == .unanswered
  }

  /// Whether a question applies now.
  public func applies(_ question: Question) -> Bool {
    questionConditions.applies[question.slot]
  }
}

func hex(_ value: UInt32) -> String {
  let digits = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

extension Session {
  /// When dispatch put the relay with `id` on the air (call-clock seconds), nil while not aired.
  public func relayAiredAt(_ id: String) -> Double? {
    callProtocol.relays.firstIndex { $0.id == id }.flatMap { sent.relaysAired[$0] }
  }
}
