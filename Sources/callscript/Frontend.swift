import CallScript
import Foundation

/// One input from the call-taker (or a CAD integration), with the time it carries, if any.
enum FrontendInput {
  case line(InputLine, at: Double?)
  /// Input that could not be read; the message says why.
  case invalid(String, at: Double?)
}

/// A way of talking to the call-taker: plain text lines, JSON lines, or the terminal screen.
protocol Frontend: AnyObject {
  /// The next input, or nil when input is closed.
  func next(session: Session) -> FrontendInput?
  /// The call starts (or resumes): show the first prompt and anything already due.
  func start(session: Session, outcome: StepOutcome, transcript: String, resumed: Bool)
  /// An event was recorded and applied.
  func show(_ outcome: StepOutcome, session: Session, records: [RecordOutput])
  /// Time passed and a new prompt fell due (a re-ask).
  func due(_ outcome: StepOutcome, session: Session)
  /// Something was refused; nothing changed.
  func error(_ message: String, question: String?)
  /// A display command: status, relays, verifications, help, questions.
  func info(_ line: InputLine, session: Session)
  /// The call ended, or input closed before it did.
  func finish(session: Session, transcript: String)
  /// Gives the frontend a way to let time pass while it waits for input: the handler moves
  /// the call clock to now and returns what fell due (a re-ask) and the session, or nil.
  func whileIdle(_ handler: @escaping () -> (StepOutcome, Session)?)
}

extension Frontend {
  /// Frontends that only react to input ignore the idle handler.
  func whileIdle(_ handler: @escaping () -> (StepOutcome, Session)?) {}
}

/// A dispatch record as it went out: its number and the EIDO document.
struct RecordOutput {
  var sequence: Int
  var json: String
  var path: String?
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
