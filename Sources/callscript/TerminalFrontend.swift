import CallScript
import Foundation

/// The call-taker's screen (`--io tty`).
///
/// Until the readline screen lands this is the plain dialogue on the terminal.
final class TerminalFrontend: Frontend {
  private let plain: PlainFrontend

  init(simulated: Bool) { plain = PlainFrontend(simulated: simulated) }

  func next(session: Session) -> FrontendInput? { plain.next(session: session) }
  func start(session: Session, outcome: StepOutcome, transcript: String, resumed: Bool) {
    plain.start(session: session, outcome: outcome, transcript: transcript, resumed: resumed)
  }
  func show(_ outcome: StepOutcome, session: Session, records: [RecordOutput]) {
    plain.show(outcome, session: session, records: records)
  }
  func due(_ outcome: StepOutcome, session: Session) { plain.due(outcome, session: session) }
  func error(_ message: String, question: String?) { plain.error(message, question: question) }
  func info(_ line: InputLine, session: Session) { plain.info(line, session: session) }
  func finish(session: Session, transcript: String) {
    plain.finish(session: session, transcript: transcript)
  }
}
