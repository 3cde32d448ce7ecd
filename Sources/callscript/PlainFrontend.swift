import CallScript
import Foundation

/// The dialogue line by line, no escape codes: for pipes, scripts and tests (`--io plain`).
final class PlainFrontend: Frontend {
  let simulated: Bool
  let reader = InputLines(descriptor: STDIN_FILENO)
  /// Lets time pass while waiting for input on a live call (``Frontend/waitForInput(_:idle:)``).
  var idle: ((Bool) -> (DriverOutcome, Session, [RecordOutput])?)?

  func whileIdle(_ handler: @escaping (Bool) -> (DriverOutcome, Session, [RecordOutput])?) {
    idle = handler
  }

  init(simulated: Bool) { self.simulated = simulated }

  func write(_ lines: [String]) {
    guard !lines.isEmpty else { return }
    print(lines.map { SafeText.visible($0) }.joined(separator: "\n"))
    fflush(nil)
  }

  func next(session: Session, prompt: Prompt?) -> FrontendInput? {
    print("> ", terminator: "")
    fflush(nil)
    waitForInput(reader, idle: idle) {
      print("> ", terminator: "")
      fflush(nil)
    }
    let raw: String
    switch reader.next() {
    case nil: return nil
    case .text(let text): raw = text
    case .tooLong(let length):
      return .invalid(
        "input line of \(length) bytes is longer than \(InputLines.maximumLine); nothing changed",
        at: nil)
    case .notUTF8: return .invalid("the line is not UTF-8 text; nothing changed", at: nil)
    }
    if simulated {
      guard let (at, rest) = splitTime(raw) else {
        return .invalid(
          "a time prefix must be '@SECONDS ' (seconds since the call started)", at: nil)
      }
      return .typed(InputLine.parse(rest), at: at)
    }
    return .typed(InputLine.parse(raw), at: nil)
  }

  func start(
    session: Session, outcome: StepOutcome, transcript: String, resumed: Bool, signedBy: String?
  ) {
    var lines = [
      "callscript: \(session.callProtocol.title) \(session.callProtocol.version)"
        + (resumed ? " — resumed" : "") + "; transcript \(transcript)",
      "type /help for commands",
      BoardText.signing(signedBy),
    ]
    if resumed { lines += BoardText.board(session) }
    lines += BoardText.effects(outcome, records: [])
    if let prompt = outcome.prompt { lines += BoardText.prompt(prompt) }
    write(lines)
  }

  func show(_ outcome: DriverOutcome, session: Session, records: [RecordOutput]) {
    var lines = outcome.due.map(BoardText.due)
    if let error = outcome.error { lines.append("ERROR \(error)") }
    lines += BoardText.taken(outcome.event, session: session)
    if outcome.step != nil || !records.isEmpty {
      lines += BoardText.effects(outcome.step ?? StepOutcome(), records: records)
    }
    if outcome.step != nil || outcome.promptChanged {
      if let prompt = outcome.prompt {
        lines += BoardText.prompt(prompt)
      } else if !session.ended {
        lines.append("no questions left: /status to review, /end to end the call")
      }
    }
    write(lines)
  }

  /// Only the records caught up: the question on screen was shown at the start and stays
  /// (going through ``show`` said "no questions left" under it).
  func caughtUp(_ records: [RecordOutput], session: Session) {
    write(BoardText.effects(StepOutcome(), records: records))
  }

  func phoneSystem(_ items: [(item: String, text: String)]) {
    write([BoardText.phoneSystem(items)])
  }

  func incident(_ notice: IncidentNotice) {
    write(notice.lines)
  }

  func error(_ message: String, question: String?) {
    write(["ERROR \(message)"])
  }

  func info(_ line: InputLine, session: Session) {
    write(BoardText.info(line, session: session))
  }

  func finish(session: Session, transcript: String?) {
    write([BoardText.closing(session: session, transcript: transcript)])
  }
}
