/// Proves that some conditions can never hold, for `CS113` and dead-rule warnings.
///
/// The check is sound but incomplete: when it says "never" the condition really can never hold;
/// it misses contradictions it cannot see. It tracks, within each conjunction, which values each
/// slot may still take (`x = yes and x = no`, `x = a and x = b`, `known(x) and unknown(x)`) and
/// which numbers a count may still be (`x > 3 and x < 2`, `count(q) < 0`). A disjunction is
/// impossible when every branch is, given the conjunction around it.
struct ContradictionCheck {
  /// What the check knows about one slot, or about `count(q)` of one slot.
  private struct Key: Hashable {
    var slot: Int
    var isSelectedCount: Bool
  }

  /// The values a slot may still take: named values and tokens, and for counts a range.
  private struct Domain {
    var tokens: Set<String>
    /// Smallest possible low end of a count.
    var low = 0
    /// Largest possible high end of a count; nil when unbounded.
    var high: Int?

    mutating func restrict(to restriction: Restriction) {
      tokens.formIntersection(restriction.tokens)
      low = max(low, restriction.low)
      if let limit = restriction.high { high = min(high ?? limit, limit) }
      if let high, low > high { tokens.remove(ContradictionCheck.knownToken) }
    }
  }

  /// The literal `node` (or its negation) as a restriction on one key.
  private struct Restriction {
    var key: Key
    var tokens: Set<String>
    var low = Int.min
    var high: Int?
    /// Whether `tokens` says exactly when the literal holds, so its negation is the complement.
    var isExact = true
  }

  fileprivate static let knownToken = "\u{0}known"
  private static let missingTokens: Set<String> = [
    "\u{0}unanswered", "\u{0}unknown", "\u{0}refused",
  ]

  let program: ConditionProgram
  let slotTypes: [Int: ValueType]

  /// Whether the program can be shown never to hold.
  func isUnsatisfiable() -> Bool {
    guard !program.nodes.isEmpty else { return true }
    return !isSatisfiable([(program.root, false)], [:])
  }

  /// Whether the conjunction of `literals` may hold, given what `context` already requires.
  private func isSatisfiable(_ literals: [(Int, Bool)], _ context: [Key: Domain]) -> Bool {
    var context = context
    var pending = literals
    var branches: [(start: Int, count: Int, negated: Bool)] = []
    while let (index, negated) = pending.popLast() {
      switch program.nodes[index] {
      case .constant(let value):
        if value == negated { return false }
      case .not(let child):
        pending.append((child, !negated))
      case .all(let start, let count) where !negated, .any(let start, let count) where negated:
        for position in start..<(start + count) {
          pending.append((program.operands[position], negated))
        }
      case .all(let start, let count), .any(let start, let count):
        branches.append((start, count, negated))
      default:
        guard let restriction = restriction(index, negated: negated),
          var domain = context[restriction.key] ?? universe(restriction.key)
        else { continue }
        domain.restrict(to: restriction)
        if domain.tokens.isEmpty { return false }
        context[restriction.key] = domain
      }
    }
    for branch in branches {
      let children = program.operands[branch.start..<(branch.start + branch.count)]
      if !children.contains(where: { isSatisfiable([($0, branch.negated)], context) }) {
        return false
      }
    }
    return true
  }

  /// Every value a key can take before any restriction; nil when the slot's type is unknown.
  private func universe(_ key: Key) -> Domain? {
    if key.isSelectedCount { return Domain(tokens: [Self.knownToken]) }
    guard let type = slotTypes[key.slot] else { return nil }
    return Domain(tokens: knownTokens(type).union(Self.missingTokens))
  }

  /// The tokens that stand for known values of `type`.
  private func knownTokens(_ type: ValueType) -> Set<String> {
    switch type {
    case .yesNo: ["yes", "no"]
    case .condition: ["true", "false"]
    case .oneOf(let options): Set(options)
    case .word(let values): Set(values)
    case .manyOf, .count, .text, .duration: [Self.knownToken]
    }
  }

  private func restriction(_ index: Int, negated: Bool) -> Restriction? {
    guard var restriction = positiveRestriction(index) else { return nil }
    guard negated else { return restriction }
    guard restriction.isExact, let universe = universe(restriction.key) else { return nil }
    restriction.tokens = universe.tokens.subtracting(restriction.tokens)
    return restriction
  }

  /// What must be true of one key for the atom at `index` to hold.
  private func positiveRestriction(_ index: Int) -> Restriction? {
    func on(_ slot: Int, _ tokens: Set<String>, exact: Bool = true) -> Restriction {
      Restriction(key: Key(slot: slot, isSelectedCount: false), tokens: tokens, isExact: exact)
    }
    switch program.nodes[index] {
    case .holds(let slot):
      return on(slot, ["true"])
    case .isYesNo(let slot, let value):
      return on(slot, [value ? "yes" : "no"])
    case .isChoice(let slot, let value):
      return on(slot, [value])
    case .isAmong(let slot, let values):
      return on(slot, Set(values))
    case .isText(let slot, _), .includes(let slot, _), .containsText(let slot, _):
      return on(slot, [Self.knownToken], exact: false)
    case .status(let slot, let status):
      guard let type = slotTypes[slot] else { return nil }
      switch status {
      case .known: return on(slot, knownTokens(type))
      case .unknown: return on(slot, ["\u{0}unknown"])
      case .refused: return on(slot, ["\u{0}refused"])
      case .answered:
        return on(slot, knownTokens(type).union(["\u{0}unknown", "\u{0}refused"]))
      }
    case .compare(let left, let comparison, let right):
      return numericRestriction(left, comparison, right)
    default:
      return nil
    }
  }

  /// A comparison between one count (or `count(q)`) and a literal number, as a range.
  private func numericRestriction(
    _ left: NumericOperand, _ comparison: NumericComparison, _ right: NumericOperand
  ) -> Restriction? {
    let key: Key
    let number: Int
    var comparison = comparison
    switch (left, right) {
    case (.count(let slot), .number(let value)):
      (key, number) = (Key(slot: slot, isSelectedCount: false), value)
    case (.selectedCount(let slot), .number(let value)):
      (key, number) = (Key(slot: slot, isSelectedCount: true), value)
    case (.number(let value), .count(let slot)):
      (key, number) = (Key(slot: slot, isSelectedCount: false), value)
      comparison = Self.mirrored(comparison)
    case (.number(let value), .selectedCount(let slot)):
      (key, number) = (Key(slot: slot, isSelectedCount: true), value)
      comparison = Self.mirrored(comparison)
    default:
      return nil
    }
    var restriction = Restriction(key: key, tokens: [Self.knownToken], isExact: false)
    switch comparison {
    case .greater: restriction.low = number + 1
    case .greaterOrEqual: restriction.low = number
    case .less: restriction.high = number - 1
    case .lessOrEqual: restriction.high = number
    case .equal: (restriction.low, restriction.high) = (number, number)
    }
    return restriction
  }

  /// The comparison with its operands swapped: `3 < x` is `x > 3`.
  private static func mirrored(_ comparison: NumericComparison) -> NumericComparison {
    switch comparison {
    case .less: .greater
    case .lessOrEqual: .greaterOrEqual
    case .greater: .less
    case .greaterOrEqual: .lessOrEqual
    case .equal: .equal
    }
  }
}
