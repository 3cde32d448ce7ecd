import Foundation

/// What a supervisor's review finds in one call: timings, facts, compliance, loose ends.
///
/// All times are call-clock seconds since the call started. docs/review.md defines every
/// metric; ``CallReviewer`` computes them from a verified transcript.
public struct CallReview: Sendable, Hashable {
  /// When the first dispatch record went out.
  public struct Dispatch: Sendable, Hashable {
    /// Call-clock seconds of the first record.
    public var at: Double
    /// Answers recorded up to and including the one that reached the dispatch point.
    public var answers: Int
    /// The dispatch point's id.
    public var point: String
  }

  /// One declared fact (the protocol's `review.facts`) from first received to first sent out.
  public struct FactTiming: Sendable, Hashable {
    public var fact: ReviewFact
    /// When an answer first gave the fact a known value (not unknown or refused).
    public var knownAt: Double?
    /// The question whose answer made it known.
    public var source: String?
    /// When a dispatch record first carried it.
    public var recordAt: Double?
    /// When a relay line reading it first went out, and which relay (only the fact's own
    /// `relay` when it names one).
    public var relayAt: Double?
    public var relay: String?
    /// When the answer that relay carried came: the latest known answer to the fact's
    /// questions at or before the relay.
    public var relayAnswerAt: Double? = nil

    /// Seconds from the answer the relay carried to the relay: what the fact's `within`
    /// target measures.
    public var relayLatency: Double? {
      guard let relayAt, let relayAnswerAt else { return nil }
      return relayAt - relayAnswerAt
    }

    /// The fact's relay carried it later than its `within` target allows.
    public var late: Bool {
      guard let within = fact.within, let relayLatency else { return false }
      return relayLatency > within
    }

    /// The earlier of the first record and the first relay carrying the fact.
    public var outAt: Double? {
      switch (recordAt, relayAt) {
      case (let record?, let relay?): min(record, relay)
      case (let record?, nil): record
      case (nil, let relay?): relay
      case (nil, nil): nil
      }
    }

    /// Seconds from known to first sent out.
    public var latency: Double? {
      guard let knownAt, let outAt else { return nil }
      return outAt - knownAt
    }

    /// Known but never sent out in a record or a relay: the Uvalde lesson.
    public var neverOut: Bool { knownAt != nil && outAt == nil }
  }

  /// A determinant raised by hand.
  public struct Override: Sendable, Hashable {
    public var at: Double
    public var code: String
    public var level: String
    /// The determinant in force before, if any.
    public var previousCode: String?
    public var previousLevel: String?
    public var reason: String
  }

  /// A verification still pending when the transcript ends.
  public struct Unconfirmed: Sendable, Hashable {
    public var id: String
    /// What units were asked to confirm.
    public var confirm: String
    public var raisedAt: Double
  }

  /// A higher-priority question that waited while other questions were answered.
  public struct PriorityWait: Sendable, Hashable {
    /// The question that waited.
    public var question: String
    /// When it was first passed over.
    public var since: Double
    /// Seconds until it was answered, stopped being due, or the call ended.
    public var wait: Double
    /// The questions answered meanwhile.
    public var answeredInstead: [String]
    /// Whether the wait is a departure from the order (scored).
    ///
    /// True when a question was answered from the screen while this one was due (after going
    /// back). False when every answer meanwhile was volunteered (entered for another question
    /// than the one on screen): shown, not scored.
    public var viaPrompt: Bool
  }

