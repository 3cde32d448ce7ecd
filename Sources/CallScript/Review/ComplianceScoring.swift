/// The weights and thresholds that turn misses into a score and a level (docs/review.md).
///
/// A call starts at 100; each miss takes off its weight. The levels follow the shape of the
/// IAED case-evaluation levels (high, partial, low, non-compliant): one critical miss makes a
/// call non-compliant, one major miss makes it partial, and a few minor misses keep it high.
package enum ComplianceScoring {
  /// Points a critical miss takes off.
  package static let criticalWeight = 35
  /// Points a major miss takes off.
  package static let majorWeight = 12
  /// Points a minor miss takes off.
  package static let minorWeight = 4

  /// Lowest score of each level; below the last is non-compliant.
  package static let highFrom = 90
  package static let partialFrom = 80
  package static let lowFrom = 70

  /// A priority departure whose question waited at least this long (seconds) is major.
  package static let longWait = 30.0
  /// Volunteered answers a question on screen may wait through before the wait is listed
  /// (volunteered answers are never scored).
  package static let volunteeredGrace = 1

  package static func weight(_ severity: MissSeverity) -> Int {
    switch severity {
    case .critical: criticalWeight
    case .major: majorWeight
    case .minor: minorWeight
    }
  }

  /// 100 less every miss's weight, at least 0.
  package static func score(_ misses: [ComplianceMiss]) -> Int {
    max(0, 100 - misses.reduce(0) { $0 + $1.severity.weight })
  }

  /// The level of a score.
  package static func level(_ score: Int) -> ComplianceLevel {
    if score >= highFrom { return .high }
    if score >= partialFrom { return .partial }
    if score >= lowFrom { return .low }
    return .nonCompliant
  }
}
