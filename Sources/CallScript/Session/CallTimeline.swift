import Foundation

/// Where a call sits in real time: when it started and the time zone of the center, so facts
/// can be told to units as clock times ("14:02") rather than ages.
public struct CallTimeline: Sendable, Hashable {
  public var startedAt: Date
  public var timeZone: TimeZone

  public init(startedAt: Date, timeZone: TimeZone) {
    self.startedAt = startedAt
    self.timeZone = timeZone
  }

  /// The clock time of a call-clock offset, `HH:MM` (24 hours) in the call's time zone.
  public func clockText(_ offset: Double) -> String {
    guard offset.isFinite, abs(offset) <= CallDriver.maximumTime else { return "not yet known" }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let parts = calendar.dateComponents(
      [.hour, .minute], from: startedAt.addingTimeInterval(offset.rounded(.down)))
    let hour = parts.hour ?? 0
    let minute = parts.minute ?? 0
    return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
  }

  /// A time zone from its IANA name ("America/Chicago", "UTC"); nil when unknown.
  public static func zone(named name: String) -> TimeZone? {
    TimeZone(identifier: name)
  }
}
