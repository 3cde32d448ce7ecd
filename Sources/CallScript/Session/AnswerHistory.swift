extension Session {
  /// An answer as given, with when it came.
  public struct AnswerEntry: Sendable, Hashable {
    /// An earlier answer to the same question.
    public struct Past: Sendable, Hashable {
      public var value: FactValue
      public var at: Double
    }

    public var value: FactValue
    public var at: Double
    /// Earlier answers to the same question, oldest first.
    public var history: [Past]
  }
}

/// The answers as given, a part of ``Session``: the latest answer to each question with the
/// earlier ones, the order questions were answered in, and the question the call-taker went
/// back to correct.
///
/// A question answered again keeps its earlier answers (oldest first) and moves to the end of
/// ``order``; going back (`/back`) names the question answered last, until it is answered again.
struct AnswerHistory: Sendable {
  /// Current answers by question slot (nil when never answered).
  private(set) var entries: [Session.AnswerEntry?]
  /// The slots answered, each once, the one answered last at the end.
  private(set) var order: [Int] = []
  /// The question whose answer the call-taker went back to correct, until it is answered again.
  private(set) var backTarget: Int?

  init(questions: Int) {
    entries = Array(repeating: nil, count: questions)
  }

  /// Takes an answer to the question in `slot` at `time`; gives the answer it replaces, nil
  /// when the question was not answered before.
  mutating func take(_ value: FactValue, slot: Int, at time: Double) -> FactValue? {
    var previous: FactValue?
    if var entry = entries[slot] {
      previous = entry.value
      entry.history.append(Session.AnswerEntry.Past(value: entry.value, at: entry.at))
      entry.value = value
      entry.at = time
      entries[slot] = entry
    } else {
      entries[slot] = Session.AnswerEntry(value: value, at: time, history: [])
    }
    order.removeAll { $0 == slot }
    order.append(slot)
    if backTarget == slot { backTarget = nil }
    return previous
  }

  /// Goes back to the question answered last, to correct it.
  mutating func goBack() {
    backTarget = order.last
  }
}
