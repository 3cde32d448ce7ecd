import CallScript
import Foundation

/// A call being taken: a ``CallDriver`` whose every accepted event is first made durable in its
/// transcript, so nothing shown as accepted can be lost.
///
/// The order is always: bind the input to its question, check the event against the session,
/// append it to the transcript and `fsync`, then apply it. If the write fails the session is
/// left as it was.
public final class LiveCall {
  public private(set) var driver: CallDriver
  public let context: CallContext
  public let writer: TranscriptWriter

  /// The call's session.
  public var session: Session { driver.session }

  /// For a resumed call, every record its transcript gives, in order: records are a pure
  /// function of the transcript, so any the process died before writing can be written now.
  public private(set) var replayedRecords: [RecordSnapshot] = []

  /// Starts a new call, creating its transcript.
  ///
  /// `timeZone` is the center's (an IANA name): relays tell units clock times in it. With a
  /// `signer`, every line of the transcript is signed.
  public init(
    callProtocol: CallProtocol, protocolHash: String, context: CallContext, language: String?,
    clock: String, timeZone: String = "UTC", transcriptPath: String,
    signer: TranscriptSigner? = nil
  ) throws {
    let header = Transcript.Header(
      protocolID: callProtocol.id, protocolVersion: callProtocol.version,
      protocolHash: protocolHash, context: context,
      language: Session(callProtocol: callProtocol, language: language).language, clock: clock,
      timeZone: timeZone)
    let session = Session(
      callProtocol: callProtocol, language: header.language, timeline: header.timeline)
    driver = CallDriver(session: session)
    self.context = context
    writer = try TranscriptWriter(creating: transcriptPath, header: header, signer: signer)
  }

  /// Resumes a call from its verified transcript, rebuilding it event by event.
  ///
  /// A signed transcript is continued only with its own key as `signer`.
  public init(
    resuming reading: TranscriptReading, callProtocol: CallProtocol, path: String,
    signer: TranscriptSigner? = nil
  ) throws {
    switch TranscriptReader.replay(reading, on: callProtocol) {
    case .success(let (driver, outcomes)):
      self.driver = driver
      replayedRecords = outcomes.flatMap(\.records)
    case .failure(let problem): throw problem
    }
    context = reading.header.context
    writer = try TranscriptWriter(appendingTo: path, after: reading, signer: signer)
  }

  /// Shows where a resumed call stands: the question to ask now.
  public func resume() -> DriverOutcome {
    driver.resume()
  }

  /// Handles an input at call-clock time `at` (wall time `wall`), recording its event first.
  public func handle(_ action: CallAction, at: Double, wall: Date) -> DriverOutcome {
    let writer = self.writer
    return driver.handle(action, at: at) { event, time, prompt in
      try writer.append(event, at: time, wall: wall, prompt: prompt)
    }
  }

  /// Lets time pass (re-asks may fall due); nothing is recorded.
  public func tick(to time: Double, canShow: Bool) -> DriverOutcome {
    driver.tick(to: time, canShow: canShow)
  }
}
