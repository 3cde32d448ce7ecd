/// What each question's own conditions say for the session's current values: whether it
/// applies (`ask_if`), whether a re-ask is wanted (`reask_if`) and its priority now
/// (`priority_if`).
///
/// Values change only in ``Session/recompute(answered:)``, which refreshes the questions that
/// read a slot whose value changed (``EvaluationTables/questionReaders``). Choosing the next
/// prompt then reads these flags instead of evaluating every question's conditions at every
/// step; a test checks after every step of generated calls that they equal a fresh evaluation.
struct QuestionConditions: Sendable {
  private(set) var applies: [Bool]
  private(set) var reaskHolds: [Bool]
  private(set) var priority: [Int]
  /// The refresh that last looked at each question, so one refresh looks at it once.
  private var seen: [Int]
  private var refreshCount = 0

  init(count: Int) {
    applies = Array(repeating: true, count: count)
    reaskHolds = Array(repeating: true, count: count)
    priority = Array(repeating: 0, count: count)
    seen = Array(repeating: -1, count: count)
  }

  /// Evaluates every question's conditions.
  mutating func refreshAll(_ tables: EvaluationTables, _ values: [FactValue]) {
    for slot in applies.indices { refresh(slot, tables, values) }
  }

  /// Evaluates the conditions of the questions that read any of `changed`.
  mutating func refresh(
    readersOf changed: [Int], _ tables: EvaluationTables, _ values: [FactValue]
  ) {
    refreshCount += 1
    for slot in changed {
      for reader in tables.questionReaders[slot] where seen[reader] != refreshCount {
        seen[reader] = refreshCount
        refresh(reader, tables, values)
      }
    }
  }

  private mutating func refresh(_ slot: Int, _ tables: EvaluationTables, _ values: [FactValue]) {
    applies[slot] = tables.applies(slot, values)
    reaskHolds[slot] = !tables.hasReaskIf[slot] || tables.reaskIf.holds(slot, values)
    priority[slot] = tables.priority(slot, values)
  }

  /// Whether every flag equals a fresh evaluation (for tests).
  func isCurrent(_ tables: EvaluationTables, _ values: [FactValue]) -> Bool {
    var fresh = QuestionConditions(count: applies.count)
    fresh.refreshAll(tables, values)
    return fresh.applies == applies && fresh.reaskHolds == reaskHolds && fresh.priority == priority
  }
}
