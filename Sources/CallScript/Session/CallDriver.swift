/// What the call-taker, or a program driving the call, did: an answer, a command, or only time
/// passing.
public enum CallAction: Sendable, Hashable {
  /// An answer, bound to a question by `target`.
  case answer(AnswerInput, to: AnswerTarget)
  case note(String)
  /// Ask the most recently answered question again.
  case back
  case override(code: String, reason: String)
  case confirm(verification: String, confirmed: Bool, unit: String?, note: String?)
  case disconnect
  case callback
  case end
  /// Link the call to an incident (`/link ID`).
  case link(String)
  /// Undo the link (`/unlink`).
  case unlink
  /// Dispatch put the relay with this id on the air.
  case aired(String)
  /// The incident store says what the other calls of the incident established (an
  /// `incident_facts` event; see ``IncidentFact``).
  case incidentFacts(incident: String, facts: [String: FactValue])
  /// Only time passes: re-asks may fall due.
  case wait
  /// What the phone system or CAD knows about the call: `item` (`callback`, `location`) is
  /// given to the question whose `call_data` names it, if the protocol has one.
  case callData(item: String, text: String)
}

/// Which question an answer is for.
public enum AnswerTarget: Sendable, Hashable {
  /// The prompt shown most recently (before this input's time).
  case onScreen
  /// The prompt with this number; when a question id is given too, it must be that prompt's.
  case prompt(Int, question: String?)
  /// A question by id: anything the caller volunteers, or a change of an earlier answer. When
  /// it is the question on screen, the answer is given to that prompt.
  case question(String)
}

/// An answer as it came in, before it is read for its question.
public enum AnswerInput: Sendable, Hashable {
  /// As typed at the prompt: an option's key or name, y/n, a count, text, `u`, `r`.
  case typed(String)
  /// A JSON value from the jsonl interface: option ids, true/false, numbers, ranges, text.
  case json(JSONValue)
  /// A value already typed (unknown, refused, or one read from elsewhere).
  case value(FactValue)
}

/// Why an input was not taken.
public enum LiveCallError: Error, Sendable, Hashable, CustomStringConvertible {
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

  /// The question the problem concerns, if any.
  public var question: String? {
    if case .refused(let error) = self { return error.question }
    return nil
  }
}

/// What one input brought.
public struct DriverOutcome: Sendable {
  /// Questions that fell due while another question waits for its answer: announced once
  /// each, asked as soon as the waiting question is settled.
  public var due: [Prompt] = []
  /// The number of the prompt that `due` questions wait behind, if one waits.
  public var dueBehind: Int?
  /// The event recorded and applied, if any.
  public var event: SessionEvent?
  /// What the event brought; nil when nothing was applied.
  public var step: StepOutcome?
  /// The question on screen after the input (numbered), nil when none is.
  public var prompt: Prompt?
  /// True when `prompt` is newly shown: a new number.
  public var promptChanged = false
  /// Why the input was refused; nothing was recorded.
  public var error: LiveCallError?
  /// Every record the input brought, in the order they went out: one that waited for the
  /// record interval and whose time came as the clock moved on (stamped with that time), then
  /// the event's (``StepOutcome/record``).
  public var records: [RecordSnapshot] = []

  public init() {}
}

/// Drives one call: binds every input to the question it was given to, lets time pass,
/// records each accepted event before applying it, and keeps what is on screen.
///
/// Every frontend (`take` on a terminal, plain lines or JSON lines), the scenario runner,
/// replay and resume go through this one type, so they behave alike.
///
/// The rules that keep a fact on its question:
/// - an answer is bound before its time is applied, to the prompt on screen (or the prompt or
///   question it names); a question that falls due meanwhile never receives it;
/// - time passing never replaces a question that waits for its answer: a re-ask that falls due
///   is announced in ``DriverOutcome/due`` and asked once the waiting question is answered,
///   marked unknown or refused, or withdrawn;
/// - an event the call-taker makes may put a more urgent new question on screen (the answer
///   changed what matters most); a re-ask never takes the screen that way.
public struct CallDriver: Sendable {
  /// A prompt that was shown: its question and how many answers that question had then.
  struct Shown: Sendable, Hashable {
    var prompt: Prompt
    var slot: Int
    var answersBefore: Int
  }

