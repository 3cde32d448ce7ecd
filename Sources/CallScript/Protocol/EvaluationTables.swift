/// A compiled condition held by reference.
///
/// Evaluating a condition stored by value in an array retains and releases its storage around
/// every call; through a reference it is read in place. The engine evaluates every question's
/// condition after each event, so its tables keep them this way.
public final class ConditionRef: Sendable {
  public let condition: CompiledCondition

  init(_ condition: CompiledCondition) {
    self.condition = condition
  }

  @inline(__always)
  func holds(_ values: [FactValue]) -> Bool {
    condition.evaluate(values)
  }
}

extension Array where Element == ConditionRef {
  /// Whether the condition at `index` holds.
  @inline(__always)
  func holds(_ index: Int, _ values: [FactValue]) -> Bool {
    self[index].holds(values)
  }
}

/// A protocol's conditions in flat tables by slot, built once when it is compiled.
///
/// The session reads them by index at every step without copying a question or a derived fact.
/// Optional conditions are kept as a flag and a condition (`always` when there is none).
public final class EvaluationTables: Sendable {
  let hasAskIf: [Bool]
  let askIf: [ConditionRef]
  let reaskEvery: [Double?]
  let hasReaskIf: [Bool]
  let reaskIf: [ConditionRef]
  /// Derived facts by index (slot minus the question count): a condition, or `cases` rows.
  let derivedIsCondition: [Bool]
  let derivedCondition: [ConditionRef]
  let derivedRows: [Range<Int>]
  let rowHasWhen: [Bool]
  let rowWhen: [ConditionRef]
  let rowValue: [FactValue]
  /// The derived index (slot minus the question count) of the built-in `line_dropped`, -1
  /// when the protocol has none; the session sets its value from the caller's connection.
  let lineDroppedIndex: Int
  /// For each question slot, the slots whose value can change when its answer does (itself
  /// and everything depending on it), in evaluation order; nil when that is so many that
  /// recomputing everything is as cheap (a long condition chain).
  let influenced: [[Int]?]
  /// Above this many influenced slots a question's answer recomputes every slot.
  static let influenceLimit = 128
  /// For each slot, the questions and derived facts whose value reads it directly.
  let dependents: [[Int]]

  // The effects' conditions, by instruction, relay, verification and dispatch point index.
  let instructionWhen: [ConditionRef]
  let relayWhen: [ConditionRef]
  let verificationWhen: [ConditionRef]
  let dispatchWhen: [ConditionRef]

  /// The effects a change of one slot can make due.
  ///
  /// Those whose condition (or `resend_on`) reads a slot whose value depends on it; nothing
  /// else needs looking at after an answer.
  package struct Affected: Sendable {
    package var instructions: [Int]
    package var relays: [Int]
    package var verifications: [Int]
  }

  /// For each question slot, what an answer to it can make due.
  let affected: [Affected]
  /// What the caller's line dropping or coming back can make due, when the protocol reads the
  /// built-in `line_dropped`; nil when it does not (then it makes nothing due).
  let lineAffected: Affected?

  /// Tables for a protocol with no questions, before compilation fills them in.
  static let empty = EvaluationTables(questions: [], derived: [], evaluationOrder: [])

