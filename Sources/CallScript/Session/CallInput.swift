/// Turns what the call-taker asked for into a session event, or into something to show.
public enum CallInput {
  /// What a line of input amounts to.
  public enum Resolution: Sendable, Hashable {
    case event(SessionEvent)
    case show(InputLine)
    case nothing
    case error(SessionError)
  }

  /// Resolves a line against the session: answers are parsed for their question.
  public static func resolve(_ line: InputLine, in session: Session) -> Resolution {
    func answer(_ questionID: String?, _ input: String) -> Resolution {
      guard let id = questionID ?? session.currentPrompt?.questionID else {
        return .error(SessionError(message: "no question is waiting; use /set QUESTION VALUE"))
      }
      guard let question = session.callProtocol.question(id: id) else {
        return .error(
          SessionError(
            message: "unknown question '\(id)'"
              + NameSuggestion.hint(for: id, among: session.callProtocol.questions.map(\.id))))
      }
      switch AnswerParser.parse(input, for: question, language: session.language) {
      case .success(let value): return .event(.answer(question: id, value: value))
      case .failure(let error): return .error(error)
      }
    }
    switch line {
    case .answer(let input): return answer(nil, input)
    case .set(let question, let input): return answer(question, input)
    case .unknown(let question): return answer(question, "unknown")
    case .refused(let question): return answer(question, "refused")
    case .note(let text): return .event(.note(text))
    case .back: return .event(.back)
    case .confirm(let id, let confirmed, let unit):
      return .event(.confirm(verification: id, confirmed: confirmed, unit: unit, note: nil))
    case .override(let code, let reason): return .event(.override(code: code, reason: reason))
    case .disconnect: return .event(.disconnect)
    case .callback: return .event(.callback)
    case .end: return .event(.end)
    case .status, .relays, .verifications, .help, .questions: return .show(line)
    case .empty: return .nothing
    case .invalid(let message): return .error(SessionError(message: message))
    }
  }
}
