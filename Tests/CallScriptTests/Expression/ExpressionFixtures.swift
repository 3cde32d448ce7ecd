import CallScript

/// Names shared by the expression tests, in slot order.
enum ExpressionFixtures {
  static let symbols = SymbolIndex([
    Symbol(name: "caller_safe", slot: 0, type: .yesNo, isQuestion: true),
    Symbol(
      name: "weapon_type", slot: 1, type: .oneOf(options: ["firearm", "edged", "blunt", "none"]),
      isQuestion: true),
    Symbol(
      name: "weapons", slot: 2, type: .manyOf(options: ["firearm", "edged", "explosive"]),
      isQuestion: true),
    Symbol(name: "attackers", slot: 3, type: .count, isQuestion: true),
    Symbol(name: "location", slot: 4, type: .text, isQuestion: true),
    Symbol(name: "attack_active", slot: 5, type: .condition, isQuestion: false),
    Symbol(
      name: "incident_kind", slot: 6, type: .word(values: ["hostage", "bomb", "active_attack"]),
      isQuestion: false),
    Symbol(name: "can_leave", slot: 7, type: .yesNo, isQuestion: true),
    Symbol(
      name: "suspect_status", slot: 8, type: .oneOf(options: ["at_large", "custody", "down"]),
      isQuestion: true),
    Symbol(name: "victims", slot: 9, type: .count, isQuestion: true),
    Symbol(name: "attacker_location", slot: 10, type: .text, isQuestion: true),
    Symbol(
      name: "other_weapons", slot: 11, type: .manyOf(options: ["firearm", "edged"]),
      isQuestion: true),
    Symbol(name: "still_armed", slot: 12, type: .condition, isQuestion: false),
    Symbol(name: "hidden", slot: 13, type: .condition, isQuestion: false),
    Symbol(
      name: "prior_weapon", slot: 14, type: .oneOf(options: ["firearm", "edged"]),
      isQuestion: true),
  ])

  /// A fact array with `values` set by name and every other slot unanswered.
  static func facts(_ values: [String: FactValue] = [:]) -> [FactValue] {
    var facts = [FactValue](repeating: .unanswered, count: symbols.symbols.count)
    for (name, value) in values {
      if let symbol = symbols.symbol(named: name) { facts[symbol.slot] = value }
    }
    return facts
  }

  /// The compiled condition, or nil when `text` has issues.
  static func condition(_ text: String) -> CompiledCondition? {
    try? ExpressionCompiler.compileCondition(text, symbols: symbols).get()
  }

  /// The issues `text` has; empty when it compiles.
  static func issues(_ text: String) -> [ExpressionIssue] {
    switch ExpressionCompiler.compileCondition(text, symbols: symbols) {
    case .success: []
    case .failure(let issues): issues
    }
  }

  /// Whether `text` compiles and holds for `values`; nil when it does not compile.
  static func holds(_ text: String, _ values: [String: FactValue] = [:]) -> Bool? {
    condition(text)?.evaluate(facts(values))
  }
}
