/// Something that happened in a call, as the session applies it and the transcript records it.
public enum SessionEvent: Sendable, Hashable {
  /// An answer to a question: the current one, another one the caller volunteered, or a change
  /// of an earlier answer. `value` is an answer value (not ``FactValue/unanswered``).
  case answer(question: String, value: FactValue)
  /// A fact the phone system or CAD gave with the call (`take --callback`, `--location`, a
  /// jsonl `{"call": …}`), answering the question whose `call_data` names `item`: known
  /// without asking, shown to the call-taker to confirm.
  case callData(item: String, question: String, value: FactValue)
  /// A free note from the call-taker.
  case note(String)
  /// Go back: ask the most recently answered question again.
  case back
  /// Raise the determinant to the row with `code`, which must be of a higher level.
  case override(code: String, reason: String)
  /// A responding unit confirmed (or refuted) a verification.
  case confirm(verification: String, confirmed: Bool, unit: String?, note: String?)
  /// The caller's line dropped.
  case disconnect
  /// The caller was reached again.
  case callback
  /// The call is over.
  case end
  /// The call-taker linked the call to an incident (another call's, or one CAD named): from
  /// now on the call's facts count towards that incident's merged picture.
  case link(incident: String)
  /// The call-taker undid the link: the call is its own incident again.
  case unlink
  /// Dispatch put a relay the call sent on the air (`callscript serve`, jsonl `aired`).
  case aired(relay: String)
  /// What the other calls of the call's incident established, as the protocol reads it
  /// (`incident.attacker_count`): every incident fact's value by name (without the
  /// `incident.` prefix); a name left out is unknown. Written by `take` when the incident's
  /// merged picture changes one of these values, so a replay reads them from the transcript.
  case incidentFacts(incident: String, facts: [String: FactValue])

  /// The question and value of an answer or of call data, nil for other events.
  public var answered: (question: String, value: FactValue)? {
    switch self {
    case .answer(let question, let value), .callData(_, let question, let value):
      (question, value)
    default: nil
    }
  }

  /// Whether the event drops or restores the caller's line (the built-in `line_dropped`).
  public var changesLine: Bool {
    switch self {
    case .disconnect, .callback: true
    default: false
    }
  }

  /// Whether the event changes what the call knows of its incident (the `incident.` facts).
  public var changesIncidentFacts: Bool {
    switch self {
    case .incidentFacts, .link, .unlink: true
    default: false
    }
  }

  /// The event's name in transcripts and the jsonl interface.
  public var typeName: String {
    switch self {
    case .answer: "answer"
    case .callData: "call_data"
    case .note: "note"
    case .back: "back"
    case .override: "override"
    case .confirm: "confirm"
    case .disconnect: "disconnect"
    case .callback: "callback"
    case .end: "end"
    case .link: "link"
    case .unlink: "unlink"
    case .aired: "aired"
    case .incidentFacts: "incident_facts"
    }
  }
}

/// Why the session refused an event; the session is unchanged.
public struct SessionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The question the problem concerns, if any.
  public var question: String?
  /// What is wrong and what would be accepted, ready to show the call-taker.
  public var message: String

  public init(question: String? = nil, message: String) {
    self.question = question
    self.message = message
  }

  public var description: String { message }
}