  /// Latest call-clock time accepted, in seconds (about 115 days).
  public static let maximumTime = 10_000_000.0

  public private(set) var session: Session
  /// The question on screen, if any.
  var shown: Shown?
  /// Every prompt shown, by number.
  var history: [Int: Shown] = [:]
  /// The number the last prompt got.
  public private(set) var lastPromptNumber = 0
  /// Question slots announced as due and not shown since.
  var announced: Set<Int> = []

  /// Starts a call on `session`; the first prompt is shown unless `showing` is false (a call
  /// about to be replayed from its transcript, see ``replay(_:)``).
  public init(session: Session, showing: Bool = true) {
    self.session = session
    if showing { _ = refresh(afterEvent: true, canShow: true) }
  }

  /// The question on screen, numbered; nil when nothing is asked.
  public var prompt: Prompt? { shown?.prompt }

  /// What the start of the call brought: instructions, determinant, and the first prompt.
  public var startOutcome: StepOutcome {
    var outcome = session.startOutcome
    outcome.prompt = prompt
    return outcome
  }

  // MARK: - Inputs

  /// Handles one input at call-clock time `at` (never earlier than the last event).
  ///
  /// `record` makes an event durable before it is applied (the transcript); if it throws, the
  /// event is not applied and the outcome carries ``LiveCallError/notRecorded(_:)``.
  public mutating func handle(
    _ action: CallAction, at: Double,
    record: (SessionEvent, Double, Int?) throws -> Void = { _, _, _ in }
  ) -> DriverOutcome {
    var outcome = DriverOutcome()
    guard at.isFinite, at >= 0, at <= Self.maximumTime else {
      outcome.error = .refused(
        SessionError(
          message: "time \(JSONValue.format(at)) is not a call-clock offset: seconds from 0 to "
            + "\(JSONValue.format(Self.maximumTime))"))
      outcome.prompt = prompt
      return outcome
    }
    let time = max(Self.transcriptTime(at), session.now)
    // Bind first: the answer belongs to what was on screen before this input's time.
    var binding: Result<(question: Question, prompt: Int?), SessionError>?
    if case .answer(_, let target) = action { binding = bind(target) }
    outcome.due = advance(to: time, canShow: true, into: &outcome)
    let event: SessionEvent
    var promptNumber: Int?
    switch action {
    case .answer(let input, _):
      guard let binding else { return outcome }
      switch binding.flatMap({ bound in read(input, for: bound.question).map { (bound, $0) } }) {
      case .failure(let error):
        outcome.error = .refused(error)
        return outcome
      case .success(let (bound, value)):
        event = .answer(question: bound.question.id, value: value)
        promptNumber = bound.prompt
      }
    case .note(let text): event = .note(text)
    case .back: event = .back
    case .override(let code, let reason): event = .override(code: code, reason: reason)
    case .confirm(let id, let confirmed, let unit, let note):
      event = .confirm(verification: id, confirmed: confirmed, unit: unit, note: note)
    case .disconnect: event = .disconnect
    case .callback: event = .callback
    case .end: event = .end
    case .link(let incident): event = .link(incident: incident)
    case .unlink: event = .unlink
    case .aired(let relay): event = .aired(relay: relay)
    case .incidentFacts(let incident, let facts):
      event = .incidentFacts(incident: incident, facts: facts)
    case .wait: return outcome
    case .callData(let item, let text):
      guard let question = session.callProtocol.questions.first(where: { $0.callData == item })
      else { return outcome }
      event = .callData(item: item, question: question.id, value: .text(text))
    }
    if case .failure(let error) = session.validate(event, at: time) {
      outcome.error = .refused(error)
      return outcome
    }
    do {
      try record(event, time, promptNumber)
    } catch {
      outcome.error = .notRecorded("\(error)")
      return outcome
    }
    switch session.apply(event, at: time) {
    case .failure(let error):
      outcome.error = .refused(error)
      return outcome
    case .success(let step):
      outcome.event = event
      let changed = refresh(afterEvent: true, canShow: true)
      var step = step
      outcome.records += step.records
      // What moments the clock passed on the way brought (their records are taken above).
      if let passed = outcome.step { step.follow(passed, records: false) }
      step.prompt = prompt
      outcome.step = step
      outcome.due += changed.due
      outcome.prompt = prompt
      outcome.promptChanged = outcome.promptChanged || changed.changed
    }
    return outcome
  }

