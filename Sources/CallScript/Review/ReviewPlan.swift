/// What the review needs to know about a protocol, worked out once per protocol.
///
/// Which questions fill which critical fact, which feed a dispatch point. What falls due when
/// is the engine's own decision (``Session/decide(_:at:)``); the review only measures it.
package struct ReviewPlan: Sendable {
  package let callProtocol: CallProtocol
  /// The facts the protocol declares for review (`review.facts`), in the order written.
  package let facts: [ReviewFact]
  /// When the call's protocol declares no facts and a later version of it does: which facts
  /// were taken from which version (docs/review.md, "Calls taken on an older version").
  package let borrowedFacts: BorrowedFacts?
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

  /// The plan for `callProtocol`; when it declares no facts and `laterVersion` is a later
  /// version of the same protocol id that does, its facts whose questions (and relay) exist in
  /// `callProtocol` are scored instead (``BorrowedFacts``).
  package init(_ callProtocol: CallProtocol, laterVersion: CallProtocol? = nil) {
    self.callProtocol = callProtocol
    let questions = callProtocol.questions
    if callProtocol.reviewFacts.isEmpty, let laterVersion,
      let borrowed = BorrowedFacts(for: callProtocol, from: laterVersion)
    {
      facts = borrowed.facts
      borrowedFacts = borrowed
    } else {
      facts = callProtocol.reviewFacts
      borrowedFacts = nil
    }
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
  package func severityOfUnasked(_ slot: Int) -> MissSeverity {
    if dispatchSlots.contains(slot) { return .critical }
    if weightyFactSlots.contains(slot) { return .major }
    return .minor
  }
}

/// Review facts taken from a later version of a protocol for calls taken on a version that
/// declares none (an archived protocol written before `review:` existed).
///
/// A fact is taken when every question it names is a question of the call's version (matched
/// by id), its relay, when it names one, is a relay of the call's version whose text reads one
/// of those questions, and something in the call's version can carry it out (a question with
/// `fills`, or a relay that reads one of them); the others are left out, with the reason.
public struct BorrowedFacts: Sendable, Hashable {
  /// The version the facts were taken from.
  public var version: String
  /// The facts taken, renumbered to the call's version's question and relay slots.
  public var facts: [ReviewFact]
  /// The later version's facts that could not be taken, with why.
  public var leftOut: [LeftOut]

  /// A fact of the later version that was not taken.
  public struct LeftOut: Sendable, Hashable {
    public var id: String
    public var reason: String
  }

  /// Nil unless `later` has the same id, a later version and declared facts, and at least one of
  /// them can be taken.
  public init?(for archived: CallProtocol, from later: CallProtocol) {
    guard archived.reviewFacts.isEmpty, later.id == archived.id, !later.reviewFacts.isEmpty,
      ProtocolVersion.isLater(later.version, than: archived.version)
    else { return nil }
    version = later.version
    facts = []
    leftOut = []
    let questionSlots = Dictionary(
      archived.questions.map { ($0.id, $0.slot) }, uniquingKeysWith: { first, _ in first })
    let readByRelays = Set(archived.relays.flatMap(\.text.dependencies))
    for fact in later.reviewFacts {
      let ids = fact.questions.map { later.questions[$0].id }
      let missing = ids.filter { questionSlots[$0] == nil }
      guard missing.isEmpty else {
        leave(
          fact.id,
          "question" + (missing.count == 1 ? " " : "s ")
            + missing.map { "'\($0)'" }.joined(separator: ", ") + " not in \(archived.version)")
        continue
      }
      let slots = ids.compactMap { questionSlots[$0] }
      var relay: Int?
      if let named = fact.relay {
        let relayID = later.relays[named].id
        guard let index = archived.relays.firstIndex(where: { $0.id == relayID }) else {
          leave(fact.id, "relay '\(relayID)' not in \(archived.version)")
          continue
        }
        guard Set(archived.relays[index].text.dependencies).contains(where: slots.contains)
        else {
          leave(fact.id, "relay '\(relayID)' of \(archived.version) reads none of its questions")
          continue
        }
        relay = index
      }
      guard
        slots.contains(where: { archived.questions[$0].fills != nil || readByRelays.contains($0) })
      else {
        leave(fact.id, "nothing in \(archived.version) carries it out")
        continue
      }
      var taken = fact
      taken.questions = slots
      taken.relay = relay
      facts.append(taken)
    }
    guard !facts.isEmpty else { return nil }
  }

  private mutating func leave(_ id: String, _ reason: String) {
    leftOut.append(LeftOut(id: id, reason: reason))
  }
}

/// Protocol versions compared as dotted numbers (`2.10.0` is later than `2.9.1`).
public enum ProtocolVersion {
  /// Whether `version` is later than `other`: compared part by part as numbers, a missing part
  /// counting as 0; a part that is not a number is compared as text.
  public static func isLater(_ version: String, than other: String) -> Bool {
    let lhs = version.split(separator: ".", omittingEmptySubsequences: false)
    let rhs = other.split(separator: ".", omittingEmptySubsequences: false)
    for index in 0..<max(lhs.count, rhs.count) {
      let left = index < lhs.count ? String(lhs[index]) : "0"
      let right = index < rhs.count ? String(rhs[index]) : "0"
      if let leftNumber = Int(left), let rightNumber = Int(right) {
        if leftNumber != rightNumber { return leftNumber > rightNumber }
      } else if left != right {
        return left > right
      }
    }
    return false
  }
}
