/// A relay or verification text whose `{name}`, `{name.age}` and `{name.time}` holes are
/// resolved to slots, with optional `[ … ]` segments.
package struct CompiledTemplate: Sendable, Hashable {
  /// A piece of the template.
  indirect enum Part: Sendable, Hashable {
    case literal(String)
    /// `{name}`; `options` is the option order of a many-of answer, empty otherwise.
    case value(slot: Int, options: [String])
    /// `{name.age}`.
    case age(slot: Int)
    /// `{name.time}`: the clock time the fact was seen or heard.
    case time(slot: Int)
    /// `[ … ]`: left out unless every fact it names is known; `[?name:…]` also needs the
    /// fact `guard` to hold (a condition or yes/no that is yes, any other fact known).
    case optional(parts: [Part], guard: Int?)
  }

  /// The template text as written.
  package let source: String
  /// Slots the template names, sorted, unique.
  package let dependencies: [Int]
  let parts: [Part]

  init(source: String, dependencies: [Int], parts: [Part]) {
    self.source = source
    self.dependencies = dependencies
    self.parts = parts
  }

  /// Fills the template from `facts`.
  ///
  /// Missing values are visible outside optional segments: "unknown", "refused", "not yet
  /// known". An optional segment (`[ heading {direction}]`) is left out, whole, when a fact it
  /// names has no real value (unanswered, unknown, refused) or its guard does not hold. Yes/no
  /// answers and conditions read "yes"/"no"; options read as `label(slot, optionID)`, several
  /// joined with ", " in the question's option order ("none" for an empty choice); counts read
  /// "2", "2-3" or "2 or more"; `cases` words read with `_` as a space. `age(slot)` gives
  /// seconds since the slot was answered, nil when never; ages read "40 s" under a minute and
  /// "3 min" after, rounded down.
  ///
  /// `time(slot)` gives the clock time a fact was seen or heard ("14:02"), nil when never;
  /// `mark(slot)` gives a prefix for a value (the language of free text, "[es] "), nil for none.
  package func render<Facts: FactLookup>(
    _ facts: Facts, label: (Int, String) -> String, age: (Int) -> Double?,
    time: (Int) -> String? = { _ in nil }, mark: (Int) -> String? = { _ in nil }
  ) -> String {
    var output = ""
    Self.render(parts, facts, into: &output, label: label, age: age, time: time, mark: mark)
    guard hasOptionalSegments else { return output }
    // A segment left out at the start or end leaves no stray separator behind.
    let separators: Set<Character> = [" ", ".", ",", ";", ":"]
    while let first = output.first, separators.contains(first) { output.removeFirst() }
    while let last = output.last, last == " " || last == "," || last == ";" {
      output.removeLast()
    }
    return output
  }

  /// Whether the template has a `[ … ]` segment.
  var hasOptionalSegments: Bool {
    parts.contains {
      if case .optional = $0 { return true }
      return false
    }
  }

  private static func render<Facts: FactLookup>(
    _ parts: [Part], _ facts: Facts, into output: inout String, label: (Int, String) -> String,
    age: (Int) -> Double?, time: (Int) -> String?, mark: (Int) -> String?
  ) {
    for part in parts {
      switch part {
      case .literal(let text):
        output += text
      case .value(let slot, let options):
        let value = facts.value(atSlot: slot)
        if value.isKnown, let prefix = mark(slot) { output += prefix }
        output += Self.text(of: value, slot: slot, options: options, label)
      case .age(let slot):
        output += age(slot).map(Self.ageText) ?? "not yet known"
      case .time(let slot):
        output += time(slot) ?? "not yet known"
      case .optional(let inner, let guardSlot):
        if let guardSlot, !holds(facts.value(atSlot: guardSlot)) { continue }
        guard isComplete(inner, facts, age: age, time: time) else { continue }
        render(inner, facts, into: &output, label: label, age: age, time: time, mark: mark)
      }
    }
  }

  /// Whether a guard holds: a condition or yes/no that is yes, any other real value.
  static func holds(_ value: FactValue) -> Bool {
    switch value {
    case .condition(let holds), .yesNo(let holds): holds
    default: value.isKnown
    }
  }

  /// Whether every fact an optional segment names has a real value.
  private static func isComplete<Facts: FactLookup>(
    _ parts: [Part], _ facts: Facts, age: (Int) -> Double?, time: (Int) -> String?
  ) -> Bool {
    parts.allSatisfy { part in
      switch part {
      case .literal: true
      case .value(let slot, _): facts.value(atSlot: slot).isKnown
      case .age(let slot): facts.value(atSlot: slot).isKnown && age(slot) != nil
      case .time(let slot): facts.value(atSlot: slot).isKnown && time(slot) != nil
      case .optional: true
      }
    }
  }

  /// The length of the longest rendering, in characters, with every optional segment in and
  /// each hole as long as `length` says a typical value of its slot is (`.age` and `.time`
  /// take `ageLength` and `timeLength`).
  package func longestLength(
    value length: (Int) -> Int, ageLength: Int = 6, timeLength: Int = 5
  ) -> Int {
    func measure(_ parts: [Part]) -> Int {
      parts.reduce(0) { total, part in
        switch part {
        case .literal(let text): total + text.count
        case .value(let slot, _): total + length(slot)
        case .age: total + ageLength
        case .time: total + timeLength
        case .optional(let inner, _): total + measure(inner)
        }
      }
    }
    return measure(parts)
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
