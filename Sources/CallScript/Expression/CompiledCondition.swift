/// A type-checked condition whose names are resolved to slots.
///
/// Evaluation is total (it never traps or throws, whatever values the slots hold), reads only
/// the slots in ``dependencies`` and does no string lookups or allocations.
package struct CompiledCondition: Sendable, Hashable {
  /// The expression text as written.
  package let source: String
  /// Slots this expression names (for dependency graphs and cycle checks), sorted, unique.
  package let dependencies: [Int]
  /// True when constant folding or contradiction detection proves it can never hold.
  ///
  /// Found: constants (`false`, `not true`, `1 > 2`), and a slot required to take two values at
  /// once within a conjunction (`x = yes and x = no`, `x = a and x = b`,
  /// `x in (a, b) and not x in (a, b)`, `known(x) and unknown(x)`, `n > 3 and n < 2`).
  package let isConstantlyFalse: Bool
  let program: ConditionProgram

  init(source: String, dependencies: [Int], isConstantlyFalse: Bool, program: ConditionProgram) {
    self.source = source
    self.dependencies = dependencies
    self.isConstantlyFalse = isConstantlyFalse
    self.program = program
  }

  /// Whether the condition holds for `facts`.
  package func evaluate<Facts: FactLookup>(_ facts: Facts) -> Bool {
    program.evaluate(facts)
  }
}
