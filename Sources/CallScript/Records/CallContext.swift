import Foundation

/// Who and when a call is, for records and transcripts: everything that is not a session event.
///
/// The wall-clock start is given by the caller of the library (the command line reads the
/// system clock, tests and replays give a fixed date); the core never reads a clock.
public struct CallContext: Sendable, Hashable, Codable {
  /// A unique id for the call, used in file names and record ids.
  public var callID: String
  /// Wall-clock time when the call started; event times are offsets from it.
  public var startedAt: Date
  /// The agency taking the call (an EIDO agency id such as `psap.example.gov`).
  public var agencyID: String
  /// The call-taker's position or id (an EIDO agent id).
  public var agentID: String

  public init(callID: String, startedAt: Date, agencyID: String, agentID: String) {
    self.callID = callID
    self.startedAt = startedAt
    self.agencyID = agencyID
    self.agentID = agentID
  }

  /// The wall-clock time of a call-clock offset.
  public func date(at offset: Double) -> Date {
    startedAt.addingTimeInterval(offset)
  }
}
