import CallScript
import Foundation

/// The words the plain and terminal frontends print: prompts, effects and the status board.
enum BoardText {
  /// Call-clock seconds as `mm:ss`: the library's call clock text (`m:ss`) with the minutes
  /// given two digits, so the board's times line up.
  static func clock(_ seconds: Double) -> String {
    let text = callClock(seconds)
    return text.count == 4 ? "0" + text : text
  }

  /// Whether the transcript is signed, said when a call starts.
  static func signing(_ key: String?) -> String {
    key.map { "transcript signed by \($0)" }
      ?? "transcript NOT signed (this position has no key: 'callscript keys init')"
  }

  /// `ASK [location] What is the address…?` and the answer choices with their keys.
  ///
  /// With `idLast` (the terminal) the words to read come first and the id, for `/set` and Tab,
  /// last: `ASK What is the address…? [location]`.
  static func prompt(_ prompt: Prompt, idLast: Bool = false) -> [String] {
    var lines: [String] = []
    let tag = prompt.isReask ? "ASK AGAIN" : prompt.isBack ? "ASK (back)" : "ASK"
    lines.append(
      idLast
        ? "\(tag) \(prompt.text)  [\(prompt.questionID)]"
        : "\(tag) [\(prompt.questionID)] \(prompt.text)")
    var choices: [String]
    switch prompt.kind {
    case .yesNo, .oneOf, .manyOf:
      choices = prompt.choices.map { "\($0.key)=\($0.label)" }
      if prompt.kind == .manyOf { choices.append("(several: keys or ids with commas)") }
    case .count: choices = ["a number, 2-3, 2+ or several"]
    case .text: choices = ["text"]
    case .location: choices = ["a place"]
    }
    if prompt.allowUnknown { choices.append("u=unknown") }
    if prompt.allowRefused { choices.append("r=refused") }
    lines.append("    " + choices.joined(separator: "  "))
    if let hint = prompt.hint { lines.append("    hint: \(hint)") }
    return lines
  }

  /// What the call-taker sees when a command of theirs was taken: a note kept, an answer
  /// withdrawn to be corrected.
  static func taken(_ event: SessionEvent?, session: Session) -> [String] {
    switch event {
    case .note(let text)?:
      return ["NOTED at \(clock(session.now)): \(text) (it goes into the record)"]
    case .back?:
      guard let id = session.correcting else { return [] }
      let value = session.knownFacts.first { $0.id == id }?.text ?? "unknown"
      let relays = session.sentRelays.filter(\.isWithdrawn).count
      return [
        "WITHDRAWN \(session.label(of: id)): \(value), being corrected; "
          + (relays == 0
            ? "no relay to units had read it"
            : "\(relays == 1 ? "the relay that read it is" : "\(relays) relays that read it are") "
              + "marked withdrawn to units until you answer again")
      ]
    default:
      return []
    }
  }

  /// The last line of a call.
  static func closing(session: Session, transcript: String?) -> String {
    guard let transcript else {
      return "input closed before anything was recorded; no transcript kept"
    }
    if session.ended {
      return "call ended at \(clock(session.now)); transcript \(transcript)"
    }
    return "input closed; the call is not ended. Continue it with: "
      + "callscript take --resume \(transcript)"
  }

  /// The line that shows what the phone system gave, for the call-taker to confirm.
  static func phoneSystem(_ items: [(item: String, text: String)]) -> String {
    "From the phone system: "
      + items.map { "\($0.item) \($0.text)" }.joined(separator: ", ")
      + " — confirm with the caller"
  }

  /// A question that fell due while another waits: asked once the waiting one is settled.
  static func due(_ prompt: Prompt) -> String {
    "DUE NEXT \(prompt.isReask ? "AGAIN " : "")[\(prompt.questionID)] \(prompt.text) "
      + "(after the question on screen)"
  }

