import CallScript
import Foundation

/// Where the call clock comes from: the system, or the inputs themselves (`--clock simulated`).
enum CallClock: String, CaseIterable {
  case system
  case simulated

  /// Seconds since the call started, for an input that may carry its own time.
  ///
  /// System: wall time since the start, never going back. Simulated: the input's `at`, or the
  /// last time when it has none. Either is to the millisecond, as the transcript stores it
  /// (``Transcript/stored(_:)-(Double)``), so the live records equal those replay re-derives.
  func offset(start: Date, last: Double, given: Double?) -> Double {
    switch self {
    case .system: max(last, Transcript.stored(Date().timeIntervalSince(start)))
    case .simulated: max(last, Transcript.stored(given ?? last))
    }
  }

  /// The wall time of an offset: real now for the system clock, start + offset when simulated.
  func wall(start: Date, offset: Double) -> Date {
    switch self {
    case .system: Date()
    case .simulated: start.addingTimeInterval(offset)
    }
  }
}
