/// Compiled conditions written back as text, whole or as the clauses that read one fact.
///
/// The text is rebuilt from the compiled program, so it names facts by id and writes
/// `q != v` for a negated equality: the graph labels each edge with what it tests of the fact
/// it comes from, and `= yes` never reads like `!= yes`.
extension CompiledCondition {
  /// The clauses of the condition that read `slot`, each with the `not` that applies to it.
  ///
  /// `caller_safe = no and can_leave = no` gives `caller_safe = no` for `caller_safe`; a clause
  /// under `not` that mixes several facts is given whole.
  package func clauses(reading slot: Int, names: (Int) -> String) -> [String] {
    guard !program.nodes.isEmpty else { return [] }
    var found: [String] = []
    program.collectClauses(program.root, reading: slot, names: names, into: &found)
    var seen = Set<String>()
    return found.filter { seen.insert($0).inserted }
  }

  /// The whole condition, written with fact ids.
  package func text(names: (Int) -> String) -> String {
    program.nodes.isEmpty ? "false" : program.text(program.root, names: names, nested: false)
  }
}

extension ConditionProgram {
  fileprivate func collectClauses(
    _ index: Int, reading slot: Int, names: (Int) -> String, into found: inout [String]
  ) {
    switch nodes[index] {
    case .all(let start, let count), .any(let start, let count):
      for position in start..<(start + count) {
        collectClauses(operands[position], reading: slot, names: names, into: &found)
      }
    case .not(let child):
      if reads(child, slot) { found.append(text(index, names: names, nested: false)) }
    default:
      if reads(index, slot) { found.append(text(index, names: names, nested: false)) }
    }
  }

  /// Whether the subtree at `index` reads `slot`.
  fileprivate func reads(_ index: Int, _ slot: Int) -> Bool {
    Self.slots(of: self, index).contains(slot)
  }

  private static func slots(of program: ConditionProgram, _ index: Int) -> Set<Int> {
    switch program.nodes[index] {
    case .constant: return []
    case .all(let start, let count), .any(let start, let count):
      var result = Set<Int>()
      for position in start..<(start + count) {
        result.formUnion(slots(of: program, program.operands[position]))
      }
      return result
    case .not(let child): return slots(of: program, child)
    case .holds(let slot), .isYesNo(let slot, _), .isChoice(let slot, _),
      .isAmong(let slot, _), .isText(let slot, _), .includes(let slot, _),
      .containsText(let slot, _), .status(let slot, _):
      return [slot]
    case .sameValue(let left, let right): return [left, right]
    case .compare(let left, _, let right):
      return Set(left.slots + right.slots)
    }
  }

  /// The text of the subtree at `index`; `nested` puts parentheses around `and`/`or` lists.
  fileprivate func text(_ index: Int, names: (Int) -> String, nested: Bool) -> String {
    switch nodes[index] {
    case .constant(let value):
      return value ? "true" : "false"
    case .all(let start, let count), .any(let start, let count):
      let word: String
      if case .all = nodes[index] { word = " and " } else { word = " or " }
      let parts = (start..<(start + count)).map { text(operands[$0], names: names, nested: true) }
      let joined = parts.joined(separator: word)
      return nested ? "(\(joined))" : joined
    case .not(let child):
      switch nodes[child] {
      case .isYesNo(let slot, let value): return "\(names(slot)) != \(value ? "yes" : "no")"
      case .isChoice(let slot, let option): return "\(names(slot)) != \(option)"
      case .isText(let slot, let text): return "\(names(slot)) != \(Self.quoted(text))"
      case .sameValue(let left, let right): return "\(names(left)) != \(names(right))"
      case .compare(let left, .equal, let right):
        return "\(left.text(names)) != \(right.text(names))"
      case .all, .any:
        return "not \(text(child, names: names, nested: true))"
      default:
        return "not \(text(child, names: names, nested: false))"
      }
    case .holds(let slot):
      return names(slot)
    case .isYesNo(let slot, let value):
      return "\(names(slot)) = \(value ? "yes" : "no")"
    case .isChoice(let slot, let option):
      return "\(names(slot)) = \(option)"
    case .isAmong(let slot, let options):
      return "\(names(slot)) in (\(options.joined(separator: ", ")))"
    case .isText(let slot, let text):
      return "\(names(slot)) = \(Self.quoted(text))"
    case .includes(let slot, let option):
      return "\(names(slot)) has \(option)"
    case .containsText(let slot, let words):
      return "\(names(slot)) contains \(Self.quoted(words))"
    case .sameValue(let left, let right):
      return "\(names(left)) = \(names(right))"
    case .status(let slot, let status):
      return "\(status.rawValue)(\(names(slot)))"
    case .compare(let left, let comparison, let right):
      return "\(left.text(names)) \(comparison.symbol) \(right.text(names))"
    }
  }

  private static func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "'") + "\""
  }
}

extension NumericOperand {
  fileprivate var slots: [Int] {
    switch self {
    case .number: []
    case .count(let slot), .selectedCount(let slot), .time(let slot): [slot]
    case .combined(let left, _, let right): left.slots + right.slots
    case .duration: []
    case .age(_, _, let question): [question]
    case .scaled(let slot, _, _): [slot]
    }
  }

  fileprivate func text(_ names: (Int) -> String) -> String {
    switch self {
    case .number(let value): String(value)
    case .count(let slot): names(slot)
    case .selectedCount(let slot): "count(\(names(slot)))"
    case .combined(let left, let operation, let right):
      "\(left.text(names)) \(operation.rawValue) \(right.text(names))"
    case .duration(let milliseconds): ExpressionText.duration(milliseconds)
    case .time: BuiltInTime.elapsed
    case .age(_, _, let question): "age(\(names(question)))"
    case .scaled(let slot, _, let unit): "\(unit)(\(names(slot)))"
    }
  }
}

extension NumericComparison {
  fileprivate var symbol: String {
    switch self {
    case .less: "<"
    case .lessOrEqual: "<="
    case .greater: ">"
    case .greaterOrEqual: ">="
    case .equal: "="
    }
  }
}
