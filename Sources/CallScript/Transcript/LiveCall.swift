import Foundation

/// A call being taken: a session whose every accepted event is first made durable in its
/// transcript, so nothing shown as accepted can be lost.
///
/// The order is always: check the event against the session, append it to the transcript and
/// `fsync`, then apply it. If the write fails the session is left as it was.
public final class LiveCall {
  public private(set) var session: Session
  public let context: CallContext
  public let writer: TranscriptWriter

  /// Starts a new call, creating its transcript.
  public init(
    callProtocol: CallProtocol, protocolHash: String, context: CallContext, language: String?,
    clock: String, transcriptPath: String
  ) throws {
    let session = Session(callProtocol: callProtocol, language: language)
    self.session = session
    self.context = context
    writer = try TranscriptWriter(
      creating: transcriptPath,
      header: Transcript.Header(
        protocolID: callProtocol.id, protocolVersion: callProtocol.version,
        protocolHash: protocolHash, context: context, language: session.language, clock: clock))
  }

  /// Resumes a call from its verified transcript, rebuilding the session event by event.
  public init(resuming reading: TranscriptReading, callProtocol: CallProtocol, path: String)
    throws
  {
    switch TranscriptReader.replay(reading, on: callProtocol) {
    case .success(let (session, _)): self.session = session
    case .failure(let problem): throw problem
    }
    context = reading.header.context
    writer = try TranscriptWriter(appendingTo: path, after: reading)
  }

  /// Records and applies an event at call-clock time `at` (wall time `wall`).
  public func submit(_ event: SessionEvent, at: Double, wall: Date) -> Result<
    StepOutcome, LiveCallError
  > {
    if case .failure(let error) = session.validate(event, at: at) {
      return .failure(.refused(error))
    }
    do {
      try writer.append(event, at: at, wall: wall)
    } catch {
      return .failure(.notRecorded("\(error)"))
    }
    return session.apply(event, at: at).mapError { .refused($0) }
  }

  /// Lets time pass (re-asks may fall due); nothing is recorded.
  public func advance(to time: Double) -> StepOutcome {
    session.advance(to: time)
  }
}

/// Why an event was not taken.
public enum LiveCallError: Error, Sendable, CustomStringConvertible {
  /// The session refused it: wrong kind of answer, unknown question, call ended…
  case refused(SessionError)
  /// It could not be written to the transcript; the session is unchanged.
  case notRecorded(String)

  public var description: String {
    switch self {
    case .refused(let error): error.message
    case .notRecorded(let message): "not recorded, try again: \(message)"
    }
  }
}
