import CallScript
import Foundation

/// What tab completion offers at the prompt: commands, question ids, and the answers a
/// question takes (option ids and labels, yes/no, unknown/refused).
struct TerminalCompletion: Sendable {
  /// The commands, `/set` to `/help`.
  var commands: [String] = InputLine.commands.map { "/" + $0.name }
  /// Every question id, for `/set`, `/unknown` and `/refused`.
  var questionIDs: [String] = []
  /// The words each question accepts, by question id.
  var answers: [String: [String]] = [:]
  /// The words the question on screen accepts.
  var current: [String] = []
  /// Verification ids, for `/confirm` and `/refute`.
  var verificationIDs: [String] = []
  /// Determinant codes, for `/override`.
  var determinantCodes: [String] = []
  /// True when a line may start with `@SECONDS ` (`--clock simulated`).
  var simulated = false

  /// Commands whose first argument is a question id.
  static let takesQuestion: Set<String> = ["/set", "/s", "/unknown", "/u", "/refused", "/r"]
  /// Commands whose first argument is a verification id.
  static let takesVerification: Set<String> = ["/confirm", "/refute"]

  init() {}

  /// The words of the whole protocol; `update` adds what changes from prompt to prompt.
  init(callProtocol: CallProtocol, language: String, simulated: Bool) {
    self.simulated = simulated
    questionIDs = callProtocol.questions.map(\.id)
    determinantCodes = callProtocol.determinants.map(\.code)
    for question in callProtocol.questions {
      var words: [String]
      switch question.kind {
      case .yesNo: words = ["yes", "no"]
      case .oneOf, .manyOf:
        words = question.options.flatMap { [$0.id, $0.label.text(in: language)] }
      case .count: words = ["several", "none"]
      case .text, .location: words = []
      }
      if question.allowUnknown { words.append("unknown") }
      if question.allowRefused { words.append("refused") }
      answers[question.id] = words
    }
  }

  /// Takes the question on screen (as the call driver shows it) and the verifications raised
  /// so far from `session`.
  mutating func update(from session: Session, prompt: Prompt?) {
    current = prompt.map { answers[$0.questionID] ?? [] } ?? []
    verificationIDs = session.raisedVerifications.map(\.id)
  }

  /// The completions for `text`, the word that ends at the cursor; `before` is the line before it.
  ///
  /// An answer may be an option label of several words: when the answer so far (`before`
  /// after any time prefix, then `text`) starts a label, the rest of that label from `text` on
  /// is offered, so `Someone is sh` completes to `Someone is shooting`.
  func candidates(before: String, text: String) -> [String] {
    var line = Substring(before)
    if simulated, line.hasPrefix("@"), let space = line.firstIndex(of: " ") {
      line = line[line.index(after: space)...].drop { $0 == " " }
    }
    let words = line.split(separator: " ")
    let pool: [String]
    if words.isEmpty {
      pool = text.hasPrefix("/") ? commands : current
    } else if let first = words.first.map({ $0.lowercased() }), first.hasPrefix("/") {
      if words.count == 1 && Self.takesQuestion.contains(first) {
        pool = questionIDs
      } else if words.count == 1 && Self.takesVerification.contains(first) {
        pool = verificationIDs
      } else if words.count == 1 && first == "/override" {
        pool = determinantCodes
      } else if words.count == 2 && (first == "/set" || first == "/s") {
        pool = answers[String(words[1])] ?? []
      } else {
        pool = []
      }
    } else {
      // Later words of an answer: a label that continues what is typed, or, after a comma,
      // the next option of a list (`blade, hand`).
      let typed = String(line)
      let sofar = typed + text
      let continued = current.compactMap { word -> String? in
        guard word.count > typed.count,
          word.range(of: sofar, options: [.anchored, .caseInsensitive]) != nil
        else { return nil }
        return String(word.dropFirst(typed.count))
      }
      let listed = typed.last { $0 != " " }.map { $0 == "," || $0 == ";" } ?? false
      return unique(continued + (listed ? matching(current, text) : []))
    }
    return unique(matching(pool, text))
  }

  private func matching(_ pool: [String], _ text: String) -> [String] {
    guard !text.isEmpty else { return pool }
    return pool.filter { $0.range(of: text, options: [.anchored, .caseInsensitive]) != nil }
  }

  private func unique(_ words: [String]) -> [String] {
    var seen: Set<String> = []
    return words.filter { seen.insert($0).inserted }
  }
}