  /// Something that happened, for the timeline.
  public struct Mark: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
      /// An answer to the question on screen.
      case asked
      /// An answer to another question than the one on screen.
      case volunteered
      /// The first dispatch record.
      case record
      case relay
      /// Dispatch put a relay on the air.
      case aired
      case instruction
      case override
      case note
      case confirm
      case disconnect
      case callback
      case back
      case end
    }

    public var at: Double
    public var kind: Kind
    /// The question, relay, instruction, verification or determinant concerned.
    public var label: String
  }

  /// The transcript's file name as given.
  public var file: String
  public var callID: String
  public var agency: String
  /// The call-taker position from the header.
  public var position: String
  public var language: String
  public var protocolID: String
  public var protocolVersion: String
  public var protocolHash: String
  public var startedAt: Date
  /// Whether the transcript has an `end` event (an incomplete call is still reviewed).
  public var ended: Bool
  /// Call-clock seconds of the end, or of the last event when the call was not ended.
  public var duration: Double
  public var events: Int
  public var answers: Int
  /// Answers given to the question on screen.
  public var asked: Int
  /// Answers given to another question (a fact the caller volunteered, or the call-taker's
  /// own order).
  public var volunteered: Int
  /// The first dispatch record; nil when no dispatch point was reached.
  public var dispatch: Dispatch?
  /// Every fact the protocol declares for review, in the order written; empty when it
  /// declares none (the review then has the generic metrics only).
  public var facts: [FactTiming]
  public var compliance: Compliance
  /// Questions that waited: every departure from the order, and waits behind more volunteered
  /// answers than ``ComplianceScoring/volunteeredGrace``.
  public var waits: [PriorityWait]
  public var overrides: [Override]
  public var unconfirmed: [Unconfirmed]
  /// Required questions left unanswered while the caller's line was down at the end: listed,
  /// not scored.
  public var unaskedAfterDisconnect: [String]
  public var callerConnectedAtEnd: Bool
  /// Events and effects in time order.
  public var timeline: [Mark]
  /// The public key the transcript is signed with; nil for an unsigned transcript, which anyone
  /// with write access could have rewritten.
  public var signingKey: String? = nil
  /// Each critical fact from known to relay produced to relay aired (docs/review.md).
  public var airings: [FactAiring] = []
  /// When the call's protocol declares no facts: the later version whose facts were scored
  /// instead, and which of them (nil when the facts are the call's protocol's own, or none).
  public var borrowedFacts: BorrowedFacts? = nil

  /// The timing of the fact with this id.
  public func timing(_ fact: String) -> FactTiming? {
    facts.first { $0.fact.id == fact }
  }

  /// "id version" of the protocol, as aggregates group calls.
  public var protocolLabel: String { "\(protocolID) \(protocolVersion)" }
}

/// How a call followed its protocol: misses, a score and a level.
public struct Compliance: Sendable, Hashable {
  public var misses: [ComplianceMiss]
  /// 100 less the weight of every miss, never below 0.
  public var score: Int
  public var level: ComplianceLevel

  /// Scores a list of misses with ``ComplianceScoring``.
  public init(misses: [ComplianceMiss]) {
    self.misses = misses
    score = ComplianceScoring.score(misses)
    level = ComplianceScoring.level(score)
  }

  /// Misses of one severity.
  public func count(_ severity: MissSeverity) -> Int {
    misses.count { $0.severity == severity }
  }
}

/// How much a miss weighs.
public enum MissSeverity: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
  case critical
  case major
  case minor

  /// Points taken off the score of 100.
  public var weight: Int { ComplianceScoring.weight(self) }

  public static func < (lhs: MissSeverity, rhs: MissSeverity) -> Bool {
    lhs.weight > rhs.weight
  }

  /// The next lighter severity; minor stays minor.
  public var lighter: MissSeverity {
    switch self {
    case .critical: .major
    case .major, .minor: .minor
    }
  }
}

/// The compliance level a score falls in, best first.
public enum ComplianceLevel: String, Sendable, Hashable, CaseIterable, Codable {
  case high
  case partial
  case low
  case nonCompliant = "non_compliant"

  public var title: String {
    self == .nonCompliant ? "non-compliant" : rawValue
  }
}

/// One departure from the protocol.
public struct ComplianceMiss: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A required question that applied at the end of the call and was never answered.
    case requiredQuestion = "required_question"
    /// A required instruction that fell due while the caller's line was down.
    case instruction
    /// A question was answered from the screen while a higher-priority one was due.
    case priorityOrder = "priority_order"
    /// A declared fact known but never sent out in a record or relay.
    case factNotRelayed = "fact_not_relayed"
    /// A declared fact's relay carried it later than its `within` target.
    case factLate = "fact_late"
  }

  public var kind: Kind
  public var severity: MissSeverity
  /// The question, instruction or fact concerned.
  public var subject: String
  /// When it happened (for a question not asked: the end of the call).
  public var at: Double
  /// For priority order: how long the higher-priority question waited.
  public var wait: Double?
  /// For priority order: the questions answered while it waited.
  public var answeredInstead: [String]
  /// One line for people.
  public var detail: String
}
