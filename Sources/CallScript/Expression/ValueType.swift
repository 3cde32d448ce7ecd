/// Static type of a name in expressions.
public enum ValueType: Sendable, Hashable {
  /// A `yes_no` question.
  case yesNo
  /// A `one_of` question and its option ids, in file order.
  case oneOf(options: [String])
  /// A `many_of` question and its option ids, in file order.
  case manyOf(options: [String])
  /// A `count` question.
  case count
  /// A `text` or `location` question.
  case text
  /// A derived fact defined with `expr`; every such fact is a condition.
  case condition
  /// A derived fact defined with `cases`, and the words its rows can give.
  case word(values: [String])
  /// A time the engine gives (`elapsed`, the time a question's fact was observed), in
  /// milliseconds of the call clock; conditions compare it with durations.
  case duration

  /// The option ids or words a value of this type can take; empty for other types.
  var choices: [String] {
    switch self {
    case .oneOf(let options), .manyOf(let options): options
    case .word(let values): values
    default: []
    }
  }

  /// Whether two types have the same kind, ignoring their options or words.
  func hasSameKind(as other: ValueType) -> Bool {
    switch (self, other) {
    case (.yesNo, .yesNo), (.oneOf, .oneOf), (.manyOf, .manyOf), (.count, .count),
      (.text, .text), (.condition, .condition), (.word, .word), (.duration, .duration):
      true
    default:
      false
    }
  }
}

extension Symbol {
  /// How messages name this symbol: "yes/no answer 'caller_safe'", "fact 'incident_kind'".
  var described: String {
    switch type {
    case .yesNo: "yes/no answer '\(name)'"
    case .oneOf: "one-of answer '\(name)'"
    case .manyOf: "many-of answer '\(name)'"
    case .count: "count '\(name)'"
    case .text: "text answer '\(name)'"
    case .condition: "condition '\(name)'"
    case .word: "fact '\(name)'"
    case .duration: "duration '\(name)'"
    }
  }

  /// What kind of thing this symbol is, with an article: "a yes/no answer".
  var kindPhrase: String {
    switch type {
    case .yesNo: "a yes/no answer"
    case .oneOf: "a one-of answer"
    case .manyOf: "a many-of answer"
    case .count: "a count"
    case .text: "a text answer"
    case .condition: "a condition"
    case .word: "a fact with values"
    case .duration: "a duration"
    }
  }
}
