import Foundation

/// Reviews one transcript: verifies it, replays it and measures what docs/review.md defines.
package enum CallReviewer {
  /// Reads, verifies and reviews a transcript.
  ///
  /// The checks are those of ``TranscriptReader/verify(_:allowIncomplete:protocolFor:)`` with
  /// `allowIncomplete` (a call that was never ended is reviewed and shown as such), and a
  /// failure carries the same line and message. `plan` gives the review plan of the protocol
  /// with the header's hash; nil when that protocol is not available.
  package static func review(
    _ data: Data, file: String, plan: (Transcript.Header) -> ReviewPlan?
  ) -> Result<CallReview, TranscriptProblem> {
    /// The verifier's own account of a failure, so messages never drift from `verify`.
    func authoritative(_ fallback: TranscriptProblem) -> TranscriptProblem {
      let result = TranscriptReader.verify(data, allowIncomplete: true) { plan($0)?.callProtocol }
      if case .failure(let problem) = result { return problem }
      return fallback
    }
    let reading: TranscriptReading
    switch TranscriptReader.read(data) {
    case .success(let value): reading = value
    case .failure(let problem): return .failure(problem)
    }
    let header = reading.header
    guard reading.tornTail == nil, let plan = plan(header),
      plan.callProtocol.id == header.protocolID,
      plan.callProtocol.version == header.protocolVersion
    else {
      return .failure(
        authoritative(TranscriptProblem(line: 1, message: "the transcript cannot be checked")))
    }
    switch analyze(reading, plan: plan, file: file) {
    case .success(let review): return .success(review)
    case .failure(let problem): return .failure(authoritative(problem))
    }
  }

  /// Replays a read transcript through the engine and measures it.
  static func analyze(
    _ reading: TranscriptReading, plan: ReviewPlan, file: String
  ) -> Result<CallReview, TranscriptProblem> {
    var analysis = CallAnalysis(plan: plan, language: reading.header.language)
    // A transcript that numbers prompts says which answers were given to a question on screen;
    // older ones leave it to the replay's view of the screen.
    let numbered = reading.entries.contains { $0.prompt != nil }
    for entry in reading.entries {
      let given: Bool? = numbered ? entry.prompt != nil : nil
      if let error = analysis.step(entry.event, at: entry.at, givenToPrompt: given) {
        return .failure(TranscriptReader.refusal(error, at: entry))
      }
    }
    return .success(analysis.finish(reading: reading, file: file))
  }
}

/// The running state of one call's review: the engine's session, stepped by the transcript's
/// events, and what the review measures from the effects each step decided.
struct CallAnalysis {
  /// A question on screen that waited while other questions were answered.
  struct Wait {
    var slot: Int
    var since: Double
    var instead: [Int]
    var viaPrompt: Bool
  }

  let plan: ReviewPlan
  let callProtocol: CallProtocol
  var session: Session
  var promptSlot: Int?
  var knownAt: [Double?]
  var knownSource: [Int?]
  var recordAt: [Double?]
  var relayAt: [Double?]
  var relayID: [Int?]
  /// For each fact, when its latest known answer came, and that time when a relay first
  /// carried it.
  var lastKnownAt: [Double?]
  var relayAnswerAt: [Double?]
  var dispatch: CallReview.Dispatch?
  var answers = 0
  var asked = 0
  var volunteered = 0
  var waits: [Wait] = []
  var closedWaits: [CallReview.PriorityWait] = []
  var misses: [ComplianceMiss] = []
  var overrides: [CallReview.Override] = []
  var timeline: [CallReview.Mark] = []

  init(plan: ReviewPlan, language: String) {
    self.plan = plan
    callProtocol = plan.callProtocol
    session = plan.startingSession(language: language)
    let facts = plan.facts.count
    knownAt = Array(repeating: nil, count: facts)
    lastKnownAt = Array(repeating: nil, count: facts)
    relayAnswerAt = Array(repeating: nil, count: facts)
    knownSource = Array(repeating: nil, count: facts)
    recordAt = Array(repeating: nil, count: facts)
    relayAt = Array(repeating: nil, count: facts)
    relayID = Array(repeating: nil, count: facts)
    promptSlot = session.currentPromptSlot
    // What the start showed: instructions due before any event.
    note(session.startEffects, at: 0)
  }

