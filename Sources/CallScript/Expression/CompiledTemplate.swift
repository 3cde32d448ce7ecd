/// A relay or verification text whose `{name}` and `{name.age}` holes are resolved to slots.
public struct CompiledTemplate: Sendable, Hashable {
  /// A piece of the template.
  enum Part: Sendable, Hashable {
    case literal(String)
    /// `{name}`; `options` is the option order of a many-of answer, empty otherwise.
    case value(slot: Int, options: [String])
    /// `{name.age}`.
    case age(slot: Int)
  }

  /// The template text as written.
  public let source: String
  /// Slots the template names, sorted, unique.
  public let dependencies: [Int]
  let parts: [Part]

  init(source: String, dependencies: [Int], parts: [Part]) {
    self.source = source
    self.dependencies = dependencies
    self.parts = parts
  }

  /// Fills the template from `facts`.
  ///
  /// Missing values are visible: "unknown", "refused", "not yet known". Yes/no answers and
  /// conditions read "yes"/"no"; options read as `label(slot, optionID)`, several joined with
  /// ", " in the question's option order ("none" for an empty choice); counts read "2", "2-3" or "2 or more"; `cases` words
  /// read with `_` as a space. `age(slot)` gives seconds since the slot was answered, nil when
  /// never; ages read "40 s" under a minute and "3 min" after, rounded down.
  public func render<Facts: FactLookup>(
    _ facts: Facts, label: (Int, String) -> String, age: (Int) -> Double?
  ) -> String {
    var output = ""
    for part in parts {
      switch part {
      case .literal(let text):
        output += text
      case .value(let slot, let options):
        output += Self.text(of: facts.value(atSlot: slot), slot: slot, options: options, label)
      case .age(let slot):
        output += age(slot).map(Self.ageText) ?? "not yet known"
      }
    }
    return output
  }

  /// How one value reads in a template.
  static func text(
    of value: FactValue, slot: Int, options: [String], _ label: (Int, String) -> String
  ) -> String {
    switch value {
    case .unanswered: return "not yet known"
    case .unknown: return "unknown"
    case .refused: return "refused"
    case .yesNo(let value), .condition(let value): return value ? "yes" : "no"
    case .option(let id): return label(slot, id)
    case .options(let chosen):
      if chosen.isEmpty { return "none" }
      var ordered = options.filter(chosen.contains)
      ordered += chosen.subtracting(options).sorted()
      return ordered.map { label(slot, $0) }.joined(separator: ", ")
    case .count(let low, let high):
      guard let high else { return "\(low) or more" }
      return high == low ? "\(low)" : "\(low)-\(high)"
    case .text(let text): return text
    case .word(let word): return String(word.map { $0 == "_" ? " " : $0 })
    }
  }

  /// "40 s" under a minute, "3 min" from a minute, rounded down; negative and NaN read "0 s".
  static func ageText(_ seconds: Double) -> String {
    guard seconds.isFinite else { return seconds > 0 ? "\(Int.max / 60) min" : "0 s" }
    let seconds = max(0, seconds)
    if seconds < 60 { return "\(Int(seconds)) s" }
    let minutes = min(seconds / 60, Double(Int.max / 60))
    return "\(Int(minutes)) min"
  }
}
