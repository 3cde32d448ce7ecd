import CallScript
import Foundation

/// A way of talking to the call-taker: plain text lines, JSON lines, or the terminal screen.
protocol Frontend: AnyObject {
  /// The next input, or nil when input is closed.
  func next(session: Session, prompt: Prompt?) -> FrontendInput?
  /// The call starts (or resumes): show the first prompt and anything already due, and whether
  /// the transcript is signed (`signedBy`, the public key) or not.
  func start(
    session: Session, outcome: StepOutcome, transcript: String, resumed: Bool, signedBy: String?)
  /// An input was handled: what fell due meanwhile, the event's effects and records, a refusal,
  /// and the question on screen now.
  func show(_ outcome: DriverOutcome, session: Session, records: [RecordOutput])
  /// Records a resumed call wrote now because the process died before writing them.
  func caughtUp(_ records: [RecordOutput], session: Session)
  /// News from the incident store: candidates, the incident's picture, a corroborated relay,
  /// a store problem or its recovery.
  func incident(_ notice: IncidentNotice)
  /// Something was refused before it reached the call; nothing changed.
  func error(_ message: String, question: String?)
  /// A display command: status, relays, verifications, help, questions.
  func info(_ line: InputLine, session: Session)
  /// The call ended, or input closed before it did; `transcript` is nil when none was kept (a
  /// call in which nothing was recorded).
  func finish(session: Session, transcript: String?)
  /// Gives the frontend a way to let time pass while it waits for input: the handler moves
  /// the call clock to now and returns what fell due (often nothing), the session, and the
  /// records that went out (one that waited for the record interval).
  /// Its argument says whether the call-taker's line is empty (a due question may take the
  /// screen only then).
  func whileIdle(_ handler: @escaping (Bool) -> (DriverOutcome, Session, [RecordOutput])?)
  /// What the phone system and CAD gave with the call and the call took (`take --callback`,
  /// `--location`, a jsonl `{"call": …}`), for the call-taker to confirm with the caller.
  func phoneSystem(_ items: [(item: String, text: String)])
}

extension Frontend {
  func caughtUp(_ records: [RecordOutput], session: Session) {
    var outcome = DriverOutcome()
    outcome.step = StepOutcome()
    show(outcome, session: session, records: records)
  }

  /// Frontends that only react to input ignore the idle handler.
  func whileIdle(_ handler: @escaping (Bool) -> (DriverOutcome, Session, [RecordOutput])?) {}

  /// Lets time pass about once a second until input arrives, over a pipe on a live call.
  ///
  /// The handler is only given with the system clock. A record that waited for the record
  /// interval goes out when its time comes and a question falling due is announced, not only
  /// when the next line is read. A due question never takes the prompt here (`canShow` false):
  /// a program answering the prompt it was shown keeps it.
  /// `shown` runs after anything was shown (the plain frontend writes its `> ` again).
  func waitForInput(
    _ reader: InputLines,
    idle: ((Bool) -> (DriverOutcome, Session, [RecordOutput])?)?,
    shown: () -> Void = {}
  ) {
    guard let idle else { return }
    while !reader.waitForInput(milliseconds: 1_000) {
      guard let (outcome, session, records) = idle(false) else { continue }
      if outcome.promptChanged || !outcome.due.isEmpty || !records.isEmpty {
        show(outcome, session: session, records: records)
        shown()
      }
    }
  }

  /// A program reads call data from its own `call_data` events (jsonl): nothing to show.
  func phoneSystem(_ items: [(item: String, text: String)]) {}
}

/// A dispatch record as it went out: its number and the EIDO document.
struct RecordOutput {
  var sequence: Int
  var json: String
  var path: String?
  /// Why it could not be written to the records folder, if it could not.
  var problem: String?
}

/// Reads `@SECONDS ` before a line: the input's time on a simulated clock.
func splitTime(_ line: String) -> (Double?, String)? {
  guard line.hasPrefix("@") else { return (nil, line) }
  let parts = line.dropFirst().split(separator: " ", maxSplits: 1)
  guard let first = parts.first, let seconds = Double(first), seconds.isFinite, seconds >= 0,
    seconds < 1e7
  else { return nil }
  return (seconds, parts.count > 1 ? String(parts[1]) : "")
}
