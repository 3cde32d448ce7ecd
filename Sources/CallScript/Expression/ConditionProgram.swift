import Foundation

/// A number in a comparison: a literal, a count answer or the size of a many-of answer.
enum NumericOperand: Sendable, Hashable {
  case number(Int)
  /// A `count` question's answer, possibly a range.
  case count(slot: Int)
  /// `count(q)`: how many options a many-of answer includes, 0 when it is not known.
  case selectedCount(slot: Int)
  /// `a + b`, `a - b`: known only when both sides are; a range when either is.
  indirect case combined(NumericOperand, ArithmeticOperator, NumericOperand)
  /// A duration literal (`90s`, `10m`), in milliseconds.
  case duration(Int)
  /// `elapsed`: the call-clock time in milliseconds, held in the engine's `elapsed` slot.
  case time(slot: Int)
  /// `age(q)`: the `elapsed` slot's time minus the time question `question`'s fact was
  /// observed (held in slot `observed`); not known while the question has no answer.
  case age(elapsed: Int, observed: Int, question: Int)
  /// `minutes(q)`, `seconds(q)`, `hours(q)`: a count answer read as a duration, in
  /// milliseconds (`factor` per unit).
  case scaled(slot: Int, factor: Int, unit: String)

  /// What the operand measures: numbers (counts, literals) and durations never mix.
  var isDuration: Bool {
    switch self {
    case .number, .count, .selectedCount: false
    case .duration, .time, .age, .scaled: true
    case .combined(let left, _, _): left.isDuration
    }
  }

  /// A number or duration written out, not read from an answer or the clock.
  var isLiteral: Bool {
    switch self {
    case .number, .duration: true
    default: false
    }
  }

  /// Whether the operand changes as time passes with no event (it reads `elapsed`).
  var readsClock: Bool {
    switch self {
    case .time, .age: true
    case .number, .count, .selectedCount, .duration, .scaled: false
    case .combined(let left, _, let right): left.readsClock || right.readsClock
    }
  }
}

/// `+` and `-` between numbers and counts.
enum ArithmeticOperator: String, Sendable, Hashable {
  case plus = "+"
  case minus = "-"
}

/// An ordering or equality test between two numeric operands.
enum NumericComparison: Sendable, Hashable {
  case less, lessOrEqual, greater, greaterOrEqual, equal
}

/// The answer-state tests `known(q)`, `unknown(q)`, `refused(q)` and `answered(q)`.
enum AnswerStatus: String, Sendable, Hashable {
  case known, unknown, refused, answered
}

/// One node of a compiled condition; children are indices into the program's arrays.
enum ConditionNode: Sendable, Hashable {
  case constant(Bool)
  /// Conjunction of `operands[start..<start + count]`.
  case all(start: Int, count: Int)
  /// Disjunction of `operands[start..<start + count]`.
  case any(start: Int, count: Int)
  case not(Int)
  /// A condition fact used on its own.
  case holds(slot: Int)
  /// `q = yes` / `q = no`.
  case isYesNo(slot: Int, Bool)
  /// `q = option` for one-of answers and `cases` facts.
  case isChoice(slot: Int, String)
  /// `q in (a, b)`.
  case isAmong(slot: Int, [String])
  /// `q = "text"`.
  case isText(slot: Int, String)
  /// `q has option`.
  case includes(slot: Int, String)
  /// `q contains "words"`: a text answer that contains the words, ignoring case.
  case containsText(slot: Int, String)
  /// `q = r` between two names of the same kind: both known and equal.
  case sameValue(Int, Int)
  case status(slot: Int, AnswerStatus)
  case compare(NumericOperand, NumericComparison, NumericOperand)
}

/// The nodes of a compiled condition, evaluated from `root`.
///
/// And/or chains are stored n-ary and nesting is limited at compile time, so evaluation
/// recurses at most a few hundred levels, reads each slot through the ``FactLookup`` and never
/// allocates.
struct ConditionProgram: Sendable, Hashable {
  var nodes: [ConditionNode] = []
  /// Children of `.all` and `.any` nodes.
  var operands: [Int] = []
  var root = 0

  /// Whether the condition holds for `facts`.
  func evaluate<Facts: FactLookup>(_ facts: Facts) -> Bool {
    nodes.isEmpty ? false : evaluate(root, facts)
  }

