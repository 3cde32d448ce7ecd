/// The question the call-taker should ask now.
public struct Prompt: Sendable, Hashable {
  /// One answer choice with its single-key shortcut.
  public struct Choice: Sendable, Hashable {
    public var id: String
    public var label: String
    public var key: Character
  }

  public var questionID: String
  public var text: String
  public var kind: AnswerKind
  public var choices: [Choice]
  public var allowUnknown: Bool
  public var allowRefused: Bool
  /// True when the question was answered before and is due again (a stale fact).
  public var isReask: Bool
  /// True when the call-taker went back to it.
  public var isBack: Bool
  public var hint: String?
  /// The prompt's number in the call, rising from 1 as prompts are shown (``CallDriver``); 0
  /// for a prompt no driver has shown.
  public var number = 0
}

/// Words for the caller that became due.
public struct DueInstruction: Sendable, Hashable {
  public var id: String
  public var text: String
  public var interrupt: Bool
}

/// The determinant in force: code, response level and plan.
public struct DeterminantState: Sendable, Hashable {
  public var code: String
  public var level: String
  public var levelRank: Int
  public var plan: [String]
  public var label: String
  /// The reason given when a call-taker raised it by hand.
  public var overrideReason: String?
  /// The EMS and fire part (`medical`) row's code and label, when the protocol has one.
  public var medicalCode: String? = nil
  public var medicalLabel: String? = nil
  /// EMS and fire resources kept in `plan` although the medical row no longer asks for them:
  /// they were sent, and stay until the call-taker confirms standing them down.
  public var held: [String] = []
}

/// A radio-ready line for responding units.
public struct RelayMessage: Sendable, Hashable {
  public var id: String
  public var text: String
  public var priority: Int
  /// True when it went out before and a fact it reads changed.
  public var isUpdate: Bool
  /// True when the call-taker went back to correct a fact it reads (`/back`): units must not
  /// act on it until the corrected relay follows (its text starts with
  /// ``Session/withdrawnMark``).
  public var isWithdrawn = false
}

/// Where a verification stands.
public enum VerificationStatus: String, Sendable, Hashable, Codable {
  case pending
  case confirmed
  case refuted
}

/// What arriving units must confirm, and what the report rests on.
public struct VerificationPrompt: Sendable, Hashable {
  public var id: String
  public var confirm: String
  public var evidence: String
  public var status: VerificationStatus
  /// The unit that confirmed or refuted it, and what they said.
  public var unit: String?
  public var unitNote: String?
  public var isUpdate: Bool
}

/// A free note from the call-taker.
public struct CallNote: Sendable, Hashable {
  public var at: Double
  public var text: String
}

/// A known fact for the status board and the record.
public struct KnownFact: Sendable, Hashable {
  /// The question or derived fact id.
  public var id: String
  public var field: RecordField?
  public var value: FactValue
  /// The value in words (option labels, "2-3", "unknown").
  public var text: String
  /// Call-clock seconds of the answer, for questions.
  public var answeredAt: Double?
}

/// What the session produced after one event (or after time passed).
public struct StepOutcome: Sendable, Hashable {
  /// Messages from soft checks on the answer just given.
  public var warnings: [String] = []
  /// Instructions that became due, interrupting ones first.
  public var instructions: [DueInstruction] = []
  public var determinant: DeterminantState?
  public var determinantChanged = false
  public var relays: [RelayMessage] = []
  /// Relays sent before that read an answer the call-taker went back to correct (`/back`),
  /// sent again marked withdrawn (``RelayMessage/isWithdrawn``); the corrected relay goes out
  /// in `relays` once the question is answered again.
  public var withdrawnRelays: [RelayMessage] = []
  public var verifications: [VerificationPrompt] = []
  /// A new full dispatch record, when one went out.
  public var record: RecordSnapshot?
  /// A record that waited for the record interval and whose time passed before the event's,
  /// when the clock was not advanced to it first (``Session/advance(to:)``): it went out
  /// before the event, stamped with its own time, and shows the call before the event.
  public var dueRecord: RecordSnapshot?
  /// Records that went out at moments the clock passed before this step (``Session/timeMoment``),
  /// each stamped with its own time, in order.
  public var earlierRecords: [RecordSnapshot] = []
  /// Every record that went out, in order: ``earlierRecords``, ``dueRecord``, then ``record``.
  public var records: [RecordSnapshot] {
    var all = earlierRecords
    if let dueRecord { all.append(dueRecord) }
    if let record { all.append(record) }
    return all
  }

  /// Whether the step brought anything to tell the call-taker or units (instructions, relays,
  /// verifications, a determinant change).
  public var hasEffects: Bool {
    !instructions.isEmpty || !relays.isEmpty || !withdrawnRelays.isEmpty
      || !verifications.isEmpty || determinantChanged
  }

  /// Puts what `earlier` steps brought (moments the clock passed first) before this step's own,
  /// as one outcome; with `records` false their records are left out (already taken).
  public mutating func follow(_ earlier: StepOutcome, records: Bool = true) {
    instructions = earlier.instructions + instructions
    relays = earlier.relays + relays
    withdrawnRelays = earlier.withdrawnRelays + withdrawnRelays
    verifications = earlier.verifications + verifications
    determinantChanged = determinantChanged || earlier.determinantChanged
    if records { earlierRecords = earlier.records + earlierRecords }
  }
  /// What to ask next; nil when nothing is left (or the call ended).
  public var prompt: Prompt?

  public init() {}
}
