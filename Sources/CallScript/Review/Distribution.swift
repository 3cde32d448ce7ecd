/// A distribution of values kept as counts per thousandth, with exact nearest-rank percentiles.
///
/// Transcript times have at most three decimals, so counting each value to the thousandth loses
/// nothing, and the memory grows with the number of distinct values, not with the number of
/// calls. Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the
/// value at rank ⌈p/100 · n⌉ (1-based); the median is the 50th percentile, so for an even n it
/// is the lower of the two middle values.
public struct Distribution: Sendable, Hashable {
  /// Number of values added.
  public private(set) var count = 0
  var counts: [Int: Int] = [:]

  public init() {}

  /// Adds a value (rounded to the thousandth); non-finite values are ignored.
  public mutating func add(_ value: Double) {
    guard value.isFinite, abs(value) < 1e12 else { return }
    counts[Int((value * 1000).rounded()), default: 0] += 1
    count += 1
  }

  /// Adds every value of another distribution.
  public mutating func merge(_ other: Distribution) {
    for (key, occurrences) in other.counts { counts[key, default: 0] += occurrences }
    count += other.count
  }

  /// The nearest-rank `percent`-th percentile (0 < percent ≤ 100); nil when empty.
  public func percentile(_ percent: Double) -> Double? {
    guard count > 0 else { return nil }
    let rank = max(1, min(count, Int((percent / 100 * Double(count)).rounded(.up))))
    var seen = 0
    for key in counts.keys.sorted() {
      seen += counts[key] ?? 0
      if seen >= rank { return Double(key) / 1000 }
    }
    return nil
  }

  public var median: Double? { percentile(50) }
  public var p90: Double? { percentile(90) }
  public var minimum: Double? { counts.keys.min().map { Double($0) / 1000 } }
  public var maximum: Double? { counts.keys.max().map { Double($0) / 1000 } }
}
