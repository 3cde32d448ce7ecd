/// What a set of calls shows together: distributions, levels by position and protocol version,
/// the questions most often missed.
///
/// Built by adding one ``CallReview`` at a time; it keeps counts only, so its size does not grow
/// with the number of calls (see ``Distribution``).
public struct ReviewSummary: Sendable, Hashable {
  /// Calls per compliance level.
  public struct LevelCounts: Sendable, Hashable {
    public var calls = 0
    public var counts: [ComplianceLevel: Int] = [:]
    public var score = Distribution()

    public init() {}

    public subscript(level: ComplianceLevel) -> Int { counts[level] ?? 0 }

    mutating func add(_ compliance: Compliance) {
      calls += 1
      counts[compliance.level, default: 0] += 1
      score.add(Double(compliance.score))
    }
  }

  /// Calls reviewed.
  public var calls = 0
  /// Files skipped because they failed verification or could not be read.
  public var skipped = 0
  /// Calls whose transcript has no `end` event.
  public var notEnded = 0
  /// Calls that never reached a dispatch point.
  public var notDispatched = 0
  public var timeToDispatch = Distribution()
  public var answersToDispatch = Distribution()
  public var duration = Distribution()
  /// The facts of the calls reviewed, by id, in the order first seen (a fact of the same id
  /// in two protocols is counted together), with how reports name them.
  public var factIDs: [String] = []
  public var factTitles: [String: String] = [:]
  /// Calls whose protocol declares no facts for review (generic metrics only).
  public var noFactsDeclared = 0
  /// Seconds from known to first sent out, per fact, over the calls where it went out.
  public var factLatency: [String: Distribution] = [:]
  /// Calls where the fact was known but never went out.
  public var factsNeverOut: [String: Int] = [:]
  /// Calls where the fact's relay carried it later than its `within` target.
  public var factsLate: [String: Int] = [:]
  /// How long higher-priority questions waited in departures from the order (scored).
  public var priorityWait = Distribution()
  /// How long questions on screen waited behind volunteered answers (listed, not scored).
  public var volunteeredWait = Distribution()
  public var levels = LevelCounts()
  public var byPosition: [String: LevelCounts] = [:]
  /// Keyed by "protocol-id version".
  public var byProtocol: [String: LevelCounts] = [:]
  /// Required questions never asked, by question id.
  public var missedQuestions: [String: Int] = [:]
  public var missesByKind: [ComplianceMiss.Kind: Int] = [:]
  public var missesBySeverity: [MissSeverity: Int] = [:]
  public var overrides = 0
  /// Verifications still pending at the end, over all calls.
  public var unconfirmed = 0
  /// Calls whose transcript is not signed.
  public var unsigned = 0
  /// Relay produced to relay aired, and fact known to relay aired, over every aired fact.
  public var relayToAired = Distribution()
  public var knownToAired = Distribution()
  /// Critical facts known but never put on the air, by fact.
  public var factsNeverAired: [String: Int] = [:]

  public init() {}

  /// Counts one call in.
  public mutating func add(_ review: CallReview) {
    calls += 1
    if !review.ended { notEnded += 1 }
    if review.signingKey == nil { unsigned += 1 }
    if let dispatch = review.dispatch {
      timeToDispatch.add(dispatch.at)
      answersToDispatch.add(Double(dispatch.answers))
    } else {
      notDispatched += 1
    }
    duration.add(review.duration)
    if review.facts.isEmpty { noFactsDeclared += 1 }
    for timing in review.facts {
      let id = timing.fact.id
      if factTitles[id] == nil {
        factIDs.append(id)
        factTitles[id] = timing.fact.title
      }
      if let latency = timing.latency {
        factLatency[id, default: Distribution()].add(latency)
      }
      if timing.neverOut { factsNeverOut[id, default: 0] += 1 }
      if timing.late { factsLate[id, default: 0] += 1 }
    }
    addAirings(review)
    levels.add(review.compliance)
    byPosition[review.position, default: LevelCounts()].add(review.compliance)
    byProtocol[review.protocolLabel, default: LevelCounts()].add(review.compliance)
    for miss in review.compliance.misses {
      missesByKind[miss.kind, default: 0] += 1
      missesBySeverity[miss.severity, default: 0] += 1
      if miss.kind == .requiredQuestion { missedQuestions[miss.subject, default: 0] += 1 }
    }
    for wait in review.waits {
      if wait.viaPrompt { priorityWait.add(wait.wait) } else { volunteeredWait.add(wait.wait) }
    }
    overrides += review.overrides.count
    unconfirmed += review.unconfirmed.count
  }

  /// "title count" for each fact with a count, in the order first seen.
  public func factCounts(_ counts: [String: Int], separator: String = " ") -> [String] {
    factIDs.compactMap { fact in
      counts[fact].map { "\(factTitles[fact] ?? fact)\(separator)\($0)" }
    }
  }

  /// The questions most often missed, most first, then by id.
  public func mostMissedQuestions(limit: Int = 10) -> [(question: String, count: Int)] {
    missedQuestions.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(limit).map {
      (question: $0.key, count: $0.value)
    }
  }

  /// The rows of the timing table: name, distribution, and whether values are seconds.
  public var timingRows: [(name: String, key: String, values: Distribution, seconds: Bool)] {
    var rows: [(String, String, Distribution, Bool)] = [
      ("time to dispatch", "time_to_dispatch", timeToDispatch, true),
      ("answers to dispatch", "answers_to_dispatch", answersToDispatch, false),
      ("call duration", "duration", duration, true),
    ]
    for fact in factIDs {
      rows.append(
        (
          "latency: \(factTitles[fact] ?? fact)", "latency_\(fact)",
          factLatency[fact] ?? Distribution(), true
        ))
    }
    rows.append(("wait, departure from order", "priority_wait", priorityWait, true))
    rows.append(("wait, behind volunteered answers", "volunteered_wait", volunteeredWait, true))
    rows.append(("compliance score", "score", levels.score, false))
    return rows.map { (name: $0.0, key: $0.1, values: $0.2, seconds: $0.3) }
  }
}
