/// What the review needs to know about a protocol, worked out once per protocol.
///
/// Besides what the metrics need (which questions fill which fact, which feed a dispatch point),
/// it keeps the protocol's conditions in flat tables: the review's replay reads them by index,
/// without copying a question, relay or instruction at every step.
public struct ReviewPlan: Sendable {
  public let callProtocol: CallProtocol
  /// For each critical fact (in ``CriticalFact/allCases`` order), the question slots whose
  /// answers fill its fields.
  let factSlots: [[Int]]
  /// For each question slot, the critical facts it fills.
  let slotFacts: [[Int]]
  /// For each relay, the critical facts whose questions its text reads, with those slots.
  let relayFacts: [[(fact: Int, slots: [Int])]]
  /// Question slots the dispatch points depend on, through derived facts.
  let dispatchSlots: Set<Int>
  /// Question slots that fill a field of some critical fact.
  let factQuestionSlots: Set<Int>
  /// A session at the start of a call in each of the protocol's languages, copied for each call
  /// (starting one works out the first prompt and effects, which need not be done every time).
  let startingSessions: [String: Session]

  // Tables by question slot; the conditions themselves are the engine's
  // (`callProtocol.tables`).
  let questionIDs: [String]
  let priorities: [Int]
  /// Slots of the questions marked `required`, in protocol order.
  let requiredSlots: [Int]
  let askingOrder: [Int]
  // Tables by relay, instruction, verification and dispatch point index.
  let relayIDs: [String]
  let relayWhen: [ConditionRef]
  let relayResendOn: [[Int]]
  let relayResends: [Bool]
  let instructionIDs: [String]
  let instructionWhen: [ConditionRef]
  let instructionRequired: [Bool]
  let instructionInterrupt: [Bool]
  let verificationIDs: [String]
  let verificationWhen: [ConditionRef]
  let verificationResendOn: [[Int]]
  /// A verification whose id a conflict check could also raise (`conflict_…`): its state is
  /// read from the session rather than tracked by the review.
  let verificationShared: [Bool]
  let dispatchIDs: [String]
  let dispatchWhen: [ConditionRef]
  /// For each question slot, the relays, instructions and verifications an answer to it can
  /// make due.
  ///
  /// Those reading a slot whose value depends on it; nothing else needs looking at.
  let affected: [Affected]
  /// What the caller's line dropping or coming back can make due, when the protocol reads the
  /// built-in `line_dropped`; nil when it does not.
  let lineAffected: Affected?

  struct Affected {
    var relays: [Int]
    var instructions: [Int]
    var verifications: [Int]
  }

  public init(_ callProtocol: CallProtocol) {
    self.callProtocol = callProtocol
    let questions = callProtocol.questions
    let factSlots = CriticalFact.allCases.map { fact in
      questions.filter { $0.fills.map(fact.fields.contains) ?? false }.map(\.slot)
    }
    self.factSlots = factSlots
    slotFacts = questions.map { question in
      factSlots.indices.filter { factSlots[$0].contains(question.slot) }
    }
    relayFacts = callProtocol.relays.map { relay in
      let read = Set(relay.text.dependencies)
      return factSlots.enumerated().compactMap { index, slots in
        let shared = slots.filter(read.contains)
        return shared.isEmpty ? nil : (index, shared)
      }
    }
    factQuestionSlots = Set(factSlots.joined())
    // Follow derived facts back to the questions they read.
    var seen = Set<Int>()
    var pending = callProtocol.dispatchPoints.flatMap(\.when.dependencies)
    while let slot = pending.popLast() {
      guard seen.insert(slot).inserted, slot >= questions.count else { continue }
      pending += callProtocol.derived[slot - questions.count].dependencies
    }
    dispatchSlots = seen.filter { $0 < questions.count }
    var sessions: [String: Session] = [:]
    for language in callProtocol.languages + [callProtocol.language] {
      sessions[language] = Session(callProtocol: callProtocol, language: language)
    }
    startingSessions = sessions
    questionIDs = questions.map(\.id)
    priorities = questions.map(\.priority)
    requiredSlots = questions.filter(\.required).map(\.slot)
    askingOrder = callProtocol.askingOrder
    relayIDs = callProtocol.relays.map(\.id)
    relayWhen = callProtocol.relays.map { ConditionRef($0.when) }
    relayResendOn = callProtocol.relays.map(\.resendOn)
    relayResends = callProtocol.relays.map { !$0.resendOn.isEmpty }
    instructionIDs = callProtocol.instructions.map(\.id)
    instructionWhen = callProtocol.instructions.map { ConditionRef($0.when) }
    instructionRequired = callProtocol.instructions.map(\.required)
    instructionInterrupt = callProtocol.instructions.map(\.interrupt)
    verificationIDs = callProtocol.verifications.map(\.id)
    verificationWhen = callProtocol.verifications.map { ConditionRef($0.when) }
    verificationResendOn = callProtocol.verifications.map(\.resendOn)
    verificationShared = callProtocol.verifications.map { $0.id.hasPrefix("conflict_") }
    dispatchIDs = callProtocol.dispatchPoints.map(\.id)
    dispatchWhen = callProtocol.dispatchPoints.map { ConditionRef($0.when) }
    affected = Self.affected(callProtocol, by: callProtocol.questions.map(\.slot))
    lineAffected = callProtocol.lineDroppedSlot.flatMap {
      Self.affected(callProtocol, by: [$0]).first
    }
  }

  /// A new call's session in `language` (the protocol's default when it has no such language),
  /// as `Session(callProtocol:language:)` would start it.
  func startingSession(language: String) -> Session {
    startingSessions[language] ?? startingSessions[callProtocol.language]
      ?? Session(callProtocol: callProtocol, language: language)
  }

  /// How much it weighs when a required question is never asked: critical when a dispatch
  /// point depends on it, major when it fills a critical fact, minor otherwise.
  public func severityOfUnasked(_ slot: Int) -> MissSeverity {
    if dispatchSlots.contains(slot) { return .critical }
    if factQuestionSlots.contains(slot) { return .major }
    return .minor
  }

  /// What a change of each of `slots` (questions' answers, the built-in `line_dropped`) can
  /// make due, through every fact that depends on it.
  static func affected(_ callProtocol: CallProtocol, by slots: [Int]) -> [Affected] {
    let relayReads = callProtocol.relays.map { Set($0.when.dependencies + $0.resendOn) }
    let instructionReads = callProtocol.instructions.map { Set($0.when.dependencies) }
    let verificationReads = callProtocol.verifications.map {
      Set($0.when.dependencies + $0.resendOn)
    }
    return slots.map { slot in
      let influenced = callProtocol.tables.influence(of: slot) ?? []
      func reading(_ reads: [Set<Int>]) -> [Int] {
        reads.indices.filter { !reads[$0].isDisjoint(with: influenced) }
      }
      return Affected(
        relays: reading(relayReads), instructions: reading(instructionReads),
        verifications: reading(verificationReads))
    }
  }
}
