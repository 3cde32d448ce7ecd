import CallScript
import Foundation

/// The call-taker's screen (`--io tty`): a compact board redrawn before each prompt, readline
/// editing with history and tab completion, Ctrl-C to drop a line, Ctrl-D to end the call.
///
/// The screen, top to bottom: a title; the clock line (incident, determinant, records); the
/// question to ASK with its choices and keys, first and in bold; what the latest event brought
/// (the words to SAY, then relays and records), which stays until another event brings
/// something; the facts that matter now, named by their labels (the attacker line with its age,
/// then the caller, victims and threats); errors and command output for the last line typed.
/// See ``screen(_:rows:columns:asking:)`` for what goes first when the window is short. On a
/// terminal that cannot clear (`TERM=dumb`) it writes only what is new, like `--io plain`.
final class TerminalFrontend: Frontend {
  let simulated: Bool
  private let style: TerminalStyle
  /// True when the screen is cleared and redrawn before each prompt.
  private let redraws: Bool
  private let environment: [String: String]
  private var reader: TerminalLineReader?
  private var completion = TerminalCompletion()
  private var title = ""
  /// What the latest event brought, and the call time it came.
  private var effects: [String] = []
  private var effectsAt: Double = 0
  /// Errors and command output for the last line typed.
  private var notices: [String] = []
  /// What is new since the last prompt, for a terminal that cannot redraw.
  private var fresh: [String] = []
  /// Moves the call clock on while waiting for input (system clock only).
  private var idle: ((Bool) -> (DriverOutcome, Session, [RecordOutput])?)?
  /// The question on screen, as the call driver last said.
  private var prompt: Prompt?
  /// Questions due after the one on screen, announced under it.
  private var dueLines: [String] = []
  /// What the phone system gave, to confirm with the caller: kept under the title.
  private var phoneLine: String?
  /// No bell when a question falls due.
  let quiet: Bool

  /// The prompt for an answer or command.
  static let prompt = "> "
  /// The question Ctrl-D asks.
  static let endQuestion = "End the call? [y/N] "

  init(
    simulated: Bool, quiet: Bool = false,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.simulated = simulated
    self.quiet = quiet
    self.environment = environment
    style = TerminalStyle.detect(environment: environment)
    let term = environment["TERM"] ?? ""
    redraws = isatty(STDOUT_FILENO) == 1 && !term.isEmpty && term != "dumb"
  }

  func start(
    session: Session, outcome: StepOutcome, transcript: String, resumed: Bool, signedBy: String?
  ) {
    completion = TerminalCompletion(
      callProtocol: session.callProtocol, language: session.language, simulated: simulated)
    let reader = TerminalLineReader(completion: completion, environment: environment)
    self.reader = reader
    title =
      "callscript · \(session.callProtocol.title) \(session.callProtocol.version)"
      + (resumed ? " · resumed" : "") + " · \(transcript) · /help, Tab, Ctrl-D ends"
    effects = Self.ordered(BoardText.effects(outcome, records: []))
    effectsAt = session.now
    prompt = outcome.prompt
    notices.append(BoardText.signing(signedBy))
    if let problem = reader.historyProblem { notices.append("WARN no history kept: \(problem)") }
    fresh =
      [title] + (resumed ? BoardText.board(session) : []) + effects + notices
      + promptLines(session)
  }

  func show(_ outcome: DriverOutcome, session: Session, records: [RecordOutput]) {
    let previous = prompt
    prompt = outcome.prompt
    if prompt?.number != previous?.number { dueLines = [] }
    let due = outcome.due.map(BoardText.due)
    if !due.isEmpty {
      dueLines += due
      if !quiet { emit("\u{07}") }
    }
    if let error = outcome.error { notices.append("ERROR \(error)") }
    let taken = BoardText.taken(outcome.event, session: session)
    notices += taken
    fresh += taken
    var lines: [String] = []
    if outcome.step != nil || !records.isEmpty {
      lines = Self.ordered(BoardText.effects(outcome.step ?? StepOutcome(), records: records))
      if !lines.isEmpty {
        effects = lines
        effectsAt = session.now
      }
    }
    fresh += due + (outcome.error.map { ["ERROR \($0)"] } ?? []) + lines
    if outcome.step != nil || outcome.promptChanged { fresh += promptLines(session) }
  }

  func phoneSystem(_ items: [(item: String, text: String)]) {
    let line = BoardText.phoneSystem(items)
    phoneLine = line
    fresh.append(line)
  }

  func incident(_ notice: IncidentNotice) {
    notices += notice.lines
    fresh += notice.lines
  }

  func error(_ message: String, question: String?) {
    notices.append("ERROR \(message)")
    fresh.append("ERROR \(message)")
  }

  func info(_ line: InputLine, session: Session) {
    let lines = BoardText.info(line, session: session)
    notices += lines
    fresh += lines
  }

  func whileIdle(_ handler: @escaping (Bool) -> (DriverOutcome, Session, [RecordOutput])?) {
    idle = handler
  }

