/// Turns a typed line into what the call-taker asked for: an action for the call, or something
/// to show.
public enum CallInput {
  /// What a line of input amounts to.
  public enum Resolution: Sendable, Hashable {
    case action(CallAction)
    case show(InputLine)
    case nothing
    case error(SessionError)
  }

  /// Resolves a typed line.
  ///
  /// Answers stay as typed: the ``CallDriver`` binds them to their
  /// question and reads them for it.
  public static func resolve(_ line: InputLine) -> Resolution {
    func target(_ question: String?) -> AnswerTarget {
      question.map { .question($0) } ?? .onScreen
    }
    switch line {
    case .answer(let input): return .action(.answer(.typed(input), to: .onScreen))
    case .set(let question, let input):
      return .action(.answer(.typed(input), to: .question(question)))
    case .unknown(let question): return .action(.answer(.value(.unknown), to: target(question)))
    case .refused(let question): return .action(.answer(.value(.refused), to: target(question)))
    case .note(let text): return .action(.note(text))
    case .back: return .action(.back)
    case .confirm(let id, let confirmed, let unit):
      return .action(.confirm(verification: id, confirmed: confirmed, unit: unit, note: nil))
    case .override(let code, let reason): return .action(.override(code: code, reason: reason))
    case .disconnect: return .action(.disconnect)
    case .callback: return .action(.callback)
    case .end: return .action(.end)
    case .link(let incident): return .action(.link(incident))
    case .unlink: return .action(.unlink)
    case .newIncident, .status, .relays, .verifications, .help, .questions: return .show(line)
    case .empty: return .nothing
    case .invalid(let message): return .error(SessionError(message: message))
    }
  }
}
