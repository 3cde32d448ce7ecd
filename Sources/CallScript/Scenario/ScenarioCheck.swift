/// Checks every id a scenario names against its protocol before the scenario runs, so a typo
/// in an expectation (`not_say: [no_radio]`) is a failure with a suggestion, not a check that
/// can never fail.
enum ScenarioCheck {
  /// Why `id` is not the question on screen: it does not apply (its `ask_if` and the values it
  /// read), it was answered and is not due again, or a more urgent question comes first.
  static func whyNotAsked(_ id: String, instead shown: Prompt?, in session: Session) -> String {
    let callProtocol = session.callProtocol
    guard let slot = callProtocol.slotsByName[id], slot < callProtocol.questions.count else {
      return "'\(id)' is not a question"
    }
    let question = callProtocol.questions[slot]
    if !session.applies(slot) {
      let condition = question.askIf
      let read = condition?.dependencies.compactMap { dependency -> String? in
        let name = callProtocol.name(ofSlot: dependency)
        // The clock reads as the call clock; what age(q) reads is shown by q itself.
        if dependency == callProtocol.tables.clockSlot {
          return "\(name) = \(callClock(session.now))"
        }
        if name.hasPrefix(BuiltInTime.observedPrefix) { return nil }
        return "\(name) = " + session.text(of: session.values[dependency], slot: dependency)
      }
      return "it does not apply: its ask_if '\(condition?.source ?? "")' is false"
        + (read.map { " (\($0.joined(separator: ", ")))" } ?? "")
    }
    if let entry = session.answers[slot], !session.isDue(slot) {
      return "it was answered at \(callClock(entry.at)) and is not due again"
        + (question.reaskEvery.map { " (every \(JSONValue.format($0)) s)" } ?? "")
    }
    if let shown, let other = callProtocol.slotsByName[shown.questionID],
      other < callProtocol.questions.count
    {
      let mine = question.priority(with: session.values)
      let theirs = callProtocol.questions[other].priority(with: session.values)
      let order =
        theirs == mine
        ? "'\(shown.questionID)' has the same priority (\(mine)) and comes first in the file"
        : "'\(shown.questionID)' (priority \(theirs)) comes before it (priority \(mine))"
      return order + (shown.isReask ? "" : ", or was on screen first and waits for its answer")
    }
    return "nothing is asked now"
  }

  /// One failure per id the protocol does not have, at the step (or key) that names it.
  static func unknownIDs(in scenario: Scenario, for callProtocol: CallProtocol)
    -> [ScenarioFailure]
  {
    let questions = callProtocol.questions.map(\.id)
    let instructions = callProtocol.instructions.map(\.id)
    let codes = callProtocol.determinants.map(\.code)
    let resources = callProtocol.resources.map(\.id)
    let verifications =
      callProtocol.verifications.map(\.id) + questions.map { "conflict_\($0)" }
      + [Session.standDownID]
    var failures: [ScenarioFailure] = []
    func check(
      _ ids: [String], _ known: [String], _ what: String, step: Int?, at position: SourcePosition,
      extra: Set<String> = []
    ) {
      for id in ids where !known.contains(id) && !extra.contains(id) {
        failures.append(
          ScenarioFailure(
            step: step, position: position,
            message: "unknown \(what) '\(id)'"
              + NameSuggestion.hint(for: id, among: known)
              + "; this expectation could never fail as written"))
      }
    }
    for (offset, step) in scenario.steps.enumerated() {
      let number = offset + 1
      let position = step.position
      check(step.ask.map { [$0] } ?? [], questions, "question", step: number, at: position)
      // A step expected to be refused may name a wrong id on purpose: that is what it tests.
      switch step.expect.error == nil ? step.action : .wait {
      case .set(let id, _): check([id], questions, "question", step: number, at: position)
      case .override(let code, _):
        check([code], codes, "determinant code", step: number, at: position)
      case .confirm(let id, _, _):
        check([id], verifications, "verification", step: number, at: position)
      default: break
      }
      let expect = step.expect
      check(
        expect.say + expect.notSay, instructions, "instruction", step: number, at: position)
      check(
        expect.next.map { [$0] } ?? [], questions, "question", step: number, at: position,
        extra: ["none"])
      check(expect.offRoute + expect.due, questions, "question", step: number, at: position)
      check(
        expect.determinant.map { [$0] } ?? [], codes, "determinant code", step: number, at: position
      )
      check(expect.plan + expect.notPlan, resources, "resource", step: number, at: position)
    }
    let final = scenario.final
    func position(_ key: String) -> SourcePosition { final.positions[key] ?? .start }
    check(final.asked ?? [], questions, "question", step: nil, at: position("asked"))
    check(
      final.instructions, instructions, "instruction", step: nil, at: position("instructions"))
    check(
      final.notInstructions, instructions, "instruction", step: nil,
      at: position("not_instructions"))
    check(
      final.determinant.map { [$0] } ?? [], codes, "determinant code", step: nil,
      at: position("determinant"))
    check(final.plan, resources, "resource", step: nil, at: position("plan"))
    check(final.notPlan, resources, "resource", step: nil, at: position("not_plan"))
    return failures
  }
}