  func next(session: Session, prompt: Prompt?) -> FrontendInput? {
    guard let reader else { return nil }
    var session = session
    completion.update(from: session, prompt: prompt)
    // Called about once a second while no key is pressed: a question falling due is announced
    // under the one on screen (it never takes its place), or asked when nothing waits and the
    // line is empty; the line typed so far is kept.
    var seconds = 0
    let tick: () -> Bool = { [self] in
      guard let (outcome, current, records) = idle?(reader.lineIsEmpty) else { return false }
      session = current
      if outcome.promptChanged || !outcome.due.isEmpty || !records.isEmpty {
        show(outcome, session: current, records: records)
        completion.update(from: current, prompt: self.prompt)
        return true
      }
      // The call clock ticks every second; every ten the whole board is drawn again, so ages
      // read as they are now. Neither disturbs the line being typed.
      seconds += 1
      if seconds % 10 == 0 { return true }
      showClock(current)
      return false
    }
    while true {
      draw(session)
      switch reader.nextLine(
        prompt: Self.prompt, completion: completion, redraw: { draw(session) },
        idle: idle == nil ? nil : tick)
      {
      case .line(let bytes):
        notices = []
        switch Self.decode(bytes) {
        case .failure(let problem):
          return .invalid(problem.message, at: nil)
        case .success(let text):
          reader.remember(text.trimmingCharacters(in: .whitespaces))
          var at: Double?
          var rest = text
          if simulated {
            guard let (time, line) = splitTime(text) else {
              return .invalid(
                "a time prefix must be '@SECONDS ' (seconds since the call started)", at: nil)
            }
            (at, rest) = (time, line)
          }
          // `/end` asks first, as Ctrl-D does; `/end!` ends at once.
          if rest.trimmingCharacters(in: .whitespaces).lowercased() == "/end" {
            switch confirmEnd(reader, session) {
            case .some(true): return .action(.end, at: at)
            case .some(false): continue
            case .none: return nil
            }
          }
          return .typed(InputLine.parse(rest), at: at)
        }
      case .interrupted:
        notices = ["^C: line dropped; the call goes on (/end or Ctrl-D ends it)"]
        if !redraws { write(["^C"]) }
      case .end:
        write(["^D"])
        switch confirmEnd(reader, session) {
        case .some(true): return .action(.end, at: nil)
        case .some(false): continue
        case .none: return nil
        }
      }
    }
  }

  /// Asks "End the call?": true to end it, false to go on, nil when input closed.
  private func confirmEnd(_ reader: TerminalLineReader, _ session: Session) -> Bool? {
    let answer = reader.nextLine(
      prompt: Self.endQuestion, completion: TerminalCompletion(), redraw: { draw(session) })
    switch answer {
    case .end:
      write([""])
      return nil
    case .line(let bytes):
      let answer = String(decoding: bytes, as: UTF8.self)
        .trimmingCharacters(in: .whitespaces).lowercased()
      if answer == "y" || answer == "yes" {
        notices = []
        return true
      }
      notices = ["the call goes on"]
    case .interrupted:
      write([""])
      notices = ["the call goes on"]
    }
    return false
  }

  func finish(session: Session, transcript: String?) {
    if redraws { draw(session, asking: false, reserve: 2) } else { write(fresh) }
    fresh = []
    reader?.release()
    reader = nil
    write([BoardText.closing(session: session, transcript: transcript)])
  }

  // MARK: - Drawing

  /// Writes the whole screen (or, on a terminal that cannot redraw, what is new).
  ///
  /// `reserve` rows are left free at the bottom: the line being typed, or the closing lines.
  private func draw(_ session: Session, asking: Bool = true, reserve: Int = 1) {
    guard redraws else {
      write(fresh)
      fresh = []
      return
    }
    fresh = []
    let size = reader?.screenSize ?? (rows: 24, columns: 80)
    let lines = screen(
      session, rows: size.rows - reserve, columns: size.columns, asking: asking)
    let text = lines.map { style.paint($0) }.joined(separator: "\n")
    emit("\u{1B}[H\u{1B}[2J" + text + "\n")
  }