  /// Applies one event; the engine's refusal when it does not accept it.
  ///
  /// `givenToPrompt` says, when the transcript records it, whether an answer was given to the
  /// question on screen (asked) or named its question (volunteered).
  mutating func step(_ event: SessionEvent, at time: Double, givenToPrompt: Bool? = nil)
    -> SessionError?
  {
    // Moments the clock passed before the event, at which conditions reading it changed.
    while let moment = session.pendingMoment(before: time) {
      if let due = session.sendDueRecord(by: moment) {
        var record = StepEffects()
        record.record = true
        note(record, at: due)
      }
      let effects = session.passMoment(at: moment)
      note(effects, at: moment)
      promptSlot = effects.promptSlot
    }
    var shown = promptSlot
    var slot: Int?
    if let (id, _) = event.answered { slot = callProtocol.slotsByName[id] }
    if let slot, let givenToPrompt {
      if givenToPrompt {
        shown = slot
      } else if shown == slot {
        shown = nil
      }
    }
    // The prompt is the highest-priority question due, except after going back: then a
    // higher-priority question may be due while the one gone back to is answered.
    var passedOver: Int?
    if let slot, slot == shown, session.backTarget == slot {
      let priority = plan.priorities[slot]
      for index in callProtocol.askingOrder {
        guard plan.priorities[index] > priority else { break }
        if session.isDue(index) {
          passedOver = index
          break
        }
      }
    }
    let before = session.determinant
    // A record that waited for the record interval went out when its time came, before this
    // event: it carries what was known then. (A refused event ends the review.)
    if let due = session.sendDueRecord(by: time) {
      var record = StepEffects()
      record.record = true
      note(record, at: due)
    }
    let effects: StepEffects
    switch session.decide(event, at: time) {
    case .success(let decided): effects = decided
    case .failure(let error): return error
    }
    let at = session.now
    switch event {
    case .answer(_, let value):
      if let slot {
        noteAnswer(slot: slot, value: value, shown: shown, passedOver: passedOver, at: at)
      }
    case .callData(let item, _, let value):
      // Known from the phone system: its facts count from the time it came, like answers.
      if let slot, value.isKnown { noteKnown(slot: slot, at: at) }
      mark(at, .note, "call data: \(item)")
    case .override(let code, let reason):
      let state = session.determinant
      overrides.append(
        CallReview.Override(
          at: at, code: state?.code ?? code, level: state?.level ?? "", previousCode: before?.code,
          previousLevel: before?.level, reason: reason))
      mark(at, .override, code)
    case .note: mark(at, .note, "note")
    case .back: mark(at, .back, "back")
    case .confirm(let id, let confirmed, _, _):
      mark(at, .confirm, confirmed ? id : "\(id) refuted")
    case .disconnect: mark(at, .disconnect, "caller disconnected")
    case .callback: mark(at, .callback, "caller reached again")
    case .end: mark(at, .end, "call ended")
    case .link(let incident): mark(at, .note, "linked to \(incident)")
    case .unlink: mark(at, .note, "unlinked")
    case .aired(let relay): mark(at, .aired, relay)
    case .incidentFacts(let incident, let facts):
      mark(at, .note, "\(incident): " + facts.keys.sorted().joined(separator: ", "))
    }
    note(effects, at: at)
    closeWaits(answered: slot, at: at)
    promptSlot = effects.promptSlot
    return nil
  }

  mutating func noteAnswer(
    slot: Int, value: FactValue, shown: Int?, passedOver: Int?, at: Double
  ) {
    answers += 1
    let id = plan.questionIDs[slot]
    if value.isKnown { noteKnown(slot: slot, at: at) }
    if shown == slot {
      asked += 1
      mark(at, .asked, id)
      if let passedOver { wait(for: passedOver, instead: slot, viaPrompt: true, at: at) }
      return
    }
    volunteered += 1
    mark(at, .volunteered, id)
    if let shown, plan.priorities[shown] > plan.priorities[slot] {
      wait(for: shown, instead: slot, viaPrompt: false, at: at)
    }
  }

