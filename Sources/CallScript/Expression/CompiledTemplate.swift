/// A relay or verification text whose `{name}`, `{name.age}` and `{name.time}` holes are
/// resolved to slots.
public struct CompiledTemplate: Sendable, Hashable {
  /// A piece of the template.
  enum Part: Sendable, Hashable {
    case literal(String)
    /// `{name}`; `options` is the option order of a many-of answer, empty otherwise.
    case value(slot: Int, options: [String])
    /// `{name.age}`.
    case age(slot: Int)
    /// `{name.time}`: the clock time the fact was seen or heard.
    case time(slot: Int)
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
  /// ", " in the question's option order ("none" for an empty choice); counts read "2", "2-3"
  /// or "2 or more"; `cases` words read with `_` as a space. `age(slot)` gives seconds since the
  /// slot was answered, nil when never; ages read "40 s" under a minute and "3 min" after,
  /// rounded down.
  ///
  /// `time(slot)` gives the clock time a fact was seen or heard ("14:02"), nil when never.
  public func render<Facts: FactLookup>(
    _ facts: Facts, label: (Int, String) -> String, age: (Int) -> Double?,
    time: (Int) -> String? = { _ in nil }
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
      case .time(let slot):
        output += time(slot) ?? "not yet known"
      }
    }
    return output
  }

  /// How one value reads in a template: a many-of answer in the question's option order.
  static func text(
    of value: FactValue, slot: Int, options: [String], _ label: (Int, String) -> String
  ) -> String {
    FactText.render(value) {
      label(slot, $0)
    } order: { chosen in
      options.filter(chosen.contains) + chosen.subtracting(options).sorted()
    }
  }

  /// "40 s" under a minute, "3 min" from a minute, rounded down.
  static func ageText(_ seconds: Double) -> String {
    FactText.age(seconds)
  }
}