  private func evaluate<Facts: FactLookup>(_ index: Int, _ facts: Facts) -> Bool {
    switch nodes[index] {
    case .constant(let value):
      return value
    case .all(let start, let count):
      for position in start..<(start + count) where !evaluate(operands[position], facts) {
        return false
      }
      return true
    case .any(let start, let count):
      for position in start..<(start + count) where evaluate(operands[position], facts) {
        return true
      }
      return false
    case .not(let child):
      return !evaluate(child, facts)
    case .holds(let slot):
      if case .condition(true) = facts.value(atSlot: slot) { return true }
      return false
    case .isYesNo(let slot, let expected):
      if case .yesNo(let value) = facts.value(atSlot: slot) { return value == expected }
      return false
    case .isChoice(let slot, let expected):
      switch facts.value(atSlot: slot) {
      case .option(let value), .word(let value): return value == expected
      default: return false
      }
    case .isAmong(let slot, let choices):
      switch facts.value(atSlot: slot) {
      case .option(let value), .word(let value): return choices.contains(value)
      default: return false
      }
    case .isText(let slot, let expected):
      if case .text(let value) = facts.value(atSlot: slot) { return value == expected }
      return false
    case .includes(let slot, let option):
      if case .options(let chosen) = facts.value(atSlot: slot) { return chosen.contains(option) }
      return false
    case .containsText(let slot, let words):
      if case .text(let value) = facts.value(atSlot: slot) {
        return Self.contains(value, words)
      }
      return false
    case .sameValue(let left, let right):
      let value = facts.value(atSlot: left)
      return value.isKnown && value == facts.value(atSlot: right)
    case .status(let slot, let status):
      return Self.test(status, facts.value(atSlot: slot))
    case .compare(let left, let comparison, let right):
      guard let left = Self.range(left, facts), let right = Self.range(right, facts) else {
        return false
      }
      return Self.compare(left, comparison, right)
    }
  }

  /// Whether `text` contains `words`, ignoring case (Unicode case folding: `ESCUELA` contains
  /// `escuela`, `NIÑO` contains `niño`); accents and spacing must match.
  static func contains(_ text: String, _ words: String) -> Bool {
    text.range(of: words, options: .caseInsensitive) != nil
  }

  private static func test(_ status: AnswerStatus, _ value: FactValue) -> Bool {
    switch (status, value) {
    case (.known, _): value.isKnown
    case (.unknown, .unknown), (.refused, .refused): true
    case (.unknown, _), (.refused, _): false
    case (.answered, .unanswered): false
    case (.answered, _): true
    }
  }

  /// The range of numbers an operand stands for, or nil when it has no known number.
  private static func range<Facts: FactLookup>(
    _ operand: NumericOperand, _ facts: Facts
  ) -> (low: Int, high: Int?)? {
    switch operand {
    case .number(let value):
      return (value, value)
    case .count(let slot):
      if case .count(let low, let high) = facts.value(atSlot: slot) { return (low, high) }
      return nil
    case .selectedCount(let slot):
      if case .options(let chosen) = facts.value(atSlot: slot) {
        return (chosen.count, chosen.count)
      }
      return (0, 0)
    case .combined(let left, let operation, let right):
      guard let left = range(left, facts), let right = range(right, facts) else { return nil }
      return operation == .plus ? sum(left, right) : difference(left, right)
    case .duration(let milliseconds):
      return (milliseconds, milliseconds)
    case .time(let slot):
      if case .count(let low, let high) = facts.value(atSlot: slot) { return (low, high) }
      return nil
    case .age(let elapsed, let observed, _):
      guard case .count(let now, _) = facts.value(atSlot: elapsed),
        case .count(let seen, _) = facts.value(atSlot: observed)
      else { return nil }
      return difference((now, now), (seen, seen))
    case .scaled(let slot, let factor, _):
      guard case .count(let low, let high) = facts.value(atSlot: slot) else { return nil }
      return (multiply(low, factor), high.map { multiply($0, factor) })
    }
  }

  /// A product that never traps: it stops at the ends of `Int`'s range.
  private static func multiply(_ value: Int, _ factor: Int) -> Int {
    if value == unbounded { return unbounded }
    let (result, overflow) = value.multipliedReportingOverflow(by: factor)
    guard overflow else { return max(result, unbounded + 1) }
    return (value < 0) == (factor < 0) ? Int.max : unbounded + 1
  }

  // MARK: - Time

  /// How many milliseconds after now the condition can first change as the clock moves on
  /// alone (no value changes but `elapsed`), or nil when no comparison reading the clock can
  /// change.
  ///
  /// Each operand reading the clock grows with it at a fixed rate (`elapsed` and `age(q)` by
  /// one a millisecond), so every comparison's outcome turns at a moment worked out from its
  /// operands now. The answer may be early (a comparison that turns inside an `and` that stays
  /// false), never late: looking again at that moment finds the next one.
  func millisecondsToChange<Facts: FactLookup>(_ facts: Facts) -> Int? {
    var soonest: Int?
    for node in nodes {
      guard case .compare(let left, let comparison, let right) = node,
        left.readsClock || right.readsClock,
        let turn = Self.millisecondsToTurn(left, comparison, right, facts)
      else { continue }
      soonest = min(soonest ?? turn, turn)
    }
    return soonest
  }

