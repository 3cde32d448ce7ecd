/// Generates large protocols with long condition chains, for measuring the compiler and engine.
enum SyntheticProtocol {
  /// A protocol with `questions` questions: each question's `ask_if` reads the one before it
  /// (a chain as long as the protocol), derived facts chain over every tenth question, and
  /// determinants, instructions and relays read the derived facts.
  static func text(questions count: Int) -> String {
    var lines = [
      "protocol:", "  id: synthetic-\(count)", "  version: 1.0.0",
      "  title: Synthetic protocol with \(count) questions", "  languages: [en]",
      "response_levels: [low, medium, high]",
      "resources:", "  patrol: Patrol units", "  ems: EMS to staging",
      "questions:",
    ]
    let kinds = ["yes_no", "count", "one_of", "text", "many_of"]
    for index in 0..<count {
      let kind = kinds[index % kinds.count]
      lines += [
        "  - id: q\(index)",
        "    ask: Synthetic question number \(index)?",
        "    label: Synthetic fact \(index)",
        "    kind: \(kind)",
        "    priority: \(max(0, 1000 - index / 5))",
      ]
      if kind == "one_of" || kind == "many_of" {
        lines += [
          "    options:",
          "      - { id: alpha, label: Alpha, key: a }",
          "      - { id: beta, label: Beta, key: b }",
          "      - { id: gamma, label: Gamma, key: c }",
        ]
      }
      if index > 0 {
        lines.append("    ask_if: \(condition(readingQuestion: index - 1, kinds: kinds))")
      }
      if kind == "count" {
        lines += [
          "    checks:", "      - reject_if: q\(index) > 500",
          "        message: Too many for question \(index)",
        ]
      }
    }
    let derivedCount = max(1, count / 10)
    lines.append("derived:")
    for index in 0..<derivedCount {
      let reads = condition(readingQuestion: index * 10, kinds: kinds)
      let chain = index > 0 ? " or d\(index - 1)" : ""
      lines += ["  - id: d\(index)", "    expr: (\(reads))\(chain)"]
    }
    lines.append("determinants:")
    for index in stride(from: derivedCount - 1, through: 0, by: -max(1, derivedCount / 40)) {
      lines += [
        "  - when: d\(index) and known(q\(index * 10))",
        "    code: S-\(index)", "    level: \(index % 2 == 0 ? "high" : "medium")",
        "    plan: [patrol, ems]", "    label: Synthetic row \(index)",
      ]
    }
    lines += [
      "  - code: S-DEFAULT", "    level: low", "    plan: [patrol]", "    label: Default",
      "dispatch_points:", "  - id: first", "    when: known(q0) and answered(q1)",
      "instructions:",
    ]
    for index in stride(from: 0, to: derivedCount, by: max(1, derivedCount / 100)) {
      lines += [
        "  - id: i\(index)", "    when: d\(index)",
        "    say: Synthetic instruction \(index)",
      ]
    }
    lines.append("relays:")
    for index in stride(from: 0, to: count, by: max(1, count / 100)) {
      lines += [
        "  - id: r\(index)", "    when: answered(q\(index))",
        "    text: Question \(index) is {q\(index)}, answered {q\(index).age} ago",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A protocol whose one question has `options` options all on key `a`: every option after
  /// the first is a CS117 clash, so lint reports `options - 1` findings (issue 13: lint time
  /// grew with the square of this count).
  static func clashingKeys(options count: Int) -> String {
    var lines = [
      "protocol:", "  id: clashing-keys", "  version: 1.0.0", "  title: Clashing keys",
      "  languages: [en]", "response_levels: [low]", "resources:", "  patrol: Patrol units",
      "questions:", "  - id: q0", "    ask: Which one?", "    label: Which one", "    kind: one_of",
      "    priority: 1", "    options:",
    ]
    for index in 0..<count {
      lines.append("      - { id: o\(index), label: Option \(index), key: a }")
    }
    lines += [
      "determinants:", "  - code: S-DEFAULT", "    level: low", "    plan: [patrol]",
      "    label: Default", "dispatch_points:", "  - id: first", "    when: known(q0)",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  private static func condition(readingQuestion index: Int, kinds: [String]) -> String {
    switch kinds[index % kinds.count] {
    case "yes_no": "q\(index) != no"
    case "count": "not (q\(index) > 400)"
    case "one_of": "q\(index) != gamma"
    case "many_of": "not (q\(index) has gamma)"
    default: "not refused(q\(index))"
    }
  }
}
