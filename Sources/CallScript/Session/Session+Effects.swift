/// Everything a record carries, to tell whether a new snapshot must go out.
struct RecordKey: Hashable {
  var values: [FactValue]
  var determinant: String
  var notes: Int
  var verifications: [String]
  var callerConnected: Bool
  var ended: Bool
  var incident: String?
}

extension Session {
  /// Derives the prompt and every effect that became due after a change.
  mutating func deriveEffects(into outcome: inout StepOutcome) {
    if dispatchPoint == nil,
      let point = callProtocol.dispatchPoints.first(where: { $0.when.evaluate(values) })
    {
      dispatchPoint = point.id
    }
    updateDeterminant(into: &outcome)
    if !ended {
      dueInstructions(into: &outcome)
    }
    if dispatchPoint != nil {
      dueRelays(into: &outcome)
      dueVerifications(into: &outcome)
      recordIfChanged(into: &outcome)
    }
    outcome.prompt = nextPrompt()
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
    let tables = callProtocol.tables
    if let slot = backTarget, tables.applies(slot, values) { return slot }
    if callProtocol.hasConditionalPriority {
      // `priority_if` can move a question ahead: the highest effective priority among the
      // questions due wins, asking order breaking ties.
      var best: (slot: Int, priority: Int)?
      for index in callProtocol.askingOrder where isDue(index) {
        let priority = callProtocol.questions[index].priority(with: values)
        if best == nil || priority > best?.priority ?? 0 { best = (index, priority) }
      }
      return best?.slot
    }
    return answers.withUnsafeBufferPointer { answers in
      for index in callProtocol.askingOrder where isDue(index, answeredAt: answers[index]?.at) {
        return index
      }
      return nil
    }
  }

  /// Whether a question is due: unanswered and applies, or answered and due for a re-ask.
  func isDue(_ slot: Int) -> Bool {
    isDue(slot, answeredAt: answers[slot]?.at)
  }

  func isDue(_ slot: Int, answeredAt: Double?) -> Bool {
    let tables = callProtocol.tables
    guard let at = answeredAt else { return tables.applies(slot, values) }
    guard let every = tables.reaskEvery[slot], now - at >= every else { return false }
    if case .unanswered = values[slot] { return false }
    return !tables.hasReaskIf[slot] || tables.reaskIf.holds(slot, values)
  }

  /// The prompt for the question in `slot`, marked as a re-ask or a return as the engine sees it.
  func prompt(slot: Int) -> Prompt {
    prompt(
      for: callProtocol.questions[slot], reask: answers[slot] != nil && slot != backTarget,
      back: slot == backTarget)
  }

