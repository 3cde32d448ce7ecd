/// Runtime value of a question's answer or a derived fact.
///
/// Unknown and refused are ordinary values, not errors: expressions treat them as "not a real
/// answer", and templates render them visibly.
public enum FactValue: Sendable, Hashable {
  /// Never answered, or answered but off-route.
  case unanswered
  /// The caller does not know.
  case unknown
  /// The caller will not say.
  case refused
  /// The answer to a `yes_no` question.
  case yesNo(Bool)
  /// The option id chosen for a `one_of` question.
  case option(String)
  /// The option ids chosen for a `many_of` question.
  case options(Set<String>)
  /// A count: exact when `low == high`; `high == nil` means "`low` or more".
  case count(low: Int, high: Int?)
  /// The answer to a `text` or `location` question.
  case text(String)
  /// The value of a derived fact defined with `expr` (always a condition).
  case condition(Bool)
  /// The value of a derived fact defined with `cases`.
  case word(String)

  /// Whether this is a real value: not unanswered, unknown or refused.
  public var isKnown: Bool {
    switch self {
    case .unanswered, .unknown, .refused: false
    default: true
    }
  }
}

/// Read access to the current facts of a call, by slot.
///
/// The engine keeps one value per question and derived fact; compiled expressions name them by
/// the integer slot the ``SymbolTable`` assigned, so evaluation does no string lookups.
package protocol FactLookup {
  /// The value in `slot`.
  func value(atSlot slot: Int) -> FactValue
}

extension Array: FactLookup where Element == FactValue {
  /// The value in `slot`, or ``FactValue/unanswered`` when the slot is out of range.
  package func value(atSlot slot: Int) -> FactValue {
    indices.contains(slot) ? self[slot] : .unanswered
  }
}
