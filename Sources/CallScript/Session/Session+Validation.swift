/// Whether an event can be taken: the checks that leave a refused event without effect.
extension Session {
  /// Checks an event against the protocol and the state, without changing anything.
  public func validate(_ event: SessionEvent, at time: Double) -> Result<Void, SessionError> {
    guard time.isFinite, time >= 0 else {
      return .failure(SessionError(message: "time \(time) is not a call-clock offset"))
    }
    if ended {
      switch event {
      case .confirm, .link, .unlink, .aired: break
      default:
        return .failure(
          SessionError(message: "the call has ended; only unit confirmations are taken"))
      }
    }
    if case .callData(let item, let id, _) = event,
      callProtocol.question(id: id)?.callData != item
    {
      return .failure(
        SessionError(
          question: id, message: "question '\(id)' does not take '\(item)' from the call data"))
    }
    switch event {
    case .answer(let id, let value), .callData(_, let id, let value):
      guard let slot = callProtocol.slotsByName[id], slot < callProtocol.questions.count else {
        return .failure(
          SessionError(
            message: "unknown question '\(id)'"
              + NameSuggestion.hint(for: id, among: callProtocol.questions.map(\.id))))
      }
      if case .failure(let error) = validate(value, for: callProtocol.questions[slot]) {
        return .failure(error)
      }
      if callProtocol.questions[slot].checks.contains(where: { $0.level == .reject }) {
        let question = callProtocol.questions[slot]
        var proposed = values
        proposed[question.slot] = value
        if let check = question.checks.first(where: {
          $0.level == .reject && $0.condition.evaluate(proposed)
        }) {
          return .failure(
            SessionError(question: id, message: check.message.text(in: language)))
        }
      }
    case .note(let text):
      let trimmed = text.trimmedWhitespace
      if trimmed.isEmpty { return .failure(SessionError(message: "a note needs some text")) }
      if let problem = AnswerParser.textProblem(text, what: "note") {
        return .failure(SessionError(message: problem))
      }
    case .back:
      if answerHistory.order.isEmpty {
        return .failure(SessionError(message: "nothing to go back to: no question answered yet"))
      }
    case .override(let code, let reason):
      guard let rule = callProtocol.determinants.first(where: { $0.code == code }) else {
        return .failure(
          SessionError(
            message: "unknown determinant code '\(code)'"
              + NameSuggestion.hint(for: code, among: callProtocol.determinants.map(\.code))))
      }
      if reason.trimmedWhitespace.isEmpty {
        return .failure(SessionError(message: "an override needs a reason"))
      }
      if let problem = AnswerParser.textProblem(reason, what: "override reason") {
        return .failure(SessionError(message: problem))
      }
      let current = determinant?.levelRank ?? -1
      if rule.levelRank <= current {
        return .failure(
          SessionError(
            message: "'\(code)' (\(rule.level)) is not above the current level "
              + "'\(determinant?.level ?? "")'; overrides only raise the response"))
      }
    case .confirm(let id, _, let unit, let note):
      for (text, what) in [(unit, "unit name"), (note, "confirmation note")] {
        if let text, let problem = AnswerParser.textProblem(text, what: what) {
          return .failure(SessionError(message: problem))
        }
      }
      if sent.verifications[id] == nil {
        let known = sent.verificationOrder
        return .failure(
          SessionError(
            message: "no verification '\(id)' has been raised"
              + NameSuggestion.hint(for: id, among: known)))
      }
    case .disconnect:
      if !callerConnected {
        return .failure(SessionError(message: "the caller is already disconnected"))
      }
    case .callback:
      if callerConnected {
        return .failure(SessionError(message: "the caller is connected; nothing to call back"))
      }
    case .end:
      break
    case .link(let incident):
      guard Self.isValidIncidentID(incident) else {
        return .failure(
          SessionError(
            message: "'\(incident.prefix(40))' is not an incident id: 1 to 160 letters, digits "
              + "and - _ . : @"))
      }
      if incident == linkedIncident {
        return .failure(SessionError(message: "the call is already linked to \(incident)"))
      }
    case .unlink:
      if linkedIncident == nil {
        return .failure(SessionError(message: "the call is not linked to an incident"))
      }
    case .aired(let relay):
      if let problem = airingProblem(relay) { return .failure(SessionError(message: problem)) }
    case .incidentFacts(let incident, let facts):
      if let problem = incidentFactsProblem(incident: incident, facts: facts) {
        return .failure(SessionError(message: problem))
      }
    }
    return .success(())
  }