  /// Whether the question in `slot` applies now.
  func applies(_ slot: Int) -> Bool {
    callProtocol.tables.applies(slot, values)
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

  mutating func dueInstructions(into outcome: inout StepOutcome) {
    var due: [DueInstruction] = []
    for instruction in callProtocol.instructions
    where instructionsGiven[instruction.id] == nil && instruction.when.evaluate(values) {
      instructionsGiven[instruction.id] = now
      due.append(
        DueInstruction(
          id: instruction.id, text: instruction.say.text(in: language),
          interrupt: instruction.interrupt))
    }
    outcome.instructions = due.filter(\.interrupt) + due.filter { !$0.interrupt }
  }

  mutating func updateDeterminant(into outcome: inout StepOutcome) {
    let rules = callProtocol.determinants
    guard var index = rules.firstIndex(where: { $0.when?.evaluate(values) ?? true }) else {
      return
    }
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
    if state != determinant {
      outcome.determinantChanged = determinant?.code != state.code
      if outcome.determinantChanged { determinantUpdatedAt = now }
      determinant = state
    }
    outcome.determinant = state
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
    guard let rule = callProtocol.medical.first(where: { $0.when?.evaluate(values) ?? true })
    else { return nil }
    guard dispatchPoint != nil else { return (rule, []) }
    var dropped = medicalSent.filter { !rule.plan.contains($0) }
    if !dropped.isEmpty {
      let key = [FactValue.text(dropped.joined(separator: ",") + ">" + rule.code)]
      if let state = verifications[Self.standDownID], state.inputs == key {
        if state.status == .confirmed {
          medicalSent = medicalSent.filter { !dropped.contains($0) }
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
    for resource in rule.plan where !medicalSent.contains(resource) {
      medicalSent.append(resource)
    }
    return (rule, dropped)
  }

  // MARK: - Relays and verifications

  mutating func dueRelays(into outcome: inout StepOutcome) {
    var due: [RelayMessage] = []
    for (index, relay) in callProtocol.relays.enumerated() where relay.when.evaluate(values) {
      let inputs = relay.resendOn.map { values[$0] } + relay.resendOn.map(answerTime)
      if let sent = relaysSent[index], sent.inputs == inputs { continue }
      let text = render(relay.text)
      due.append(
        RelayMessage(
          id: relay.id, text: text, priority: relay.priority, isUpdate: relaysSent[index] != nil))
      relaysSent[index] = SentState(text: text, inputs: inputs, at: now)
    }
    outcome.relays = due.enumerated().sorted { a, b in
      a.element.priority != b.element.priority
        ? a.element.priority > b.element.priority : a.offset < b.offset
    }.map(\.element)
  }

  mutating func dueVerifications(into outcome: inout StepOutcome) {
    for verification in callProtocol.verifications where verification.when.evaluate(values) {
      let inputs = verification.resendOn.map { values[$0] }
      if let state = verifications[verification.id], state.inputs == inputs { continue }
      let confirm = render(verification.confirm)
      let evidence = render(verification.evidence)
      raise(id: verification.id, confirm: confirm, evidence: evidence, inputs: inputs)
    }
    outcome.verifications = pendingUpdates
    pendingUpdates = []
  }

  /// Raises or updates a verification; it goes out with the next outcome.
  mutating func raise(
    id: String, confirm: String, evidence: String, inputs: [FactValue], resetStatus: Bool = false
  ) {
    let isUpdate = verifications[id] != nil
    if resetStatus, var state = verifications[id] {
      state.status = .pending
      state.unit = nil
      state.unitNote = nil
      verifications[id] = state
    }
    var state =
      verifications[id]
      ?? VerificationState(
        id: id, confirm: confirm, evidence: evidence, inputs: inputs, raisedAt: now, updatedAt: now)
    if !isUpdate { verificationOrder.append(id) }
    state.confirm = confirm
    state.evidence = evidence
    state.inputs = inputs
    state.updatedAt = now
    verifications[id] = state
    pendingUpdates.removeAll { $0.id == id }
    pendingUpdates.append(
      VerificationPrompt(
        id: id, confirm: confirm, evidence: evidence, status: state.status, unit: state.unit,
        unitNote: state.unitNote, isUpdate: isUpdate))
  }

  /// A changed answer that contradicts an earlier known one becomes something to verify.
  mutating func noteConflict(slot: Int, previous: FactValue, current: FactValue) {
    let question = callProtocol.questions[slot]
    // Facts that are re-asked are expected to change (the attacker moves), a correction after
    // "back" is the call-taker's own, and the caller's own state changes as they move; only
    // a changed report about the attack itself needs verifying on arrival.
    guard let field = question.fills, field.isReportedFact, question.reaskEvery == nil,
      backTarget != slot, previous.isKnown, current.isKnown, previous != current,
      let entry = answers[slot]
    else { return }
    let before = text(of: previous, slot: slot)
    let after = text(of: current, slot: slot)
    let earlier = entry.history.last?.at ?? entry.at
    raise(
      id: "conflict_\(question.id)",
      confirm: "Conflicting reports for \(question.id.replacingOccurrences(of: "_", with: " ")): "
        + "\(before), later \(after); confirm on arrival",
      evidence: "The caller said \(before) at \(clock(earlier)) and \(after) at \(clock(now))",
      inputs: [current])
  }

  // MARK: - Records

  mutating func recordIfChanged(into outcome: inout StepOutcome) {
    guard let determinant, let dispatchPoint else { return }
    let inputs = recordSlots.map { values[$0.slot] }
    let key = RecordKey(
      values: inputs + recordSlots.map { answerTime($0.slot) },
      determinant: determinant.code + (determinant.overrideReason ?? "")
        + (determinant.medicalCode ?? "") + determinant.held.joined(separator: ","),
      notes: notes.count,
      verifications: verificationOrder.map { id in
        let state = verifications[id]
        return
          "\(id)|\(state?.status.rawValue ?? "")|\(state?.confirm ?? "")|\(state?.evidence ?? "")"
      }, callerConnected: callerConnected, ended: ended, incident: linkedIncident)
    guard key != lastRecordKey else { return }
    for (index, entry) in recordSlots.enumerated()
    where lastRecordInputs.count != inputs.count || lastRecordInputs[index] != inputs[index] {
      fieldUpdatedAt[entry.slot] =
        entry.slot < answers.count ? answers[entry.slot]?.at ?? now : now
    }
    recordSequence += 1
    lastRecordKey = key
    lastRecordInputs = inputs
    var fields: [RecordSnapshot.Field] = []
    for entry in recordSlots where values[entry.slot] != .unanswered {
      fields.append(
        RecordSnapshot.Field(
          field: entry.field, source: callProtocol.name(ofSlot: entry.slot),
          value: values[entry.slot], text: text(of: values[entry.slot], slot: entry.slot),
          updatedAt: dated(entry.slot) ?? fieldUpdatedAt[entry.slot] ?? now))
    }
    let snapshot = RecordSnapshot(
      sequence: recordSequence, at: now, dispatchPoint: dispatchPoint, determinant: determinant,
      determinantUpdatedAt: determinantUpdatedAt, fields: fields, notes: notes,
      verifications: verificationOrder.compactMap { id in
        verifications[id].map {
          RecordSnapshot.Verification(
            id: $0.id, confirm: $0.confirm, evidence: $0.evidence, status: $0.status,
            unit: $0.unit, raisedAt: $0.raisedAt, updatedAt: $0.updatedAt)
        }
      }, callerConnected: callerConnected, callEnded: ended,
      incidentID: linkedIncident)
    lastRecord = snapshot
    outcome.record = snapshot
  }

  /// When a dated fact was seen or heard (see ``observedAt(_:)``); nil when nothing dates it.
  func dated(_ slot: Int) -> Double? {
    guard slot < answers.count, let entry = answers[slot] else { return nil }
    return datedAt(slot, answeredAt: entry.at)
  }

  /// When a question slot was last answered, as a value for change detection.
  func answerTime(_ slot: Int) -> FactValue {
    guard slot < answers.count, let entry = answers[slot] else { return .unanswered }
    return .count(low: Int((entry.at * 1000).rounded()), high: nil)
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
    verificationOrder.compactMap { id in
      verifications[id].map {
        VerificationPrompt(
          id: $0.id, confirm: $0.confirm, evidence: $0.evidence, status: $0.status, unit: $0.unit,
          unitNote: $0.unitNote, isUpdate: false)
      }
    }
  }

  /// Relays sent so far, latest text of each, most urgent first.
  public var sentRelays: [RelayMessage] {
    callProtocol.relays.enumerated().compactMap { index, relay in
      relaysSent[index].map {
        RelayMessage(
          id: relay.id, text: $0.text, priority: relay.priority, isUpdate: false,
          isWithdrawn: $0.text.hasPrefix(Session.withdrawnMark))
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
      return timeline?.clockText(at) ?? "\(clock(max(0, at))) into the call"
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

/// Call-clock seconds as `m:ss`.
func clock(_ seconds: Double) -> String {
  let whole = max(0, Int(seconds.rounded(.down)))
  let remainder = whole % 60
  return "\(whole / 60):\(remainder < 10 ? "0" : "")\(remainder)"
}