  /// What happened after an event, most urgent first.
  static func effects(_ outcome: StepOutcome, records: [RecordOutput]) -> [String] {
    var lines: [String] = []
    for warning in outcome.warnings { lines.append("WARN \(warning)") }
    for instruction in outcome.instructions {
      lines.append((instruction.interrupt ? "SAY NOW " : "SAY ") + instruction.text)
    }
    if outcome.determinantChanged, let determinant = outcome.determinant {
      lines.append(
        "DETERMINANT \(determinant.code) \(determinant.level): \(determinant.label)"
          + " (send: \(determinant.plan.joined(separator: ", ")))")
    }
    for relay in outcome.relays {
      lines.append((relay.isUpdate ? "RELAY (update) " : "RELAY ") + relay.text)
    }
    // A withdrawn relay's text begins with the mark units get: "withdrawn, being corrected…".
    for relay in outcome.withdrawnRelays { lines.append("RELAY " + relay.text) }
    for verification in outcome.verifications {
      lines.append(
        "VERIFY [\(verification.id)] \(verification.confirm) (based on: \(verification.evidence))")
    }
    for record in records {
      if let problem = record.problem {
        lines.append("ERROR \(problem); it stays in the transcript")
      } else if let path = record.path {
        lines.append("RECORD #\(record.sequence) sent (\(path))")
      } else {
        lines.append(
          "RECORD #\(record.sequence) made (kept in the transcript; no --records folder)")
      }
    }
    return lines
  }

  /// The board's first line: the call clock, the incident, the determinant and the records.
  static func header(_ session: Session) -> String {
    let incident =
      session.knownFacts.first { $0.field == .incidentType }?.text ?? "not yet known"
    var header = "[\(clock(session.now))] incident: \(incident)"
    if let determinant = session.determinant {
      header += " | \(determinant.code) \(determinant.level)"
      if let reason = determinant.overrideReason { header += " (raised: \(reason))" }
    }
    header +=
      session.recordSequence > 0
      ? " | record #\(session.recordSequence) at \(clock(session.lastRecord?.at ?? 0))"
      : " | no record yet"
    if !session.callerConnected { header += " | CALLER DISCONNECTED" }
    if session.ended { header += " | CALL ENDED" }
    return header
  }

  /// The facts that matter now, each named by its label, grouped by the record field it fills.
  struct Panel {
    /// Where the attacker is and how old that is (stale marked), or that it is not yet known;
    /// nil when the protocol has no question for it.
    var attacker: String?
    /// The caller (hidden, cannot talk, where), the victims and the threats: one line each,
    /// for the groups with something known.
    var groups: [String]
    /// Every other fact answered, one line each.
    var others: [String]
  }

  /// The record fields of each line of the panel, in the order their facts are shown.
  static let attackerFields: [RecordField] = [
    .suspectLocation, .suspectLocationSource, .suspectDirection, .suspectStatus,
  ]
  static let panelGroups: [(tag: String, fields: [RecordField])] = [
    ("CALLER", [.callerSafety, .callerCanSpeak, .callerLocation, .callerPeopleWith]),
    ("VICTIMS", [.victimsCount, .victimsLocation, .victimsInjuries]),
    (
      "THREATS",
      [
        .suspectCount, .suspectWeapons, .suspectArmor, .suspectVehicle, .threatsDevices,
        .threatsExplosions, .threatsOtherLocations,
      ]
    ),
  ]