  func validate(_ value: FactValue, for question: Question) -> Result<Void, SessionError> {
    func fail(_ problem: String) -> Result<Void, SessionError> {
      .failure(
        SessionError(
          question: question.id,
          message: "\(problem); question '\(question.id)' takes "
            + AnswerParser.accepts(question, language)))
    }
    switch (question.kind, value) {
    case (_, .unknown):
      return question.allowUnknown ? .success(()) : fail("'unknown' is not allowed here")
    case (_, .refused):
      return question.allowRefused ? .success(()) : fail("'refused' is not allowed here")
    case (.yesNo, .yesNo):
      return .success(())
    case (.oneOf, .option(let id)):
      return question.option(id: id) == nil ? fail("'\(id)' is not an option") : .success(())
    case (.manyOf, .options(let ids)):
      if ids.isEmpty { return fail("no option given") }
      if let bad = ids.sorted().first(where: { question.option(id: $0) == nil }) {
        return fail("'\(bad)' is not an option")
      }
      return .success(())
    case (.count, .count(let low, let high)):
      if low < 0 || low > AnswerParser.maximumCount { return fail("\(low) is out of range") }
      if let high, high < low || high > AnswerParser.maximumCount {
        return fail("\(low)-\(high) is not a valid range")
      }
      return .success(())
    case (.text, .text(let text)), (.location, .text(let text)):
      if text.allSatisfy(\.isWhitespace) {
        return fail("empty answer")
      }
      if let problem = AnswerParser.textProblem(text, what: "answer") {
        return fail(problem)
      }
      return .success(())
    default:
      return fail("a \(describe(value)) is the wrong kind of answer")
    }
  }

  private func describe(_ value: FactValue) -> String {
    switch value {
    case .unanswered: "missing value"
    case .unknown: "unknown"
    case .refused: "refusal"
    case .yesNo: "yes/no answer"
    case .option: "single option"
    case .options: "list of options"
    case .count: "count"
    case .text: "text"
    case .condition: "condition"
    case .word: "word"
    }
  }

  /// Why the relay with `id` cannot be marked aired, nil when it can: it must be one the call
  /// sent, and not aired already.
  func airingProblem(_ id: String) -> String? {
    guard let index = callProtocol.relays.firstIndex(where: { $0.id == id }) else {
      return "unknown relay '\(id.prefix(60))'"
        + NameSuggestion.hint(for: id, among: callProtocol.relays.map(\.id))
    }
    if sent.relays[index] == nil { return "relay '\(id)' has not been sent by this call" }
    if let at = sent.relaysAired[index] {
      return "relay '\(id)' was already marked aired at \(JSONValue.format(at)) s"
    }
    return nil
  }

  /// Why an `incident_facts` event cannot be taken, nil when it can: a valid incident id, and
  /// known values under incident fact names, each of the type the protocol reads it with.
  func incidentFactsProblem(incident: String, facts: [String: FactValue]) -> String? {
    guard Self.isValidIncidentID(incident) else {
      return "'\(incident.prefix(40))' is not an incident id: 1 to 160 letters, digits and "
        + "- _ . : @"
    }
    let allNames = [IncidentFact.calls] + IncidentFact.fields.map(\.name)
    for name in facts.keys.sorted() {
      guard IncidentFact.isName(name) else {
        return "unknown incident fact '\(name.prefix(60))'"
          + NameSuggestion.hint(for: name, among: allNames)
      }
      guard let value = facts[name], value.isKnown else {
        return "incident fact '\(name)' needs a known value"
      }
      if let reading = callProtocol.incidentFacts.first(where: { $0.name == name }),
        !IncidentFact.fits(value, reading.type)
      {
        let symbol = Symbol(name: name, slot: reading.slot, type: reading.type, isQuestion: false)
        return "incident fact '\(name)' is \(symbol.kindPhrase) in this protocol; the event gives "
          + value.json.canonical
      }
    }
    return nil
  }

  /// Whether `id` may name an incident: 1 to 160 ASCII letters, digits and `- _ . : @` (an
  /// `INC-…` id, or an ESInet incident tracking id).
  public static func isValidIncidentID(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 160
      && id.allSatisfy {
        $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:@".contains($0))
      }
  }
}
