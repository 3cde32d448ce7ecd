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
    _ event: SessionEvent, at time: Double, plan: ReviewPlan
  ) -> SessionError? {
    if case .override = event {
      // The check reads the determinant in force, which the review works out only when needed.
      refreshDeterminant()
    }
    if case .failure(let error) = validate(event, at: time) { return error }
    change(by: event, at: time)
    // Values follow from the answers and, through `line_dropped`, the caller's line.
    recompute(after: event)
    return nil
  }

  /// Brings ``determinant`` up to date, as every engine step does.
  mutating func refreshDeterminant() {
    var scratch = StepOutcome()
    updateDeterminant(into: &scratch)
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
  mutating func raiseVerifications(
    _ plan: ReviewPlan, among candidates: [Int], inputs: inout [[FactValue]?]
  ) -> [VerificationPrompt] {
    let values = self.values
    for index in candidates where plan.verificationWhen.holds(index, values) {
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
}
