/// A name visible to expressions: a question or a derived fact.
package struct Symbol: Sendable, Hashable {
  /// The question or derived fact id.
  package var name: String
  /// Index into the engine's value array.
  package var slot: Int
  /// What values the name holds.
  package var type: ValueType
  /// True for a question, false for a derived fact.
  package var isQuestion: Bool

  /// Creates a symbol.
  package init(name: String, slot: Int, type: ValueType, isQuestion: Bool) {
    self.name = name
    self.slot = slot
    self.type = type
    self.isQuestion = isQuestion
  }
}

/// Looks names up while compiling expressions and templates.
package protocol SymbolTable {
  /// The symbol called `name`, or nil when there is none.
  func symbol(named name: String) -> Symbol?
  /// Every name, for "did you mean" suggestions.
  var allSymbolNames: [String] { get }
  /// The engine's slot holding when question `question`'s fact was observed (for `age(q)`),
  /// or nil when this table has no clock.
  func observedTime(of question: Symbol) -> Symbol?
}

extension SymbolTable {
  /// No clock: `age(q)` is refused.
  package func observedTime(of question: Symbol) -> Symbol? { nil }
}

/// The engine's clock, as conditions read it.
public enum BuiltInTime {
  /// The call-clock time since the call started: `elapsed > 5m`.
  public static let elapsed = "elapsed"
  /// The prefix of the engine's fact holding when a question's fact was observed.
  static let observedPrefix = "observed:"
}

/// A ``SymbolTable`` built from a list of symbols.
///
/// When two symbols share a name the first one wins; the protocol compiler reports duplicate
/// ids separately.
package struct SymbolIndex: SymbolTable, Sendable, Hashable {
  /// The symbols, in the order given.
  package let symbols: [Symbol]
  private let positions: [String: Int]

  /// Creates an index of `symbols`.
  package init(_ symbols: [Symbol]) {
    self.symbols = symbols
    var positions: [String: Int] = [:]
    for (position, symbol) in symbols.enumerated() where positions[symbol.name] == nil {
      positions[symbol.name] = position
    }
    self.positions = positions
  }

  /// The symbol called `name`, or nil when there is none.
  package func symbol(named name: String) -> Symbol? {
    positions[name].map { symbols[$0] }
  }

  /// Every name, in the order given.
  package var allSymbolNames: [String] { symbols.map(\.name) }
}