  /// A range's ends now and how fast each grows a millisecond.
  private struct Moving {
    var low: Int
    var lowRate: Int
    var high: Int?
    var highRate: Int
  }

  private static func moving<Facts: FactLookup>(
    _ operand: NumericOperand, _ facts: Facts
  ) -> Moving? {
    guard let now = range(operand, facts) else { return nil }
    let rate = clockRate(operand)
    return Moving(low: now.low, lowRate: rate, high: now.high, highRate: rate)
  }

  /// How fast an operand grows with the clock: `elapsed` and `age(q)` by 1, a sum or a
  /// difference by the sum or difference of its sides' rates.
  private static func clockRate(_ operand: NumericOperand) -> Int {
    switch operand {
    case .time, .age: 1
    case .number, .count, .selectedCount, .duration, .scaled: 0
    case .combined(let left, let operation, let right):
      operation == .plus
        ? clockRate(left) + clockRate(right) : clockRate(left) - clockRate(right)
    }
  }

  /// When `left comparison right` can first turn, in milliseconds from now (at least 1).
  private static func millisecondsToTurn<Facts: FactLookup>(
    _ left: NumericOperand, _ comparison: NumericComparison, _ right: NumericOperand,
    _ facts: Facts
  ) -> Int? {
    guard let left = moving(left, facts), let right = moving(right, facts) else { return nil }
    // Each comparison holds when one end minus another is at least 1 (strict) or 0.
    let (upper, lower, threshold): (Moving, Moving, Int)
    switch comparison {
    case .less: (upper, lower, threshold) = (right, left, 1)
    case .lessOrEqual: (upper, lower, threshold) = (right, left, 0)
    case .greater: (upper, lower, threshold) = (left, right, 1)
    case .greaterOrEqual: (upper, lower, threshold) = (left, right, 0)
    case .equal: return nil  // durations are never compared with '='
    }
    // Holds when upper.low - lower.high >= threshold.
    guard let lowerHigh = lower.high, upper.low != unbounded else { return nil }
    let rate = upper.lowRate - lower.highRate
    let (gap, overflow) = upper.low.subtractingReportingOverflow(lowerHigh)
    // (A gap near the ends of `Int` is a count no clock reaches.)
    guard rate != 0, !overflow, gap > Int.min / 4, gap < Int.max / 4 else { return nil }
    if rate > 0, gap < threshold {
      // The first millisecond at which gap + rate * t >= threshold.
      return (threshold - gap + rate - 1) / rate
    }
    if rate < 0, gap >= threshold {
      // The first millisecond at which gap + rate * t < threshold.
      return (gap - threshold) / -rate + 1
    }
    return nil
  }

  /// `Int.min` as a range's low end stands for "no lower bound" (a range such as `2+`
  /// subtracted); no number is below it, so the comparisons need no special case.
  static let unbounded = Int.min

  /// Every sum of a number of `left` and one of `right`.
  static func sum(
    _ left: (low: Int, high: Int?), _ right: (low: Int, high: Int?)
  ) -> (low: Int, high: Int?) {
    let low = add(left.low, right.low)
    guard let leftHigh = left.high, let rightHigh = right.high else { return (low, nil) }
    return (low, add(leftHigh, rightHigh))
  }

  /// Every difference of a number of `left` and one of `right`.
  static func difference(
    _ left: (low: Int, high: Int?), _ right: (low: Int, high: Int?)
  ) -> (low: Int, high: Int?) {
    let low = right.high.map { add(left.low, negated($0)) } ?? unbounded
    guard let leftHigh = left.high, right.low != unbounded else { return (low, nil) }
    return (low, add(leftHigh, negated(right.low)))
  }

  /// A sum that never traps: an unbounded low end stays unbounded, and a sum past the range
  /// of `Int` stops at its end.
  private static func add(_ left: Int, _ right: Int) -> Int {
    if left == unbounded || right == unbounded { return unbounded }
    let (result, overflow) = left.addingReportingOverflow(right)
    guard overflow else { return max(result, unbounded + 1) }
    return right > 0 ? Int.max : unbounded + 1
  }

  private static func negated(_ value: Int) -> Int {
    value == unbounded ? Int.max : -value
  }

  /// Compares two ranges: the comparison holds only if it holds for every pair of numbers.
  static func compare(
    _ left: (low: Int, high: Int?), _ comparison: NumericComparison,
    _ right: (low: Int, high: Int?)
  ) -> Bool {
    switch comparison {
    case .less:
      if let high = left.high { return high < right.low }
      return false
    case .lessOrEqual:
      if let high = left.high { return high <= right.low }
      return false
    case .greater:
      if let high = right.high { return high < left.low }
      return false
    case .greaterOrEqual:
      if let high = right.high { return high <= left.low }
      return false
    case .equal:
      return left.high == left.low && right.high == right.low && left.low == right.low
    }
  }
}