  init(
    questions: [Question], derived: [DerivedFact], evaluationOrder: [Int],
    instructions: [Instruction] = [], relays: [Relay] = [], verifications: [Verification] = [],
    dispatchPoints: [DispatchPoint] = [], lineDroppedSlot: Int? = nil
  ) {
    let always = CompiledCondition(
      source: "true", dependencies: [], isConstantlyFalse: false,
      program: ConditionProgram(nodes: [.constant(true)], operands: [], root: 0))
    hasAskIf = questions.map { $0.askIf != nil }
    askIf = questions.map { ConditionRef($0.askIf ?? always) }
    reaskEvery = questions.map(\.reaskEvery)
    hasReaskIf = questions.map { $0.reaskIf != nil }
    reaskIf = questions.map { ConditionRef($0.reaskIf ?? always) }
    var isCondition: [Bool] = []
    var conditions: [ConditionRef] = []
    var ranges: [Range<Int>] = []
    var hasWhen: [Bool] = []
    var whens: [ConditionRef] = []
    var words: [FactValue] = []
    var lineIndex = -1
    for (index, fact) in derived.enumerated() {
      switch fact.definition {
      case .lineDropped:
        lineIndex = index
        isCondition.append(false)
        conditions.append(ConditionRef(always))
        ranges.append(0..<0)
      case .condition(let condition):
        isCondition.append(true)
        conditions.append(ConditionRef(condition))
        ranges.append(0..<0)
      case .cases(let rows):
        isCondition.append(false)
        conditions.append(ConditionRef(always))
        ranges.append(whens.count..<(whens.count + rows.count))
        for row in rows {
          hasWhen.append(row.when != nil)
          whens.append(ConditionRef(row.when ?? always))
          words.append(.word(row.value))
        }
      }
    }
    derivedIsCondition = isCondition
    derivedCondition = conditions
    derivedRows = ranges
    rowHasWhen = hasWhen
    rowWhen = whens
    rowValue = words
    lineDroppedIndex = lineIndex
    let count = questions.count + derived.count
    var dependents = [[Int]](repeating: [], count: count)
    for question in questions {
      for dependency in question.askIf?.dependencies ?? [] where dependency < count {
        dependents[dependency].append(question.slot)
      }
    }
    for fact in derived {
      for dependency in fact.dependencies where dependency < count {
        dependents[dependency].append(fact.slot)
      }
    }
    self.dependents = dependents
    var position = [Int](repeating: 0, count: count)
    for (index, slot) in evaluationOrder.enumerated() where slot < count { position[slot] = index }
    // One array of marks for all questions (stamped with the question's slot), not a set each.
    var mark = [Int](repeating: -1, count: count)
    var influenced: [[Int]?] = []
    influenced.reserveCapacity(questions.count)
    walk: for start in questions.indices {
      var reached = [start]
      mark[start] = start
      var next = 0
      while next < reached.count {
        let slot = reached[next]
        next += 1
        for dependent in dependents[slot] where mark[dependent] != start {
          mark[dependent] = start
          reached.append(dependent)
          if reached.count > Self.influenceLimit {
            influenced.append(nil)
            continue walk
          }
        }
      }
      influenced.append(reached.sorted { position[$0] < position[$1] })
    }
    self.influenced = influenced
    instructionWhen = instructions.map { ConditionRef($0.when) }
    relayWhen = relays.map { ConditionRef($0.when) }
    verificationWhen = verifications.map { ConditionRef($0.when) }
    dispatchWhen = dispatchPoints.map { ConditionRef($0.when) }
    // What a change of each slot can make due: the effects reading the slot itself, and those
    // of every slot depending on it. Dependents come later in the evaluation order, so one pass
    // backwards over it builds every slot's set from its dependents' (as bits: effect `e` is
    // bit `e`, instructions first, then relays, then verifications), instead of walking all
    // that each slot influences (quadratic in a long chain of conditions).
    let effectCount = instructions.count + relays.count + verifications.count
    let wordCount = (effectCount + 63) / 64
    var reach = [UInt64](repeating: 0, count: count * wordCount)
    let reads =
      instructions.map(\.when.dependencies) + relays.map { $0.when.dependencies + $0.resendOn }
      + verifications.map { $0.when.dependencies + $0.resendOn }
    for (effect, slots) in reads.enumerated() {
      for slot in slots where slot < count {
        reach[slot * wordCount + effect / 64] |= 1 << UInt64(effect % 64)
      }
    }
    // `done`: the slot's set is complete (every dependent's was, when it was built).
    var done = [Bool](repeating: false, count: count)
    for slot in evaluationOrder.reversed() where slot < count {
      var complete = true
      for next in dependents[slot] where next != slot {
        guard done[next] else {
          complete = false
          continue
        }
        for word in 0..<wordCount {
          reach[slot * wordCount + word] |= reach[next * wordCount + word]
        }
      }
      done[slot] = complete
    }
    func affecting(_ slot: Int) -> Affected {
      var effects: [Int] = []
      if done[slot] {
        for effect in 0..<effectCount
        where reach[slot * wordCount + effect / 64] & (1 << UInt64(effect % 64)) != 0 {
          effects.append(effect)
        }
      } else {
        // Not complete from the evaluation order: walk what it influences.
        let changed = Self.influence(of: slot, dependents: dependents, limit: nil) ?? [slot]
        effects = reads.indices.filter { !changed.isDisjoint(with: reads[$0]) }
      }
      let relayStart = instructions.count
      let verificationStart = relayStart + relays.count
      return Affected(
        instructions: effects.filter { $0 < relayStart },
        relays: effects.filter { $0 >= relayStart && $0 < verificationStart }.map {
          $0 - relayStart
        },
        verifications: effects.filter { $0 >= verificationStart }.map { $0 - verificationStart })
    }
    affected = questions.indices.map(affecting)
    lineAffected = lineDroppedSlot.map(affecting)
  }

  /// The slots whose value can change when `slot`'s does: itself and everything depending on
  /// it; nil when there are more than `limit`.
  public func influence(of slot: Int, limit: Int? = nil) -> Set<Int>? {
    Self.influence(of: slot, dependents: dependents, limit: limit)
  }

  static func influence(of start: Int, dependents: [[Int]], limit: Int?) -> Set<Int>? {
    var seen: Set<Int> = [start]
    var pending = [start]
    while let slot = pending.popLast() {
      for next in dependents[slot] where seen.insert(next).inserted {
        if let limit, seen.count > limit { return nil }
        pending.append(next)
      }
    }
    return seen
  }

  /// Whether question `slot` applies given `values`.
  @inline(__always)
  func applies(_ slot: Int, _ values: [FactValue]) -> Bool {
    !hasAskIf[slot] || askIf.holds(slot, values)
  }
}