  /// Notes a known answer (or call data) to a question that establishes declared facts.
  mutating func noteKnown(slot: Int, at: Double) {
    for fact in plan.slotFacts[slot] {
      if knownAt[fact] == nil {
        knownAt[fact] = at
        knownSource[fact] = slot
      }
      lastKnownAt[fact] = at
    }
  }

  /// Starts or extends the wait of a higher-priority question.
  mutating func wait(for waiting: Int, instead slot: Int, viaPrompt: Bool, at: Double) {
    if let index = waits.firstIndex(where: { $0.slot == waiting }) {
      waits[index].instead.append(slot)
      waits[index].viaPrompt = waits[index].viaPrompt || viaPrompt
    } else {
      waits.append(Wait(slot: waiting, since: at, instead: [slot], viaPrompt: viaPrompt))
    }
  }

  /// Notes what the engine decided at a step: instructions, the first record, relays, and the
  /// first record and relay carrying each known fact.
  mutating func note(_ effects: StepEffects, at: Double) {
    for index in effects.instructions {
      let instruction = callProtocol.instructions[index]
      mark(at, .instruction, instruction.id)
      if instruction.required, !session.callerConnected {
        misses.append(
          ComplianceMiss(
            kind: .instruction, severity: instruction.interrupt ? .major : .minor,
            subject: instruction.id, at: at, wait: nil, answeredInstead: [],
            detail: "instruction '\(instruction.id)' fell due while the caller's line was down"))
      }
    }
    if let point = effects.dispatchReached {
      dispatch = CallReview.Dispatch(at: at, answers: answers, point: point)
      mark(at, .record, point)
    }
    let values = session.values
    // The timeline lists relays sent together in protocol order.
    for index in effects.relays.map(\.index).sorted() {
      mark(at, .relay, callProtocol.relays[index].id)
      for (fact, factSlots) in plan.relayFacts[index]
      where knownAt[fact] != nil && relayAt[fact] == nil
        && factSlots.contains(where: { values[$0].isKnown })
      {
        relayAt[fact] = at
        relayID[fact] = index
        relayAnswerAt[fact] = lastKnownAt[fact]
      }
    }
    if effects.record {
      for fact in knownAt.indices
      where knownAt[fact] != nil && recordAt[fact] == nil
        && plan.recordSlots[fact].contains(where: { values[$0].isKnown })
      {
        recordAt[fact] = at
      }
    }
  }

  /// Ends the waits of questions answered, no longer due, or left when the call ended.
  mutating func closeWaits(answered: Int?, at: Double) {
    guard !waits.isEmpty else { return }
    let current = waits
    waits = []
    for wait in current {
      if wait.slot == answered || session.ended || !session.isDue(wait.slot) {
        closeWait(wait, at: at)
      } else {
        waits.append(wait)
      }
    }
  }

  mutating func closeWait(_ wait: Wait, at: Double) {
    guard wait.viaPrompt || wait.instead.count > ComplianceScoring.volunteeredGrace else {
      return
    }
    let waited = at - wait.since
    let id = plan.questionIDs[wait.slot]
    let instead = wait.instead.map { plan.questionIDs[$0] }
    closedWaits.append(
      CallReview.PriorityWait(
        question: id, since: wait.since, wait: waited, answeredInstead: instead,
        viaPrompt: wait.viaPrompt))
    guard wait.viaPrompt else { return }
    misses.append(
      ComplianceMiss(
        kind: .priorityOrder, severity: waited >= ComplianceScoring.longWait ? .major : .minor,
        subject: id, at: wait.since, wait: waited, answeredInstead: instead,
        detail: "'\(id)' was due and waited \(CallAnalysis.seconds(waited)) while "
          + instead.map { "'\($0)'" }.joined(separator: ", ") + " was answered first"))
  }

  mutating func mark(_ at: Double, _ kind: CallReview.Mark.Kind, _ label: String) {
    timeline.append(CallReview.Mark(at: at, kind: kind, label: label))
  }

