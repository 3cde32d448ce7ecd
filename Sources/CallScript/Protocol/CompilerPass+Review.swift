extension CompilerPass {
  // MARK: - What the review scores

  static let reviewFactKeys = ["id", "label", "severity", "questions", "relay", "within"]

  /// Reads `review`: the facts a supervisor's review follows from the caller to the units.
  ///
  /// Each fact names the questions whose answers establish it, how much it weighs when it is
  /// known and never goes out, and optionally the relay that must carry it and how fast. Every
  /// name is checked against the protocol (`CS104` with a did-you-mean); a relay that cannot
  /// carry the fact (`CS134`) and a fact nothing can carry (`CS135`) are errors.
  func readReview(_ top: MappingReader, questions: [Question], relays: [Relay]) -> [ReviewFact] {
    guard let node = top.node("review"),
      let review = MappingReader(
        node, what: "'review'", allowed: ["facts"], required: ["facts"], sink: sink),
      let items = review.list("facts")
    else { return [] }
    let questionIDs = questions.map(\.id)
    var seen: [String: SourcePosition] = [:]
    var facts: [ReviewFact] = []
    for (index, item) in items.enumerated() {
      guard
        let reader = MappingReader(
          item, what: "review fact \(index + 1)", allowed: Self.reviewFactKeys,
          required: ["id", "severity", "questions"], sink: sink),
        let (id, idPosition) = reader.identifier("id")
      else { continue }
      if let first = seen[id] {
        sink.error(
          idPosition, DiagnosticCode.duplicateID,
          "duplicate review fact id '\(id)'; first defined at line \(first.line)")
        continue
      }
      seen[id] = idPosition
      let what = "review fact '\(id)'"
      var title = id.replacingOccurrences(of: "_", with: " ")
      if let scalar = reader.scalar("label"), safeText(scalar, key: "label", what: what) {
        let text = scalar.text.trimmedWhitespace
        if text.isEmpty || text.count > 40 {
          sink.error(
            scalar.position, DiagnosticCode.textLength,
            "'label' of \(what) must be text of 1 to 40 characters, found \(text.count)")
        } else {
          title = text
        }
      }
      var severity: MissSeverity?
      if let scalar = reader.scalar("severity") {
        severity = MissSeverity(rawValue: scalar.text)
        if severity == nil {
          let names = MissSeverity.allCases.map(\.rawValue)
          sink.error(
            scalar.position, DiagnosticCode.unknownValue,
            "'\(SafeText.quoted(scalar.text))' is not a severity of \(what): use "
              + names.map { "'\($0)'" }.joined(separator: ", "),
            suggestion: NameSuggestion.didYouMean(scalar.text, among: names))
        }
      }
      var slots: [Int] = []
      for scalar in reader.scalarList("questions") ?? [] {
        guard let slot = questionIDs.firstIndex(of: scalar.text) else {
          let derived = symbols.byName[scalar.text] != nil
          if derived {
            sink.error(
              scalar.position, DiagnosticCode.undefinedReference,
              "'\(scalar.text)' in 'questions' of \(what) is a derived fact",
              suggestion: "name the questions whose answers establish it")
          } else {
            sink.unknownName(
              "question", scalar.text, at: scalar.position, "in 'questions' of \(what)",
              among: questionIDs)
          }
          continue
        }
        if slots.contains(slot) {
          sink.error(
            scalar.position, DiagnosticCode.duplicateID,
            "question '\(scalar.text)' listed twice in 'questions' of \(what)")
          continue
        }
        slots.append(slot)
      }
      if case .sequence(let listed, _)? = reader.node("questions"), listed.isEmpty {
        sink.error(
          reader.keyPosition("questions"), DiagnosticCode.missingKey,
          "'questions' of \(what) must name at least one question")
      }
      let relay = reviewRelay(reader, what: what, slots: slots, relays: relays)
      var within: Double?
      if let scalar = reader.scalar("within") {
        within = Self.duration(scalar.text, allowZero: true)
        if within == nil {
          sink.error(
            scalar.position, DiagnosticCode.invalidDuration,
            "'\(SafeText.quoted(scalar.text))' is not a duration such as '30s', '2m' or '0s'")
        } else if !reader.has("relay") {
          sink.error(
            reader.keyPosition("within"), DiagnosticCode.missingKey,
            "'within' of \(what) needs 'relay': the relay that must carry the fact that fast")
        }
      }
      checkCarried(id: id, slots: slots, questions: questions, relays: relays, at: idPosition)
      guard let severity, !slots.isEmpty else { continue }
      facts.append(
        ReviewFact(
          id: id, title: title, severity: severity, questions: slots, relay: relay,
          within: within, position: reader.position))
    }
    return facts
  }

  /// The relay a review fact names, checked to read one of the fact's questions.
  private func reviewRelay(
    _ reader: MappingReader, what: String, slots: [Int], relays: [Relay]
  ) -> Int? {
    guard let scalar = reader.scalar("relay") else { return nil }
    guard let index = relays.firstIndex(where: { $0.id == scalar.text }) else {
      sink.unknownName(
        "relay", scalar.text, at: scalar.position, "in 'relay' of \(what)", among: relays.map(\.id))
      return nil
    }
    let read = Set(relays[index].text.dependencies)
    if !slots.isEmpty, !slots.contains(where: read.contains) {
      sink.error(
        scalar.position, DiagnosticCode.reviewRelay,
        "relay '\(scalar.text)' cannot carry \(what): its text reads none of the fact's "
          + "questions; name a relay whose text reads one of them")
    }
    return index
  }

  /// A fact whose questions fill no record field and that no relay reads could never go out:
  /// the review would flag it every time it is known.
  private func checkCarried(
    id: String, slots: [Int], questions: [Question], relays: [Relay], at position: SourcePosition
  ) {
    guard !slots.isEmpty, !sink.hasErrors else { return }
    if slots.contains(where: { questions[$0].fills != nil }) { return }
    let read = Set(relays.flatMap(\.text.dependencies))
    if slots.contains(where: read.contains) { return }
    sink.error(
      position, DiagnosticCode.reviewFactNeverOut,
      "review fact '\(id)' can never go out: none of its questions fills a record field "
        + "('fills') and no relay reads them; add 'fills' or a relay")
  }
}