  /// Lets time pass to `at` without an input (a terminal waiting for keys).
  ///
  /// A due question is shown only when nothing waits and `canShow` (the call-taker's line is empty); otherwise it
  /// is announced as due.
  public mutating func tick(to at: Double, canShow: Bool = true) -> DriverOutcome {
    var outcome = DriverOutcome()
    guard at.isFinite, at >= 0, at <= Self.maximumTime else {
      outcome.prompt = prompt
      return outcome
    }
    outcome.due = advance(
      to: max(Self.transcriptTime(at), session.now), canShow: canShow, into: &outcome)
    return outcome
  }

  /// A call-clock time as a transcript keeps it (to the millisecond): the session is given
  /// exactly the time a replay of the transcript gives it, so what depends on time (a record
  /// waiting for the record interval) is decided alike live and in the replay.
  public static func transcriptTime(_ seconds: Double) -> Double {
    Double(JSONValue.format(seconds)) ?? seconds
  }

  /// Applies an event read back from a transcript (replay, resume): no binding, no recording.
  ///
  /// The prompt number it carries moves the numbering on, so a resumed call never reuses one.
  /// Nothing is shown until ``resume()``; the outcome's prompt is the engine's choice. A record
  /// that waited for the record interval and whose time came by the event's goes out first
  /// (``StepOutcome/dueRecord``), as it did live.
  public mutating func replay(_ entry: Transcript.Entry) -> Result<StepOutcome, SessionError> {
    if let number = entry.prompt, number > lastPromptNumber { lastPromptNumber = number }
    shown = nil
    announced = []
    return session.apply(entry.event, at: entry.at)
  }

  /// Shows the question to ask now, after a replay: the call goes on from here.
  public mutating func resume() -> DriverOutcome {
    var outcome = DriverOutcome()
    outcome.promptChanged = refresh(afterEvent: true, canShow: true).changed
    outcome.prompt = prompt
    return outcome
  }

  // MARK: - Binding

  func answerCount(_ slot: Int) -> Int {
    session.answers[slot].map { $0.history.count + 1 } ?? 0
  }

  /// The question an answer goes to and the prompt it was given to (nil when volunteered).
  func bind(_ target: AnswerTarget) -> Result<(question: Question, prompt: Int?), SessionError> {
    let questions = session.callProtocol.questions
    switch target {
    case .onScreen:
      guard let shown else {
        return .failure(SessionError(message: "no question is waiting; use /set QUESTION VALUE"))
      }
      return .success((questions[shown.slot], shown.prompt.number))
    case .prompt(let number, let id):
      guard let asked = history[number] else {
        return .failure(
          SessionError(
            message: "prompt \(number) was not shown in this call"
              + (lastPromptNumber > 0 ? " (the latest is \(lastPromptNumber))" : "")))
      }
      let question = questions[asked.slot]
      if let id, id != question.id {
        return .failure(
          SessionError(
            question: id,
            message: "prompt \(number) asked '\(question.id)', not '\(id)'; give one of them"))
      }
      guard answerCount(asked.slot) == asked.answersBefore else {
        return .failure(
          SessionError(
            question: question.id,
            message: "prompt \(number) ('\(question.id)') was already answered; to change the "
              + "answer, name the question instead of the prompt"))
      }
      return .success((question, number))
    case .question(let id):
      guard let question = session.callProtocol.question(id: id) else {
        return .failure(
          SessionError(
            message: "unknown question '\(id)'"
              + NameSuggestion.hint(for: id, among: questions.map(\.id))))
      }
      if let shown, shown.slot == question.slot, isWaiting(shown) {
        return .success((question, shown.prompt.number))
      }
      return .success((question, nil))
    }
  }