  /// Seconds as "12 s" or "12.5 s".
  static func seconds(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
  }

  /// The review, once every event has been applied.
  mutating func finish(reading: TranscriptReading, file: String) -> CallReview {
    let header = reading.header
    let endEvent = reading.entries.first { $0.event == .end }
    let duration = endEvent?.at ?? reading.entries.last?.at ?? 0
    let lastAt = reading.entries.last?.at ?? 0
    for wait in waits { closeWait(wait, at: lastAt) }
    waits = []
    var unaskedAfterDisconnect: [String] = []
    let values = session.values
    for slot in plan.requiredSlots
    where session.answers[slot] == nil && plan.callProtocol.tables.applies(slot, values) {
      let id = plan.questionIDs[slot]
      if !session.callerConnected {
        unaskedAfterDisconnect.append(id)
        continue
      }
      misses.append(
        ComplianceMiss(
          kind: .requiredQuestion, severity: plan.severityOfUnasked(slot),
          subject: id, at: duration, wait: nil, answeredInstead: [],
          detail: "required question '\(id)' applied at the end and was never answered"))
    }
    var facts: [CallReview.FactTiming] = []
    for (index, fact) in plan.facts.enumerated() {
      var timing = CallReview.FactTiming(
        fact: fact, knownAt: knownAt[index],
        source: knownSource[index].map { plan.questionIDs[$0] }, recordAt: recordAt[index],
        relayAt: relayAt[index], relay: relayID[index].map { callProtocol.relays[$0].id })
      timing.relayAnswerAt = relayAnswerAt[index]
      facts.append(timing)
      if timing.neverOut, let knownAt = timing.knownAt {
        misses.append(
          ComplianceMiss(
            kind: .factNotRelayed, severity: fact.severity, subject: fact.id, at: knownAt,
            wait: nil, answeredInstead: [],
            detail: "\(fact.title) was known from \(callClock(knownAt)) ('\(timing.source ?? "")')"
              + " and never went out in a record or a relay"))
      }
      if timing.late, let relayAt = timing.relayAt, let latency = timing.relayLatency,
        let within = fact.within
      {
        misses.append(
          ComplianceMiss(
            kind: .factLate, severity: fact.severity.lighter, subject: fact.id, at: relayAt,
            wait: latency, answeredInstead: [],
            detail: "\(fact.title) went out in relay '\(timing.relay ?? "")' at "
              + "\(callClock(relayAt)), \(CallAnalysis.seconds(latency)) after the answer it "
              + "carried; the target is \(CallAnalysis.seconds(within))"))
      }
    }
    let unconfirmed = session.sent.verificationOrder.compactMap { id -> CallReview.Unconfirmed? in
      guard let state = session.sent.verifications[id], state.status == .pending else { return nil }
      return CallReview.Unconfirmed(id: id, confirm: state.confirm, raisedAt: state.raisedAt)
    }
    let ordered = misses.enumerated().sorted {
      ($0.element.at, $0.offset) < ($1.element.at, $1.offset)
    }.map(\.element)
    var review = CallReview(
      file: file, callID: header.context.callID, agency: header.context.agencyID,
      position: header.context.agentID, language: header.language,
      protocolID: header.protocolID, protocolVersion: header.protocolVersion,
      protocolHash: header.protocolHash, startedAt: header.context.startedAt,
      ended: endEvent != nil, duration: duration, events: reading.entries.count,
      answers: answers, asked: asked, volunteered: volunteered, dispatch: dispatch,
      facts: facts, compliance: Compliance(misses: ordered),
      waits: closedWaits.sorted { $0.since < $1.since }, overrides: overrides,
      unconfirmed: unconfirmed, unaskedAfterDisconnect: unaskedAfterDisconnect,
      callerConnectedAtEnd: session.callerConnected, timeline: timeline)
    review.signingKey = header.signingKey
    review.airings = FactAiring.airings(facts: facts, entries: reading.entries)
    review.borrowedFacts = plan.borrowedFacts
    return review
  }

}
