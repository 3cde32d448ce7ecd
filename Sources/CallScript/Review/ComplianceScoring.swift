/// The weights and thresholds that turn misses into a score and a level (docs/review.md).
///
/// A call starts at 100; each miss takes off its weight. The levels follow the shape of the
/// IAED case-evaluation levels (high, partial, low, non-compliant): one critical miss makes a
/// call non-compliant, one major miss makes it partial, and a few minor misses keep it high.
public enum ComplianceScoring {
  /// Points a critical miss takes off.
  public static let criticalWeight = 35
  /// Points a major miss takes off.
  public static let majorWeight = 12
  /// Points a minor miss takes off.
  public static let minorWeight = 4

  /// Lowest score of each level; below the last is non-compliant.
  public static let highFrom = 90
  public static let partialFrom = 80
  public static let lowFrom = 70

  /// A priority departure whose question waited at least this long (seconds) is major.
  public static let longWait = 30.0
  /// Volunteered answers a question on screen may wait through before the wait is listed
  /// (volunteered answers are never scored).
  public static let volunteeredGrace = 1

  public static func weight(_ severity: MissSeverity) -> Int {
    switch severity {
    case .critical: criticalWeight
    case .major: majorWeight
    case .minor: minorWeight
    }
  }

  /// 100 less every miss's weight, at least 0.
  public static func score(_ misses: [ComplianceMiss]) -> Int {
    max(0, 100 - misses.reduce(0) { $0 + $1.severity.weight })
  }

  /// The level of a score.
  public static func level(_ score: Int) -> ComplianceLevel {
    if score >= highFrom { return .high }
    if score >= partialFrom { return .partial }
    if score >= lowFrom { return .low }
    return .nonCompliant
  }
}
