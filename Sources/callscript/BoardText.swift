import CallScript
import Foundation

/// The words the plain and terminal frontends print: prompts, effects and the status board.
enum BoardText {
  static func clock(_ seconds: Double) -> String {
    let whole = max(0, Int(seconds))
    let minutes = whole / 60
    let remainder = whole % 60
    return (minutes < 10 ? "0" : "") + "\(minutes):" + (remainder < 10 ? "0" : "") + "\(remainder)"
  }

  /// Whether the transcript is signed, said when a call starts.
  static func signing(_ key: String?) -> String {
    key.map { "transcript signed by \($0)" }
      ?? "transcript NOT signed (this position has no key: 'callscript keys init')"
  }

  /// `ASK location: What is the address…?` and the answer choices with their keys.
  static func prompt(_ prompt: Prompt) -> [String] {
    var lines: [String] = []
    let tag = prompt.isReask ? "ASK AGAIN" : prompt.isBack ? "ASK (back)" : "ASK"
    lines.append("\(tag) [\(prompt.questionID)] \(prompt.text)")
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

  /// What the call-taker sees when a command of theirs was taken and brought nothing else.
  static func taken(_ event: SessionEvent?, at seconds: Double) -> [String] {
    switch event {
    case .note(let text)?: ["NOTED at \(clock(seconds)): \(text) (it goes into the record)"]
    default: []
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

  /// The full board: clock, incident, determinant, records, known facts, pending items.
  static func board(_ session: Session) -> [String] {
    var lines: [String] = []
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
    lines.append(header)
    let facts = session.knownFacts.filter { $0.field != nil || $0.answeredAt != nil }
    if facts.isEmpty {
      lines.append("  nothing known yet")
    }
    for fact in facts {
      var line = "  \(fact.id): \(fact.text)"
      if let at = fact.answeredAt { line += " (\(FactText.age(session.now - at)) ago)" }
      lines.append(line)
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
