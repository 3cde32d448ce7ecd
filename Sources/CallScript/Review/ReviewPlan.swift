/// What the review needs to know about a protocol, worked out once per protocol.
///
/// Which questions fill which critical fact, which feed a dispatch point. What falls due when
/// is the engine's own decision (``Session/decide(_:at:)``); the review only measures it.
public struct ReviewPlan: Sendable {
  public let callProtocol: CallProtocol
  /// The facts the protocol declares for review (`review.facts`), in the order written.
  public let facts: [ReviewFact]
  /// For each fact, the question slots whose answers establish it.
  let factSlots: [[Int]]
  /// For each fact, those of its slots that a record carries (questions with `fills`).
  let recordSlots: [[Int]]
  /// For each question slot, the facts it establishes.
  let slotFacts: [[Int]]
  /// For each relay, the facts it can carry (those its text reads and that name no other
  /// relay), with the fact's slots it reads.
  let relayFacts: [[(fact: Int, slots: [Int])]]
  /// Question slots the dispatch points depend on, through derived facts.
  let dispatchSlots: Set<Int>
  /// Question slots that establish a critical or major fact.
  let weightyFactSlots: Set<Int>
  /// A session at the start of a call in each of the protocol's languages, copied for each call
  /// (starting one works out the first prompt and effects, which need not be done every time).
  let startingSessions: [String: Session]

  // Tables by question slot.
  let questionIDs: [String]
  let priorities: [Int]
  /// Slots of the questions marked `required`, in protocol order.
  let requiredSlots: [Int]

  public init(_ callProtocol: CallProtocol) {
    self.callProtocol = callProtocol
    let questions = callProtocol.questions
    facts = callProtocol.reviewFacts
    let factSlots = facts.map(\.questions)
    self.factSlots = factSlots
    recordSlots = factSlots.map { slots in slots.filter { questions[$0].fills != nil } }
    slotFacts = questions.map { question in
      factSlots.indices.filter { factSlots[$0].contains(question.slot) }
    }
    let facts = facts
    relayFacts = callProtocol.relays.indices.map { relay in
      let read = Set(callProtocol.relays[relay].text.dependencies)
      return factSlots.enumerated().compactMap { index, slots in
        guard facts[index].relay == nil || facts[index].relay == relay else { return nil }
        let shared = slots.filter(read.contains)
        return shared.isEmpty ? nil : (index, shared)
      }
    }
    weightyFactSlots = Set(
      facts.indices.filter { facts[$0].severity != .minor }.flatMap { factSlots[$0] })
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
  }

  /// A new call's session in `language` (the protocol's default when it has no such language),
  /// as `Session(callProtocol:language:)` would start it.
  func startingSession(language: String) -> Session {
    startingSessions[language] ?? startingSessions[callProtocol.language]
      ?? Session(callProtocol: callProtocol, language: language)
  }

  /// How much it weighs when a required question is never asked: critical when a dispatch
  /// point depends on it, major when it establishes a declared critical or major fact, minor
  /// otherwise.
  public func severityOfUnasked(_ slot: Int) -> MissSeverity {
    if dispatchSlots.contains(slot) { return .critical }
    if weightyFactSlots.contains(slot) { return .major }
    return .minor
  }
}
