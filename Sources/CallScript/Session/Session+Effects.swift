extension Session {
  /// Decides every effect that became due after a change, and the prompt.
  ///
  /// `scope` lists what the change can make due (``EvaluationTables/affected``); nil looks at
  /// everything. When the first dispatch point is reached, every relay and verification is
  /// looked at: none went out before it.
  mutating func decideEffects(
    into effects: inout StepEffects, scope: EvaluationTables.Affected?
  ) {
    let tables = callProtocol.tables
    if sent.dispatchPoint == nil,
      let index = tables.dispatchWhen.indices.first(where: { tables.dispatchWhen.holds($0, values) }
      )
    {
      sent.reach(dispatchPoint: callProtocol.dispatchPoints[index].id)
      effects.dispatchReached = sent.dispatchPoint
    }
    updateDeterminant(into: &effects)
    if !ended {
      dueInstructions(among: scope?.instructions, into: &effects)
    }
    if sent.dispatchPoint != nil {
      let all = effects.dispatchReached != nil
      dueRelays(among: all ? nil : scope?.relays, into: &effects)
      dueVerifications(among: all ? nil : scope?.verifications, into: &effects)
      recordIfChanged(into: &effects)
    }
    effects.promptSlot = nextPromptSlot()
    currentPromptSlot = effects.promptSlot
  }

  /// What a step decided, in words: instruction and relay texts, the record snapshot, the
  /// prompt, rendered from the state the step left (call it before the next step).
  package mutating func render(_ effects: StepEffects) -> StepOutcome {
    var outcome = StepOutcome()
    outcome.warnings = effects.warnings
    outcome.instructions = effects.instructions.map { index in
      let instruction = callProtocol.instructions[index]
      return DueInstruction(
        id: instruction.id, text: instruction.say.text(in: language),
        interrupt: instruction.interrupt)
    }
    outcome.determinant = effects.determinant
    outcome.determinantChanged = effects.determinantChanged
    outcome.relays = effects.relays.map { due in
      let relay = callProtocol.relays[due.index]
      let text = render(relay.text)
      sent.setText(text, ofRelay: due.index)
      return RelayMessage(
        id: relay.id, text: text, priority: relay.priority, isUpdate: due.isUpdate)
    }
    outcome.withdrawnRelays = effects.withdrawn.map { index in
      let relay = callProtocol.relays[index]
      let text = sent.relays[index]?.text ?? render(relay.text)
      return RelayMessage(
        id: relay.id, text: Self.withdrawnMark + text, priority: relay.priority, isUpdate: true,
        isWithdrawn: true)
    }
    outcome.verifications = effects.verifications
    if effects.record {
      let snapshot = recordSnapshot()
      records.last = snapshot
      outcome.record = snapshot
    }
    outcome.prompt = effects.promptSlot.map { prompt(slot: $0) }
    return outcome
  }

  // MARK: - Prompt

  /// The question to ask now: a question the call-taker went back to, else the highest-priority
  /// question that applies and is unanswered or whose answer has gone stale.
  func nextPrompt() -> Prompt? {
    nextPromptSlot().map { prompt(slot: $0) }
  }

  /// The slot of the question ``nextPrompt()`` shows, without building the prompt.
  func nextPromptSlot() -> Int? {
    if ended { return nil }
    if let slot = backTarget, questionConditions.applies[slot] { return slot }
    let conditional = callProtocol.hasConditionalPriority
    return answers.withUnsafeBufferPointer { answers in
      // `priority_if` can move a question ahead: the highest effective priority among the
      // questions due wins, asking order breaking ties. Without it the first due wins.
      var best: (slot: Int, priority: Int)?
      for index in callProtocol.askingOrder where isDue(index, answeredAt: answers[index]?.at) {
        guard conditional else { return index }
        let priority = questionConditions.priority[index]
        if best == nil || priority > best?.priority ?? 0 { best = (index, priority) }
      }
      return best?.slot
    }
  }

  /// Whether a question is due: unanswered and applies, or answered and due for a re-ask.
  func isDue(_ slot: Int) -> Bool {
    isDue(slot, answeredAt: answers[slot]?.at)
  }

  func isDue(_ slot: Int, answeredAt: Double?) -> Bool {
    guard let at = answeredAt else { return questionConditions.applies[slot] }
    guard let every = callProtocol.tables.reaskEvery[slot], now - at >= every else {
      return false
    }
    if case .unanswered = values[slot] { return false }
    return questionConditions.reaskHolds[slot]
  }

  /// The prompt for the question in `slot`, marked as a re-ask or a return as the engine sees it.
  func prompt(slot: Int) -> Prompt {
    prompt(
      for: callProtocol.questions[slot], reask: answers[slot] != nil && slot != backTarget,
      back: slot == backTarget)
  }

  /// Whether the question in `slot` applies now.
  func applies(_ slot: Int) -> Bool {
    questionConditions.applies[slot]
  }

  /// Whether the questions' conditions kept for the prompt equal a fresh evaluation (tests).
  package var questionConditionsAreCurrent: Bool {
    questionConditions.isCurrent(callProtocol.tables, values)
  }

  /// The prompt for a question, in the session's language.
  public func prompt(for question: Question, reask: Bool = false, back: Bool = false) -> Prompt {
    var choices = question.options.map {
      Prompt.Choice(id: $0.id, label: $0.label.text(in: language), key: $0.key)
    }
    if question.kind == .yesNo {
      choices = [
        Prompt.Choice(id: "yes", label: "yes", key: "y"),
        Prompt.Choice(id: "no", label: "no", key: "n"),
      ]
    }
    return Prompt(
      questionID: question.id, text: question.ask.text(in: language), kind: question.kind,
      choices: choices, allowUnknown: question.allowUnknown, allowRefused: question.allowRefused,
      isReask: reask, isBack: back, hint: question.hint?.text(in: language))
  }

  // MARK: - Instructions, determinant

  /// Instructions whose condition holds for the first time (among `candidates`, nil: all),
  /// interrupting ones first.
  mutating func dueInstructions(among candidates: [Int]?, into effects: inout StepEffects) {
    let tables = callProtocol.tables
    var interrupting: [Int] = []
    var others: [Int] = []
    func check(_ index: Int) {
      guard !sent.instructionGiven[index], tables.instructionWhen.holds(index, values) else {
        return
      }
      let instruction = callProtocol.instructions[index]
      sent.give(instruction: index, id: instruction.id, at: now)
      if instruction.interrupt {
        interrupting.append(index)
      } else {
        others.append(index)
      }
    }
    if let candidates {
      for index in candidates { check(index) }
    } else {
      for index in callProtocol.instructions.indices { check(index) }
    }
    effects.instructions = interrupting + others
  }

  mutating func updateDeterminant(into effects: inout StepEffects) {
    let rules = callProtocol.determinants
    let rows: (rule: Int?, medical: Int?)
    if let kept = determinantRows, kept.revision == valuesRevision {
      rows = (kept.rule, kept.medical)
    } else {
      let tables = callProtocol.tables
      rows = (tables.firstDeterminant(values), tables.firstMedical(values))
      determinantRows = (valuesRevision, rows.rule, rows.medical)
    }
    guard var index = rows.rule else { return }
    // The same rows, override, dispatch and stand-down as at the last step give the same
    // determinant (the medical part is idempotent on them): nothing to work out again.
    let standDown = sent.verifications[Self.standDownID]?.status
    let inputs = DeterminantInputs(
      rule: index, override: overrideRule, medical: rows.medical,
      dispatched: sent.dispatchPoint != nil, standDown: standDown)
    if inputs == determinantInputs, let determinant {
      effects.determinant = determinant
      return
    }
    determinantInputs = inputs
    var reason: String?
    // An override holds while it is above what the answers give; a row of the same level
    // reached from the answers is more specific and wins.
    if let overrideRule, rules[overrideRule].levelRank > rules[index].levelRank {
      index = overrideRule
      reason = overrideReason
    }
    let rule = rules[index]
    var state = DeterminantState(
      code: rule.code, level: rule.level, levelRank: rule.levelRank, plan: rule.plan,
      label: rule.label, overrideReason: reason)
    if let medical = medicalPart() {
      state.medicalCode = medical.rule.code
      state.medicalLabel = medical.rule.label
      state.held = medical.held
      for resource in medical.rule.plan + medical.held where !state.plan.contains(resource) {
        state.plan.append(resource)
      }
      if medical.rule.levelRank > state.levelRank {
        state.level = medical.rule.level
        state.levelRank = medical.rule.levelRank
      }
    }
    // A record carries the codes, the override's reason and what is held.
    if state.code != determinant?.code || state.overrideReason != determinant?.overrideReason
      || state.medicalCode != determinant?.medicalCode || state.held != determinant?.held
    {
      records.noteChange(urgent: true)
    }
    if state != determinant {
      effects.determinantChanged = determinant?.code != state.code
      if effects.determinantChanged { determinantUpdatedAt = now }
      determinant = state
    }
    effects.determinant = state
  }

  /// The id of the verification the engine raises before EMS or fire resources are stood down.
  package static let standDownID = "medical_stand_down"

  /// The EMS and fire part of the response and what it holds.
  ///
  /// The first `medical` row that holds, and what was sent before that the row no longer asks
  /// for. Those stay in the response until the
  /// call-taker confirms standing them down (verification `medical_stand_down`): a change in
  /// what the attacker does never takes rescue away from people already hurt.
  mutating func medicalPart() -> (rule: DeterminantRule, held: [String])? {
    guard let row = callProtocol.tables.firstMedical(values) else { return nil }
    let rule = callProtocol.medical[row]
    guard sent.dispatchPoint != nil else { return (rule, []) }
    var dropped = sent.medicalSent.filter { !rule.plan.contains($0) }
    if !dropped.isEmpty {
      let key = [FactValue.text(dropped.joined(separator: ",") + ">" + rule.code)]
      if let state = sent.verifications[Self.standDownID], state.inputs == key {
        if state.status == .confirmed {
          sent.standDownMedical(dropped)
          dropped = []
        }
      } else {
        let labels = dropped.map { id in
          callProtocol.resources.first { $0.id == id }?.label ?? id
        }
        raise(
          id: Self.standDownID,
          confirm: "Stand down EMS or fire already sent? The answers now give \(rule.label); "
            + "still assigned: " + labels.joined(separator: "; "),
          evidence: "Kept in the response until the call-taker confirms; people may still be "
            + "hurt", inputs: key, resetStatus: true)
      }
    }
    sent.sendMedical(rule.plan)
    return (rule, dropped)
  }

  // MARK: - Relays and verifications

  /// Relays that fall due among `candidates` (nil: all), most urgent first.
  ///
  /// A relay falls due when its condition holds and it was not sent, or a value (or answer
  /// time) it is resent on changed.
  mutating func dueRelays(among candidates: [Int]?, into effects: inout StepEffects) {
    let tables = callProtocol.tables
    var due: [StepEffects.DueRelay] = []
    // First which are due, reading what was sent in place; then note them as sent.
    sent.relays.withUnsafeBufferPointer { sentStates in
      func check(_ index: Int) {
        let resendOn = tables.relayResendOn[index]
        let isSent = sentStates[index] != nil
        // A relay that went out is sent again only when a value it is resent on changes.
        if isSent, resendOn.isEmpty { return }
        guard tables.relayWhen.holds(index, values) else { return }
        if isSent, let inputs = sentStates[index]?.inputs,
          Self.unchanged(inputs, resendOn, values: values, answers: answers)
        {
          return
        }
        due.append(StepEffects.DueRelay(index: index, isUpdate: isSent))
      }
      if let candidates {
        for index in candidates { check(index) }
      } else {
        for index in sentStates.indices { check(index) }
      }
    }
    for relay in due {
      let resendOn = tables.relayResendOn[relay.index]
      var inputs: [FactValue] = []
      inputs.reserveCapacity(resendOn.count * 2)
      for slot in resendOn { inputs.append(values[slot]) }
      for slot in resendOn { inputs.append(Self.answerTime(slot, in: answers)) }
      sent.send(relay: relay.index, inputs: inputs, at: now)
    }
    guard due.count > 1 else {
      effects.relays = due
      return
    }
    let relays = callProtocol.relays
    effects.relays = due.enumerated().sorted { a, b in
      let first = relays[a.element.index].priority
      let second = relays[b.element.index].priority
      return first != second ? first > second : a.offset < b.offset
    }.map(\.element)
  }

  /// Whether `inputs` (values then answer times of `slots`) are what those slots hold now.
  ///
  /// Static, on the two arrays it reads: called from a mutating method, a method of the session
  /// would copy all of it for every relay looked at.
  static func unchanged(
    _ inputs: [FactValue], _ slots: [Int], values: [FactValue], answers: [AnswerEntry?]
  ) -> Bool {
    guard inputs.count == slots.count * 2 else { return false }
    for (offset, slot) in slots.enumerated() where inputs[offset] != values[slot] {
      return false
    }
    for (offset, slot) in slots.enumerated()
    where inputs[slots.count + offset] != answerTime(slot, in: answers) {
      return false
    }
    return true
  }

  /// Verifications whose condition holds (among `candidates`, nil: all) and whose inputs
  /// changed since they were raised; with those the engine raised itself (conflicts, standing
  /// EMS down) since the last step.
  mutating func dueVerifications(among candidates: [Int]?, into effects: inout StepEffects) {
    let tables = callProtocol.tables
    let all = callProtocol.verifications
    // First which are due, reading the state; then raise them (each id is raised once, so
    // raising one never changes whether another is due). Checking in a local function that
    // also rendered would copy the whole session for every text.
    var due: [Int] = []
    func check(_ index: Int) {
      guard tables.verificationWhen.holds(index, values) else { return }
      if let state = sent.verifications[all[index].id],
        Self.same(state.inputs, all[index].resendOn, values: values)
      {
        return
      }
      due.append(index)
    }
    if let candidates {
      for index in candidates { check(index) }
    } else {
      for index in all.indices { check(index) }
    }
    for index in due {
      raise(
        id: all[index].id, confirm: render(all[index].confirm),
        evidence: render(all[index].evidence), inputs: all[index].resendOn.map { values[$0] })
    }
    effects.verifications = sent.takeUpdates()
  }

  /// Whether `inputs` are the values of `slots` now, without building them.
  static func same(_ inputs: [FactValue], _ slots: [Int], values: [FactValue]) -> Bool {
    guard inputs.count == slots.count else { return false }
    for (offset, slot) in slots.enumerated() where inputs[offset] != values[slot] { return false }
    return true
  }

  /// Raises or updates a verification; it goes out with the next outcome, and a record carries
  /// a change of its texts or status.
  mutating func raise(
    id: String, confirm: String, evidence: String, inputs: [FactValue], resetStatus: Bool = false
  ) {
    if sent.raise(
      id: id, confirm: confirm, evidence: evidence, inputs: inputs, resetStatus: resetStatus,
      at: now)
    {
      records.noteChange()
    }
  }

  /// A changed answer that contradicts an earlier known one becomes something to verify.
  ///
  /// `correcting` when the call-taker went back to this question to correct it.
  mutating func noteConflict(
    slot: Int, previous: FactValue, current: FactValue, correcting: Bool
  ) {
    // Facts that are re-asked are expected to change (the attacker moves), a correction after
    // "back" is the call-taker's own, and the caller's own state changes as they move; only
    // a changed report about the attack itself needs verifying on arrival, unless the
    // protocol expects this fact to change (`expect_change`: a device found later).
    guard let field = callProtocol.questions[slot].fills, field.isReportedFact,
      callProtocol.questions[slot].reaskEvery == nil, !callProtocol.questions[slot].expectChange,
      !correcting, previous.isKnown, current.isKnown, previous != current,
      let entry = answers[slot]
    else { return }
    let question = callProtocol.questions[slot]
    let before = text(of: previous, slot: slot)
    let after = text(of: current, slot: slot)
    let earlier = entry.history.last?.at ?? entry.at
    raise(
      id: "conflict_\(question.id)",
      confirm: "Conflicting reports for \(question.id.replacingOccurrences(of: "_", with: " ")): "
        + "\(before), later \(after); confirm on arrival",
      evidence:
        "The caller said \(before) at \(callClock(earlier)) and \(after) at \(callClock(now))",
      inputs: [current])
  }

  // MARK: - Records

  /// Decides whether a new record goes out: when anything it carries changed, once the
  /// determinant is known (see ``RecordTracking``).
  mutating func recordIfChanged(into effects: inout StepEffects) {
    guard determinant != nil else { return }
    if records.decide(at: now, ended: ended, answers: answers) { effects.record = true }
  }

  /// Sends the record waiting for the record interval once the clock is past its time, moving
  /// the clock to that time; gives the time, nil when no record was due.
  mutating func sendDueRecord(by time: Double) -> Double? {
    guard let due = records.sendDue(by: time, answers: answers) else { return nil }
    now = max(now, due)
    return due
  }

  /// The full record of the last one decided, built from the state (nothing it carries has
  /// changed since it was decided: a change either sends a record or waits for the next one,
  /// and a record waiting is built before the event after its time is applied).
  func recordSnapshot() -> RecordSnapshot? {
    guard let determinant, let dispatchPoint = sent.dispatchPoint, records.sequence > 0 else {
      return nil
    }
    var fields: [RecordSnapshot.Field] = []
    for entry in records.slots where values[entry.slot] != .unanswered {
      fields.append(
        RecordSnapshot.Field(
          field: entry.field, source: callProtocol.name(ofSlot: entry.slot),
          value: values[entry.slot], text: text(of: values[entry.slot], slot: entry.slot),
          updatedAt: dated(entry.slot) ?? records.fieldUpdatedAt[entry.slot] ?? records.at))
    }
    return RecordSnapshot(
      sequence: records.sequence, at: records.at, dispatchPoint: dispatchPoint,
      determinant: determinant, determinantUpdatedAt: determinantUpdatedAt, fields: fields,
      notes: notes,
      verifications: sent.verificationOrder.compactMap { id in
        sent.verifications[id].map {
          RecordSnapshot.Verification(
            id: $0.id, confirm: $0.confirm, evidence: $0.evidence, status: $0.status,
            unit: $0.unit, raisedAt: $0.raisedAt, updatedAt: $0.updatedAt)
        }
      }, callerConnected: callerConnected, callEnded: ended,
      incidentID: linkedIncident)
  }

  /// When a dated fact was seen or heard (see ``observedAt(_:)``); nil when nothing dates it.
  func dated(_ slot: Int) -> Double? {
    guard slot < answers.count, let entry = answers[slot] else { return nil }
    return datedAt(slot, answeredAt: entry.at)
  }

  /// When a question slot was last answered, as a value for change detection.
  func answerTime(_ slot: Int) -> FactValue {
    Self.answerTime(slot, in: answers)
  }

  /// When `slot` was last answered among `answers`, as a value; unanswered for none.
  static func answerTime(_ slot: Int, in answers: [AnswerEntry?]) -> FactValue {
    guard slot < answers.count, let entry = answers[slot] else { return .unanswered }
    return millisecondValue(entry.at)
  }

  /// Call-clock seconds to the millisecond, as a value.
  static func millisecondValue(_ seconds: Double) -> FactValue {
    .count(low: Int((seconds * 1000).rounded()), high: nil)
  }

  // MARK: - Reading the state

  /// Every fact with a value, questions in asking order then derived facts.
  public var knownFacts: [KnownFact] {
    var facts: [KnownFact] = []
    for index in callProtocol.askingOrder where values[index] != .unanswered {
      let question = callProtocol.questions[index]
      facts.append(
        KnownFact(
          id: question.id, field: question.fills, value: values[index],
          text: text(of: values[index], slot: index), answeredAt: answers[index]?.at))
    }
    for fact in callProtocol.derived where values[fact.slot] != .unanswered {
      facts.append(
        KnownFact(
          id: fact.id, field: fact.fills, value: values[fact.slot],
          text: text(of: values[fact.slot], slot: fact.slot), answeredAt: nil))
    }
    return facts
  }

  /// Verifications raised so far, in the order raised.
  public var raisedVerifications: [VerificationPrompt] {
    sent.verificationOrder.compactMap { id in
      sent.verifications[id].map {
        VerificationPrompt(
          id: $0.id, confirm: $0.confirm, evidence: $0.evidence, status: $0.status, unit: $0.unit,
          unitNote: $0.unitNote, isUpdate: false)
      }
    }
  }

  /// Relays sent so far, latest text of each, most urgent first.
  public var sentRelays: [RelayMessage] {
    callProtocol.relays.enumerated().compactMap { index, relay in
      sent.relays[index].flatMap { relaySent in
        relaySent.text.map {
          RelayMessage(
            id: relay.id, text: relaySent.withdrawn ? Session.withdrawnMark + $0 : $0,
            priority: relay.priority, isUpdate: false, isWithdrawn: relaySent.withdrawn)
        }
      }
    }.sorted { $0.priority > $1.priority }
  }

  /// A value in words, with option labels in the protocol's first language.
  public func text(of value: FactValue, slot: Int) -> String {
    FactText.render(value) { optionID in
      guard slot < callProtocol.questions.count,
        let option = callProtocol.questions[slot].option(id: optionID)
      else { return optionID.replacingOccurrences(of: "_", with: " ") }
      return option.label.text(in: callProtocol.language)
    } order: { ids in
      guard slot < callProtocol.questions.count else { return ids.sorted() }
      return callProtocol.questions[slot].options.map(\.id).filter(ids.contains)
    }
  }

  func render(_ template: CompiledTemplate) -> String {
    template.render(values) { slot, optionID in
      guard slot < callProtocol.questions.count,
        let option = callProtocol.questions[slot].option(id: optionID)
      else { return optionID }
      return option.label.text(in: callProtocol.language)
    } age: { slot in
      observedAt(slot).map { now - $0 }
    } time: { slot in
      guard let at = observedAt(slot) else { return nil }
      return timeline?.clockText(at) ?? "\(callClock(max(0, at))) into the call"
    } mark: { slot in
      languageMark(slot)
    }
  }

  /// The language mark of free text in lines for units ("[es] "), nil for none.
  ///
  /// Free text carries it when the call is taken in another language than the center's (the
  /// protocol's first). Text the call-taker entered with a language
  /// tag of its own ("[en] …", a translation) carries none.
  func languageMark(_ slot: Int) -> String? {
    guard language != callProtocol.language, slot < callProtocol.questions.count,
      case .text(let text) = values[slot], !text.hasPrefix("[")
    else { return nil }
    return "[\(language)] "
  }
}

/// Call-clock seconds as `m:ss`: the one clock text of the library (reports, scenario
/// messages, relay times when no wall clock is known).
package func callClock(_ seconds: Double) -> String {
  let whole = max(0, Int(seconds.rounded(.down)))
  let remainder = whole % 60
  return "\(whole / 60):\(remainder < 10 ? "0" : "")\(remainder)"
}