  /// The panel of the call-taker's screen for this moment of the call.
  static func panel(_ session: Session) -> Panel {
    let facts = session.knownFacts.filter { $0.field != nil || $0.answeredAt != nil }
    var used: Set<String> = []
    func value(_ fact: KnownFact) -> String {
      fact.id == session.correcting ? "\(fact.text) (WITHDRAWN, being corrected)" : fact.text
    }
    func item(_ fact: KnownFact) -> String { "\(session.label(of: fact.id)): \(value(fact))" }

    var attacker: String?
    let asksWhere = session.callProtocol.questions.contains { $0.fills == .suspectLocation }
    if let place = facts.first(where: { $0.field == .suspectLocation }) {
      used.insert(place.id)
      let age = session.age(of: place.id).map { FactText.age($0) + " ago" }
      var line =
        session.isStale(place.id)
        ? "ATTACKER STALE \(value(place))" + (age.map { " · \($0): ask again" } ?? "")
        : "ATTACKER \(value(place))" + (age.map { " · \($0)" } ?? "")
      for fact in facts where attackerFields.dropFirst().contains(where: { $0 == fact.field }) {
        used.insert(fact.id)
        line += " · " + item(fact)
      }
      attacker = line
    } else if asksWhere {
      attacker = "ATTACKER where: not yet known"
    }

    var groups: [String] = []
    for group in panelGroups {
      var parts: [String] = []
      for field in group.fields {
        for fact in facts where fact.field == field && !used.contains(fact.id) {
          used.insert(fact.id)
          switch (field, fact.value) {
          case (.callerCanSpeak, .yesNo(false)):
            parts.insert("HIDDEN CALLER, cannot talk: yes/no questions only", at: 0)
          case (.callerSafety, .yesNo(false)): parts.append("not safe")
          case (.callerSafety, .yesNo(true)): parts.append("safe")
          case (.callerCanSpeak, .yesNo(true)): parts.append("can talk")
          default: parts.append(item(fact))
          }
        }
      }
      if !parts.isEmpty { groups.append(group.tag + " " + parts.joined(separator: " · ")) }
    }

    var others: [String] = []
    for fact in facts where !used.contains(fact.id) && fact.field != .incidentType {
      var line = "  " + item(fact)
      if let at = fact.answeredAt { line += " (\(FactText.age(session.now - at)) ago)" }
      others.append(line)
    }
    return Panel(attacker: attacker, groups: groups, others: others)
  }

  /// The full board (`/status`): the header, the panel, every other fact, relays sent and
  /// verifications.
  static func board(_ session: Session) -> [String] {
    var lines = [header(session)]
    let panel = panel(session)
    lines += (panel.attacker.map { [$0] } ?? []) + panel.groups + panel.others
    if panel.attacker == nil, panel.groups.isEmpty, panel.others.isEmpty {
      lines.append("  nothing known yet")
    }
    let relays = session.sentRelays
    if !relays.isEmpty {
      lines.append("relays sent:")
      for relay in relays { lines.append("  \(relay.text)") }
    }
    let pending = session.raisedVerifications
    if !pending.isEmpty {
      lines.append("verifications:")
      for verification in pending {
        lines.append(
          "  [\(verification.id)] \(verification.status.rawValue): \(verification.confirm)")
      }
    }
    return lines
  }

  static func help() -> [String] {
    ["Answer with an option key or name, y/n, a number or range, or text; u unknown, r refused."]
      + InputLine.commands.map {
        "  " + $0.usage.padding(toLength: 30, withPad: " ", startingAt: 0) + $0.summary
      }
  }

  static func questions(_ session: Session) -> [String] {
    session.callProtocol.askingOrder.map { index in
      let question = session.callProtocol.questions[index]
      let state =
        session.answers[index] == nil
        ? "" : session.isOffRoute(question.id) ? " (off-route)" : " (answered)"
      return "  \(question.id) [\(question.kind.rawValue)]\(state)"
    }
  }

  static func info(_ line: InputLine, session: Session) -> [String] {
    switch line {
    case .status: board(session)
    case .relays:
      session.sentRelays.isEmpty
        ? ["no relays sent yet"] : session.sentRelays.map { "RELAY \($0.text)" }
    case .verifications:
      session.raisedVerifications.isEmpty
        ? ["nothing to verify yet"]
        : session.raisedVerifications.map {
          "VERIFY [\($0.id)] \($0.status.rawValue): \($0.confirm) (based on: \($0.evidence))"
        }
    case .questions: questions(session)
    default: help()
    }
  }
}