  /// Reads an answer for its question.
  func read(_ input: AnswerInput, for question: Question) -> Result<FactValue, SessionError> {
    switch input {
    case .typed(let text):
      AnswerParser.parse(text, for: question, language: session.language)
    case .json(let value):
      AnswerParser.value(fromJSON: value, for: question, language: session.language)
    case .value(let value):
      .success(value)
    }
  }

  // MARK: - The screen

  /// Whether a shown question still waits for its answer.
  func isWaiting(_ shown: Shown) -> Bool {
    guard !session.ended, answerCount(shown.slot) == shown.answersBefore else { return false }
    if session.backTarget == shown.slot { return session.applies(shown.slot) }
    return session.isDue(shown.slot)
  }

  /// Moves the clock on and works out what fell due.
  mutating func advance(to time: Double, canShow: Bool, into outcome: inout DriverOutcome)
    -> [Prompt]
  {
    var step = session.advance(to: time)
    outcome.records += step.records
    let changed = refresh(afterEvent: false, canShow: canShow)
    if step.hasEffects {
      // A condition reading the clock changed at a moment passed: instructions or relays.
      step.prompt = prompt
      outcome.step = step
    }
    outcome.prompt = prompt
    outcome.dueBehind = prompt?.number
    outcome.promptChanged = changed.changed
    return changed.due
  }

  /// Brings the screen in line with the engine's choice, under the rules above.
  mutating func refresh(afterEvent: Bool, canShow: Bool) -> (changed: Bool, due: [Prompt]) {
    if session.ended {
      let changed = shown != nil
      shown = nil
      return (changed, [])
    }
    let choice = session.nextPromptSlot()
    if let current = shown, isWaiting(current) {
      if afterEvent, let slot = choice, slot != current.slot {
        let candidate = session.prompt(slot: slot)
        if !candidate.isReask {
          show(candidate, slot: slot)
          return (true, [])
        }
      }
      return (false, announceDue(except: current.slot))
    }
    guard let slot = choice else {
      let changed = shown != nil
      shown = nil
      return (changed, [])
    }
    let candidate = session.prompt(slot: slot)
    guard afterEvent || canShow else {
      shown = nil
      return (false, announce(candidate, slot: slot))
    }
    show(candidate, slot: slot)
    return (true, [])
  }

  /// Every re-ask due while another question waits, most urgent first, each announced once.
  mutating func announceDue(except waiting: Int) -> [Prompt] {
    var due: [Prompt] = []
    for slot in session.callProtocol.askingOrder
    where slot != waiting && session.answers[slot] != nil && session.isDue(slot) {
      due += announce(session.prompt(slot: slot), slot: slot)
    }
    return due
  }

  mutating func announce(_ prompt: Prompt, slot: Int) -> [Prompt] {
    guard !announced.contains(slot) else { return [] }
    announced.insert(slot)
    return [prompt]
  }

  mutating func show(_ candidate: Prompt, slot: Int) {
    lastPromptNumber += 1
    var prompt = candidate
    prompt.number = lastPromptNumber
    let entry = Shown(prompt: prompt, slot: slot, answersBefore: answerCount(slot))
    shown = entry
    history[lastPromptNumber] = entry
    announced.remove(slot)
  }
}
