/// What the call-taker's screen asks of a session beyond its facts: labels, ages, staleness and
/// the answer being corrected; and the relays a correction withdraws.
extension Session {
  /// The words units get before a relay whose fact is being corrected: they must not act on it
  /// until the corrected relay follows.
  public static let withdrawnMark = "withdrawn, being corrected, do not act on it: "

  /// The question whose answer the call-taker went back to correct (`/back`), until it is
  /// answered again; its value stays in the record meanwhile, marked withdrawn to units.
  public var correcting: String? {
    backTarget.map { callProtocol.questions[$0].id }
  }

  /// The short label of a question in the session's language (`label` in the protocol), or
  /// the id of a derived fact.
  public func label(of id: String) -> String {
    callProtocol.question(id: id)?.label.text(in: language) ?? id
  }

  /// How long ago an answered question's fact was true, counting from when it was seen or
  /// heard (a dating question moves it back); nil when unanswered.
  public func age(of id: String) -> Double? {
    guard let slot = callProtocol.slotsByName[id], let at = observedAt(slot) else { return nil }
    return max(0, now - at)
  }

  /// Whether an answered question is due to be asked again: its fact has gone stale
  /// (`reask_every` passed while `reask_if` holds).
  public func isStale(_ id: String) -> Bool {
    guard let question = callProtocol.question(id: id), answers[question.slot] != nil else {
      return false
    }
    return callProtocol.tables.reaskEvery[question.slot] != nil && isDue(question.slot)
  }

  /// Decides to send again, marked withdrawn, every relay already sent that is resent on the
  /// answer in `slot`: units hear at once that the fact is being corrected, and the corrected
  /// relay follows when the question is answered again (its answer time changes, so the relay
  /// falls due), or never when its condition no longer holds.
  mutating func withdrawRelays(reading slot: Int, into effects: inout StepEffects) {
    var withdrawn: [Int] = []
    for (index, relay) in callProtocol.relays.enumerated() {
      guard let state = sent.relays[index], !state.withdrawn, relay.resendOn.contains(slot)
      else { continue }
      sent.withdraw(relay: index, at: now)
      withdrawn.append(index)
    }
    let relays = callProtocol.relays
    effects.withdrawn = withdrawn.sorted { relays[$0].priority > relays[$1].priority }
  }
}
