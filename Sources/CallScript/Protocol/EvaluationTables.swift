/// A compiled condition held by reference.
///
/// Evaluating a condition stored by value in an array retains and releases its storage around
/// every call; through a reference it is read in place. The engine evaluates every question's
/// condition after each event, so its tables keep them this way.
package final class ConditionRef: Sendable {
  package let condition: CompiledCondition

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
package final class EvaluationTables: Sendable {
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
  /// For each derived index, the position of its incident fact among the protocol's
  /// (``CallProtocol/incidentFacts``), -1 for other facts; the session sets their values from
  /// the call's `incident_facts` events.
  let incidentFactIndex: [Int]
  /// The derived index of the built-in `elapsed`, -1 when the protocol never reads the clock;
  /// the session sets its value to the call-clock time in milliseconds.
  let clockIndex: Int
  /// For each derived index, the question whose observation time the fact holds (`age(q)`
  /// reads it), -1 for other facts.
  let observedQuestion: [Int]
  /// The slot of `elapsed`, nil when no condition reads the clock.
  package let clockSlot: Int?
  /// The conditions reading `elapsed` (directly or through `age(q)`): the moments at which
  /// one can change as time passes are worked out from them (``Session/timeMoment``).
  let clockConditions: [ConditionRef]
  /// The slots whose value can change when the clock moves (itself and what reads it), in
  /// evaluation order; nil when that is every slot or the protocol never reads the clock.
  let clockInfluenced: [Int]?
  /// What the clock moving can make due, nil when the protocol never reads it.
  let clockAffected: Affected?
  /// For each question slot, the slots whose value can change when its answer does (itself
  /// and everything depending on it), in evaluation order; nil when that is so many that
  /// recomputing everything is as cheap (a long condition chain).
  let influenced: [[Int]?]
  /// Above this many influenced slots a question's answer recomputes every slot.
  static let influenceLimit = 128
  /// For each slot, the questions and derived facts whose value reads it directly.
  let dependents: [[Int]]
  /// For each slot, the questions whose `ask_if`, `reask_if` or `priority_if` reads it: those
  /// the session looks at again when its value changes (``Session/QuestionConditions``).
  let questionReaders: [[Int]]

  // The effects' conditions, by instruction, relay, verification and dispatch point index.
  let instructionWhen: [ConditionRef]
  let relayWhen: [ConditionRef]
  let relayResendOn: [[Int]]
  /// Each question's priority, and its `priority_if` rows (conditions and priorities).
  let priority: [Int]
  let priorityIfWhen: [[ConditionRef]]
  let priorityIfValue: [[Int]]
  let verificationWhen: [ConditionRef]
  let dispatchWhen: [ConditionRef]
  /// The determinant and medical tables' rows: a flag and a condition (`always` for none).
  let determinantHasWhen: [Bool]
  let determinantWhen: [ConditionRef]
  let medicalHasWhen: [Bool]
  let medicalWhen: [ConditionRef]

  /// The effects a change of one slot can make due.
  ///
  /// Those whose condition (or `resend_on`) reads a slot whose value depends on it; nothing
  /// else needs looking at after an answer.
  package struct Affected: Sendable {
    package var instructions: [Int]
    package var relays: [Int]
    package var verifications: [Int]

    /// What an event that changes no value can make due.
    static let nothing = Affected(instructions: [], relays: [], verifications: [])

    /// What either can make due.
    func merging(_ other: Affected) -> Affected {
      func union(_ a: [Int], _ b: [Int]) -> [Int] {
        b.isEmpty ? a : a.isEmpty ? b : Set(a + b).sorted()
      }
      return Affected(
        instructions: union(instructions, other.instructions),
        relays: union(relays, other.relays),
        verifications: union(verifications, other.verifications))
    }
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
    dispatchPoints: [DispatchPoint] = [], determinants: [DeterminantRule] = [],
    medical: [DeterminantRule] = [], lineDroppedSlot: Int? = nil
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
    var clock = -1
    var clockSlot: Int?
    var observed: [Int] = []
    var incidentIndex: [Int] = []
    var incidentCount = 0
    for (index, fact) in derived.enumerated() {
      if case .observed(let question, _) = fact.definition {
        observed.append(question)
      } else {
        observed.append(-1)
      }
      if case .incidentFact = fact.definition {
        incidentIndex.append(incidentCount)
        incidentCount += 1
      } else {
        incidentIndex.append(-1)
      }
      switch fact.definition {
      case .lineDropped, .incidentFact, .elapsed, .observed:
        if fact.definition == .lineDropped { lineIndex = index }
        if fact.definition == .elapsed { (clock, clockSlot) = (index, fact.slot) }
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
    incidentFactIndex = incidentIndex
    clockIndex = clock
    observedQuestion = observed
    self.clockSlot = clockSlot
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
    var questionReaders = [[Int]](repeating: [], count: count)
    for question in questions {
      var read = Set(question.askIf?.dependencies ?? [])
      read.formUnion(question.reaskIf?.dependencies ?? [])
      for rule in question.priorityIf { read.formUnion(rule.when.dependencies) }
      for slot in read.sorted() where slot < count { questionReaders[slot].append(question.slot) }
    }
    self.questionReaders = questionReaders
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
    relayResendOn = relays.map(\.resendOn)
    priority = questions.map(\.priority)
    priorityIfWhen = questions.map { $0.priorityIf.map { ConditionRef($0.when) } }
    priorityIfValue = questions.map { $0.priorityIf.map(\.priority) }
    verificationWhen = verifications.map { ConditionRef($0.when) }
    dispatchWhen = dispatchPoints.map { ConditionRef($0.when) }
    determinantHasWhen = determinants.map { $0.when != nil }
    determinantWhen = determinants.map { ConditionRef($0.when ?? always) }
    medicalHasWhen = medical.map { $0.when != nil }
    medicalWhen = medical.map { ConditionRef($0.when ?? always) }
    // Which effects read each slot directly; an answer's effects are those reading any slot
    // its answer can change. Past `influenceLimit` changed slots, everything is looked at.
    var readers = [(instructions: [Int], relays: [Int], verifications: [Int])](
      repeating: ([], [], []), count: count)
    for (index, instruction) in instructions.enumerated() {
      for slot in Set(instruction.when.dependencies) where slot < count {
        readers[slot].instructions.append(index)
      }
    }
    for (index, relay) in relays.enumerated() {
      for slot in Set(relay.when.dependencies + relay.resendOn) where slot < count {
        readers[slot].relays.append(index)
      }
    }
    for (index, verification) in verifications.enumerated() {
      for slot in Set(verification.when.dependencies + verification.resendOn) where slot < count {
        readers[slot].verifications.append(index)
      }
    }
    let everything = Affected(
      instructions: Array(instructions.indices), relays: Array(relays.indices),
      verifications: Array(verifications.indices))
    func affecting(_ slot: Int) -> Affected {
      // A question's influence was walked above; the built-in line fact's is walked here.
      let walked =
        slot < influenced.count
        ? influenced[slot]
        : Self.influence(of: slot, dependents: dependents, limit: Self.influenceLimit).map(
          Array.init)
      guard let changed = walked else { return everything }
      var instructionSet = Set<Int>()
      var relaySet = Set<Int>()
      var verificationSet = Set<Int>()
      for slot in changed {
        instructionSet.formUnion(readers[slot].instructions)
        relaySet.formUnion(readers[slot].relays)
        verificationSet.formUnion(readers[slot].verifications)
      }
      return Affected(
        instructions: instructionSet.sorted(), relays: relaySet.sorted(),
        verifications: verificationSet.sorted())
    }
    affected = questions.indices.map(affecting)
    lineAffected = lineDroppedSlot.map(affecting)
    clockAffected = clockSlot.map(affecting)
    clockInfluenced = clockSlot.flatMap { slot in
      Self.influence(of: slot, dependents: dependents, limit: Self.influenceLimit).map {
        $0.sorted { position[$0] < position[$1] }
      }
    }
    var clockReaders: [ConditionRef] = []
    if let clockSlot {
      let all: [ConditionRef] =
        askIf + reaskIf + priorityIfWhen.flatMap { $0 } + derivedCondition + rowWhen
        + instructionWhen + relayWhen + verificationWhen + dispatchWhen + determinantWhen
        + medicalWhen
      clockReaders = all.filter { $0.condition.dependencies.contains(clockSlot) }
    }
    clockConditions = clockReaders
  }

  /// Milliseconds from the clock's value in `values` to the first moment a condition reading
  /// it can change with no other value changing; nil when none can.
  func millisecondsToClockChange(_ values: [FactValue]) -> Int? {
    var soonest: Int?
    for condition in clockConditions {
      if let turn = condition.condition.program.millisecondsToChange(values) {
        soonest = min(soonest ?? turn, turn)
      }
    }
    return soonest
  }

  /// The slots whose value can change when `slot`'s does: itself and everything depending on
  /// it; nil when there are more than `limit`.
  package func influence(of slot: Int, limit: Int? = nil) -> Set<Int>? {
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

  /// Question `slot`'s priority now: its first `priority_if` row that holds, else its own.
  func priority(_ slot: Int, _ values: [FactValue]) -> Int {
    let rows = priorityIfWhen[slot]
    for row in rows.indices where rows[row].holds(values) { return priorityIfValue[slot][row] }
    return priority[slot]
  }

  /// The first determinant row that holds, nil when none does.
  func firstDeterminant(_ values: [FactValue]) -> Int? {
    determinantWhen.indices.first { !determinantHasWhen[$0] || determinantWhen.holds($0, values) }
  }

  /// The first medical row that holds, nil when none does (or the protocol has none).
  func firstMedical(_ values: [FactValue]) -> Int? {
    medicalWhen.indices.first { !medicalHasWhen[$0] || medicalWhen.holds($0, values) }
  }

  /// Whether question `slot` applies given `values`.
  @inline(__always)
  func applies(_ slot: Int, _ values: [FactValue]) -> Bool {
    !hasAskIf[slot] || askIf.holds(slot, values)
  }
}
