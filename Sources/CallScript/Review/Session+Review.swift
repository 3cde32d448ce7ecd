extension Session {
  /// Applies an event's change of state as ``apply(_:at:)`` does, without deriving effects.
  ///
  /// The checks (``validate(_:at:)``) and the state change are the engine's own; the values are
  /// recomputed as ``recompute()`` does, from the plan's tables. The effects (the prompt,
  /// instructions, relays, verifications, the dispatch record) are derived by the review itself
  /// (``CallAnalysis``): building record snapshots and texts is most of the cost of an engine
  /// step, and the review only needs when they happen. On failure the session is unchanged. A
  /// test replays every example transcript both ways and compares every step.
  mutating func applyForReview(
    _ event: SessionEvent, slot: Int?, at time: Double, plan: ReviewPlan
  ) -> SessionError? {
    if case .override = event {
      // The check reads the determinant in force, which the review works out only when needed.
      refreshDeterminant()
    }
    if case .failure(let error) = validate(event, at: time) { return error }
    now = max(now, time)
    eventCount += 1
    switch event {
    case .answer(_, let value):
      guard let slot else { break }
      record(answer: value, slot: slot)
    case .note(let text):
      notes.append(CallNote(at: now, text: text))
    case .back:
      backTarget = answerOrder.last
    case .override(let code, let reason):
      overrideRule = callProtocol.determinants.firstIndex { $0.code == code }
      overrideReason = reason
    case .confirm(let id, let confirmed, let unit, let note):
      if var state = verifications[id] {
        state.status = confirmed ? .confirmed : .refuted
        state.unit = unit
        state.unitNote = note
        state.updatedAt = now
        verifications[id] = state
      }
    case .disconnect:
      callerConnected = false
    case .callback:
      callerConnected = true
    case .end:
      ended = true
    }
    // Values follow from the answers alone: other events leave them as they were.
    if case .answer = event { recompute(plan) }
    return nil
  }

  /// Brings ``determinant`` up to date, as every engine step does.
  mutating func refreshDeterminant() {
    var scratch = StepOutcome()
    updateDeterminant(into: &scratch)
  }

  /// ``recompute()`` from the plan's tables.
  mutating func recompute(_ plan: ReviewPlan) {
    let questionCount = plan.questionIDs.count
    let answers = self.answers
    var values = self.values
    self.values = []
    answers.withUnsafeBufferPointer { answers in
      plan.askIf.withUnsafeBufferPointer { askIf in
        plan.derivedCondition.withUnsafeBufferPointer { derivedCondition in
          plan.rowWhen.withUnsafeBufferPointer { rowWhen in
            for slot in plan.evaluationOrder {
              if slot < questionCount {
                guard let value = answers[slot]?.value else {
                  values[slot] = .unanswered
                  continue
                }
                let applies = !plan.hasAskIf[slot] || askIf[slot].holds(values)
                values[slot] = applies ? value : .unanswered
                continue
              }
              let index = slot - questionCount
              if plan.derivedIsCondition[index] {
                values[slot] = .condition(derivedCondition[index].holds(values))
                continue
              }
              var result = FactValue.unanswered
              for row in plan.derivedRows[index]
              where !plan.rowHasWhen[row] || rowWhen[row].holds(values) {
                result = plan.rowValue[row]
                break
              }
              values[slot] = result
            }
          }
        }
      }
    }
    self.values = values
  }

  /// Reaches the first dispatch point whose condition holds, as ``deriveEffects(into:)`` does;
  /// true when one was reached by this call.
  mutating func reachDispatchPoint(_ plan: ReviewPlan) -> Bool {
    guard dispatchPoint == nil else { return false }
    for index in plan.dispatchWhen.indices where plan.dispatchWhen.holds(index, values) {
      dispatchPoint = plan.dispatchIDs[index]
      return true
    }
    return false
  }

  /// The id of the dispatch point reached, if any.
  var reachedDispatchPoint: String? { dispatchPoint }

  /// Raises or updates the protocol's verifications as ``dueVerifications(into:)`` does, with
  /// the engine's own texts and state; returns what that step's outcome would list.
  ///
  /// `inputs` holds, per verification, the values it was last raised with (the engine keeps
  /// them in its state; reading them from the review's own table copies nothing).
  @discardableResult
  mutating func raiseVerifications(_ plan: ReviewPlan, inputs: inout [[FactValue]?])
    -> [VerificationPrompt]
  {
    let values = self.values
    for index in plan.verificationIDs.indices where plan.verificationWhen.holds(index, values) {
      let slots = plan.verificationResendOn[index]
      let previous =
        plan.verificationShared[index]
        ? verifications[plan.verificationIDs[index]]?.inputs : inputs[index]
      if let previous, previous.count == slots.count,
        slots.indices.allSatisfy({ previous[$0] == values[slots[$0]] })
      {
        continue
      }
      let verification = callProtocol.verifications[index]
      let current = slots.map { values[$0] }
      raise(
        id: verification.id, confirm: render(verification.confirm),
        evidence: render(verification.evidence), inputs: current)
      inputs[index] = current
    }
    defer { pendingUpdates = [] }
    return pendingUpdates
  }

  /// The slot of the question ``nextPrompt()`` would show, without building the prompt.
  func reviewPromptSlot(_ plan: ReviewPlan) -> Int? {
    if ended { return nil }
    if let slot = backTarget, !plan.hasAskIf[slot] || plan.askIf.holds(slot, values) {
      return slot
    }
    return answers.withUnsafeBufferPointer { answers in
      for index in plan.askingOrder where isDue(index, answeredAt: answers[index]?.at, plan) {
        return index
      }
      return nil
    }
  }

  /// Whether a question is due: unanswered and applies, or answered and due for a re-ask.
  func isDue(_ slot: Int, _ plan: ReviewPlan) -> Bool {
    isDue(slot, answeredAt: answers[slot]?.at, plan)
  }

  func isDue(_ slot: Int, answeredAt: Double?, _ plan: ReviewPlan) -> Bool {
    guard let at = answeredAt else {
      return !plan.hasAskIf[slot] || plan.askIf.holds(slot, values)
    }
    guard let every = plan.reaskEvery[slot], now - at >= every else { return false }
    if case .unanswered = values[slot] { return false }
    return !plan.hasReaskIf[slot] || plan.reaskIf.holds(slot, values)
  }
}