  /// The screen's lines, printable and uncoloured, fitted to `rows`.
  ///
  /// Top to bottom: the title; the clock line; the question to ASK and its choices, then the
  /// hint and what falls due after it; what the latest event brought, words to SAY first; the
  /// facts that matter now, the attacker line first, each named by its label; what the phone
  /// system gave; errors and command output. When rows run short the least urgent lines go
  /// first (other facts, relays and records just sent, threats, victims, the caller); the
  /// title, the clock, the question, its choices and the attacker line always stay.
  func screen(_ session: Session, rows: Int, columns: Int, asking: Bool = true) -> [String] {
    typealias Block = TerminalScreen.Block
    var blocks = [
      Block([title], keep: .max, clipped: true),
      Block([BoardText.header(session)], keep: .max, clipped: true),
    ]
    if asking {
      if let prompt {
        let lines = BoardText.prompt(prompt, idLast: true)
        blocks.append(Block(Array(lines.prefix(2)), keep: .max))
        blocks.append(Block(Array(lines.dropFirst(2)), keep: 50))
      } else if !session.ended {
        blocks.append(
          Block(["no questions left: /status to review, /end to end the call"], keep: .max))
      }
      blocks.append(Block(dueLines, keep: 70))
    }
    if !effects.isEmpty {
      blocks.append(
        Block(
          [TerminalStyle.rule("latest \(BoardText.clock(effectsAt))", columns: columns)], keep: 31))
      for (prefix, keep) in [("SAY NOW", 90), ("SAY", 80), ("WARN", 75)] {
        blocks.append(
          Block(
            effects.filter {
              $0.hasPrefix(prefix) && !(prefix == "SAY" && $0.hasPrefix("SAY NOW"))
            },
            keep: keep))
      }
      blocks.append(
        Block(effects.filter { !$0.hasPrefix("SAY") && !$0.hasPrefix("WARN") }, keep: 30))
    }
    blocks.append(Block([TerminalStyle.rule("", columns: columns)], keep: 32))
    let panel = BoardText.panel(session)
    blocks.append(Block(panel.attacker.map { [$0] } ?? [], keep: .max))
    for (index, line) in panel.groups.enumerated() {
      blocks.append(Block([line], keep: 60 - 5 * index))
    }
    blocks.append(Block(panel.others, keep: 5, marksCut: true))
    if let phoneLine { blocks.append(Block([phoneLine], keep: 65)) }
    for notice in notices {
      let urgent = ["ERROR", "WITHDRAWN", "NOTED", "WARN"].contains { notice.hasPrefix($0) }
      blocks.append(Block([notice], keep: urgent ? 85 : 45))
    }
    return TerminalScreen.fit(blocks, rows: rows, columns: columns)
  }

  /// Rewrites the board's first line (the call clock) in place, the cursor put back where it
  /// was, so the line being typed is not disturbed.
  private func showClock(_ session: Session) {
    guard redraws else { return }
    let header = BoardText.header(session)
    let columns = reader?.screenSize.columns ?? 80
    let line = TerminalText.clipped(SafeText.visible(header), columns: columns)
    emit("\u{1B}7\u{1B}[2;1H\u{1B}[2K" + style.paint(line) + "\u{1B}8")
  }

  /// A line made printable and broken at word boundaries to the window's width: words read
  /// aloud never break in the middle.
  private func wrap(_ line: String, _ columns: Int) -> [String] {
    TerminalText.wrapped(SafeText.visible(line), columns: columns)
  }

  private func promptLines(_ session: Session) -> [String] {
    if let prompt { return BoardText.prompt(prompt) + dueLines }
    return session.ended
      ? [] : ["no questions left: /status to review, /end to end the call"] + dueLines
  }

  private func write(_ lines: [String]) {
    guard !lines.isEmpty else { return }
    let columns = reader?.screenSize.columns ?? 80
    emit(
      lines.flatMap { wrap($0, columns) }.map { style.paint($0) }.joined(separator: "\n") + "\n")
  }

  private func emit(_ text: String) {
    print(text, terminator: "")
    fflush(nil)
  }

  /// Effects with the words to say first, just under the question: those to read at once,
  /// then the others.
  static func ordered(_ lines: [String]) -> [String] {
    lines.filter { $0.hasPrefix("SAY NOW") }
      + lines.filter { $0.hasPrefix("SAY") && !$0.hasPrefix("SAY NOW") }
      + lines.filter { !$0.hasPrefix("SAY") }
  }

  // MARK: - Input

  /// Why a typed line was refused before it reached the session.
  struct LineProblem: Error {
    var message: String
  }

  /// Longest line read, in bytes.
  static let lineLimit = 64 * 1024

  /// The line as text, or why it is refused.
  ///
  /// It must be valid UTF-8 with no control characters; line breaks (from a paste) and tabs
  /// become spaces. A refusal never repeats the line, so nothing typed is echoed back raw.
  static func decode(_ bytes: [UInt8]) -> Result<String, LineProblem> {
    guard bytes.count <= lineLimit else {
      return .failure(
        LineProblem(
          message: "the line is too long (\(bytes.count) bytes, the limit is \(lineLimit)); "
            + "nothing changed"))
    }
    var text = ""
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    decoding: while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        switch scalar.value {
        case 0x0A, 0x0D, 0x09: text.unicodeScalars.append(" ")
        default:
          guard !SafeText.isForbidden(scalar) else {
            return .failure(
              LineProblem(
                message: "the line contains the control character \(SafeText.code(scalar)); "
                  + "nothing changed"))
          }
          text.unicodeScalars.append(scalar)
        }
      case .emptyInput: break decoding
      case .error:
        return .failure(LineProblem(message: "the line is not valid UTF-8; nothing changed"))
      }
    }
    return .success(text)
  }
}
