import Foundation

/// A protocol drawn as its call flow.
///
/// The questions stand in one column in the order they are asked (highest priority first),
/// joined by "next" arrows from a start node. Every condition draws an arrow from each fact it
/// reads to the item it decides, labelled with the clause that tests that fact
/// (`caller_safe = no`, `attack_ongoing != yes`), so `= yes` and `!= yes` never look alike;
/// arrows whose clauses are all negations are dashed as well. Dispatch points are marked, the
/// determinant (and medical) tables keep their order, each row labelled with its number, code,
/// level, condition and plan, rows joined by "else" down to the default row, and a re-ask is a
/// loop labelled with its interval and condition. A legend explains the shapes and arrows.
public struct ProtocolGraph: Sendable {
  /// What the graph shows.
  public enum View: String, Sendable, CaseIterable {
    /// Questions, derived facts, dispatch points and the response tables.
    case flow
    /// The flow, and the instructions, relays and verifications each fact triggers.
    case full
  }

  /// A box in the drawing.
  public struct Node: Sendable, Hashable {
    public enum Kind: String, Sendable {
      case start, question, derived, determinant, medical, dispatchPoint, instruction, relay
      case verification
    }
    public var id: String
    public var kind: Kind
    /// The label, one entry a line.
    public var lines: [String]
  }

  /// An arrow.
  public struct Edge: Sendable, Hashable {
    public enum Kind: String, Sendable {
      /// The next question in the asking order.
      case next
      /// The target's condition reads the source fact; the label is the clause.
      case reads
      /// A question asked again after an interval (a loop on itself).
      case reask
      /// From a table row to the next: taken when the row's condition does not hold.
      case otherwise
    }
    public var from: String
    public var to: String
    public var kind: Kind
    public var label: String
    /// Every clause of the label is a negation (`!=`, `not`).
    public var negated: Bool = false
  }

  public private(set) var nodes: [Node] = []
  public private(set) var edges: [Edge] = []
  /// The view the graph was built for.
  public let view: View

  private static let startID = "start"

  /// Builds the graph of a compiled protocol.
  public init(_ callProtocol: CallProtocol, view: View = .flow) {
    self.view = view
    let names: (Int) -> String = { callProtocol.name(ofSlot: $0) }
    func slotNode(_ slot: Int) -> String {
      // An incident fact's name has a dot, which graph ids may not.
      slot < callProtocol.questions.count
        ? "q_\(names(slot))" : "d_\(names(slot).replacingOccurrences(of: ".", with: "__"))"
    }
    // The dispatch points each fact leads to, directly or through derived facts.
    var feeds: [Int: [String]] = [:]
    for point in callProtocol.dispatchPoints {
      for slot in Self.reach(point.when.dependencies, in: callProtocol) {
        feeds[slot, default: []].append(point.id)
      }
    }
    func link(
      _ condition: CompiledCondition?, to target: String, prefix: String = "",
      suffix: String = ""
    ) {
      guard let condition else { return }
      // The clock is no node: a condition reading it says so in its own label.
      for slot in condition.dependencies where slot != callProtocol.tables.clockSlot {
        let clauses = condition.clauses(reading: slot, names: names)
        guard !clauses.isEmpty else { continue }
        let negated = clauses.allSatisfy { $0.hasPrefix("not ") || $0.contains(" != ") }
        let text = clauses.map { prefix + $0 + suffix }.joined(separator: "\n")
        edges.append(
          Edge(from: slotNode(slot), to: target, kind: .reads, label: text, negated: negated))
      }
    }

    nodes.append(Node(id: Self.startID, kind: .start, lines: ["call starts"]))
    var previous = Self.startID
    for (rank, index) in callProtocol.askingOrder.enumerated() {
      let question = callProtocol.questions[index]
      let id = "q_\(question.id)"
      var lines = ["\(rank + 1). \(question.id) (\(question.kind.rawValue))"]
      var priority = "priority \(question.priority)"
      for row in question.priorityIf {
        priority += "; \(row.priority) if \(row.when.text(names: names))"
      }
      lines.append(priority)
      if let askIf = question.askIf { lines.append("ask if \(askIf.text(names: names))") }
      if let callData = question.callData { lines.append("answered by call data (\(callData))") }
      if let points = feeds[question.slot] {
        lines.append("→ dispatch: \(points.joined(separator: ", "))")
      }
      nodes.append(Node(id: id, kind: .question, lines: lines))
      edges.append(
        Edge(from: previous, to: id, kind: .next, label: rank == 0 ? "first" : ""))
      previous = id
      link(question.askIf, to: id, prefix: "ask if ")
      for row in question.priorityIf {
        link(row.when, to: id, prefix: "priority \(row.priority) if ")
      }
      if let every = question.reaskEvery {
        var label = "re-ask every \(Self.duration(every))"
        if let reaskIf = question.reaskIf { label += " while \(reaskIf.text(names: names))" }
        edges.append(Edge(from: id, to: id, kind: .reask, label: label))
        link(question.reaskIf, to: id, prefix: "re-ask while ")
      }
    }
    for fact in callProtocol.derived {
      switch fact.definition {
      case .lineDropped, .incidentFact, .elapsed, .observed: continue
      default: break
      }
      let id = "d_\(fact.id)"
      var lines = ["derived: \(fact.id)"]
      switch fact.definition {
      case .condition(let condition):
        lines.append("= \(condition.text(names: names))")
        link(condition, to: id)
      case .cases(let rows):
        for row in rows {
          if let when = row.when {
            lines.append("\(row.value) if \(when.text(names: names))")
            link(when, to: id, suffix: " → \(row.value)")
          } else {
            lines.append("\(row.value) otherwise")
          }
        }
      case .lineDropped, .incidentFact, .elapsed, .observed:
        break
      }
      if let points = feeds[fact.slot] {
        lines.append("→ dispatch: \(points.joined(separator: ", "))")
      }
      nodes.append(Node(id: id, kind: .derived, lines: lines))
    }
    if let slot = callProtocol.lineDroppedSlot {
      nodes.append(
        Node(
          id: slotNode(slot), kind: .derived,
          lines: ["built-in: line_dropped", "yes while the caller's line is down"]))
    }
    for fact in callProtocol.incidentFacts {
      nodes.append(
        Node(
          id: slotNode(fact.slot), kind: .derived,
          lines: [
            "built-in: \(IncidentFact.prefix)\(fact.name)", "as the incident's other calls gave it",
          ]))
    }
    collapseRuns()
    for point in callProtocol.dispatchPoints {
      let id = "dp_\(point.id)"
      var lines = ["DISPATCH POINT: \(point.id)", "a record goes out when"]
      lines.append(point.when.text(names: names))
      if !point.label.isEmpty { lines.append("(\(point.label))") }
      nodes.append(Node(id: id, kind: .dispatchPoint, lines: lines))
      link(point.when, to: id)
    }
    for (rows, prefix, kind) in [
      (callProtocol.determinants, "det", Node.Kind.determinant),
      (callProtocol.medical, "med", .medical),
    ] {
      let rows = addTable(rows, prefix: prefix, kind: kind, names: names)
      // The rows show their conditions; arrows from every fact into them only in the full view.
      guard view == .full else { continue }
      for (index, row) in rows.enumerated() { link(row.when, to: "\(prefix)_\(index)") }
    }
    guard view == .full else { return }
    for instruction in callProtocol.instructions {
      let id = "i_\(instruction.id)"
      let flags = [
        instruction.interrupt ? "interrupts" : "", instruction.required ? "required" : "",
      ]
      .filter { !$0.isEmpty }
      nodes.append(
        Node(
          id: id, kind: .instruction,
          lines: [
            "say: \(instruction.id)" + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))")
          ]
            + ["when \(instruction.when.text(names: names))"]))
      link(instruction.when, to: id)
    }
    for relay in callProtocol.relays {
      let id = "r_\(relay.id)"
      nodes.append(
        Node(
          id: id, kind: .relay,
          lines: [
            "relay: \(relay.id) (priority \(relay.priority))",
            "when \(relay.when.text(names: names))",
          ]))
      link(relay.when, to: id)
      for slot in relay.resendOn {
        edges.append(Edge(from: slotNode(slot), to: id, kind: .reads, label: "resend on change"))
      }
    }
    for verification in callProtocol.verifications {
      let id = "v_\(verification.id)"
      nodes.append(
        Node(
          id: id, kind: .verification,
          lines: [
            "verify: \(verification.id)", "when \(verification.when.text(names: names))",
          ]))
      link(verification.when, to: id)
    }
  }

  /// A first-match table: its rows in order, each joined to the next by an "else" arrow;
  /// returns the rows, whose conditions the caller links.
  private mutating func addTable(
    _ rows: [DeterminantRule], prefix: String, kind: Node.Kind, names: (Int) -> String
  ) -> [DeterminantRule] {
    for (index, row) in rows.enumerated() {
      let id = "\(prefix)_\(index)"
      var lines = ["row \(index + 1): \(row.code), \(row.level)", row.label]
      if let when = row.when {
        lines.append("when \(when.text(names: names))")
      } else {
        lines.append("default: when no row above holds")
      }
      lines.append("send: \(row.plan.joined(separator: ", "))")
      nodes.append(Node(id: id, kind: kind, lines: lines))
      if index > 0 {
        edges.append(Edge(from: "\(prefix)_\(index - 1)", to: id, kind: .otherwise, label: "else"))
      }
    }
    return rows
  }

  /// Draws one arrow for a run of neighbouring questions that a fact opens with one clause.
  ///
  /// `ask if details_apply (questions 17-21)` instead of five arrows; each question's box
  /// still says its whole condition.
  private mutating func collapseRuns() {
    let order = Dictionary(
      uniqueKeysWithValues: nodes.filter { $0.kind == .question }.enumerated().map {
        ($1.id, $0)
      })
    struct Run {
      var edge: Int
      var first: Int
      var last: Int
    }
    var runs: [String: Run] = [:]
    var dropped = Set<Int>()
    var finished: [Run] = []
    let candidates = edges.indices.filter {
      edges[$0].kind == .reads && order[edges[$0].to] != nil
    }.sorted { order[edges[$0].to] ?? 0 < order[edges[$1].to] ?? 0 }
    for index in candidates {
      let edge = edges[index]
      guard let position = order[edge.to] else { continue }
      let key = edge.from + "\u{0}" + edge.label
      if var run = runs[key], run.last + 1 == position {
        run.last = position
        runs[key] = run
        dropped.insert(index)
      } else {
        if let run = runs[key] { finished.append(run) }
        runs[key] = Run(edge: index, first: position, last: position)
      }
    }
    finished += runs.values
    for run in finished where run.last > run.first {
      edges[run.edge].label += " (questions \(run.first + 1)-\(run.last + 1))"
    }
    edges = edges.indices.filter { !dropped.contains($0) }.map { edges[$0] }
  }

  /// The slots `dependencies` read, and the slots of the derived facts among them, transitively.
  private static func reach(_ dependencies: [Int], in callProtocol: CallProtocol) -> [Int] {
    var seen = Set<Int>()
    var pending = dependencies
    while let slot = pending.popLast() {
      guard seen.insert(slot).inserted else { continue }
      if slot >= callProtocol.questions.count {
        pending += callProtocol.derived[slot - callProtocol.questions.count].dependencies
      }
    }
    return seen.sorted()
  }

  static func duration(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded())
    if whole >= 60, whole % 60 == 0 { return "\(whole / 60) min" }
    return "\(whole) s"
  }

  // MARK: - Graphviz

  /// Graphviz DOT text: top to bottom, the tables and the legend in their own boxes.
  public func dot(title: String) -> String {
    var lines = [
      "digraph protocol {",
      "  label=\"\(Escaped.dot(title)): call flow\";",
      "  labelloc=t;",
      "  rankdir=TB;",
      "  newrank=true;",
      "  node [fontname=\"Helvetica\", fontsize=10];",
      "  edge [fontname=\"Helvetica\", fontsize=9];",
    ]
    let questionOrder = Dictionary(
      uniqueKeysWithValues: nodes.filter { $0.kind == .question }.enumerated().map {
        ($1.id, $0)
      })
    let kinds = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.kind) })
    for node in nodes where node.kind != .determinant && node.kind != .medical {
      lines.append(
        "  \(node.id) [\(Self.dotStyle(node.kind)), label=\"\(Self.dotLabel(node.lines))\"];")
    }
    for (kind, title) in [
      (Node.Kind.determinant, "determinants: the first row that holds gives the response"),
      (.medical, "medical: the first row that holds gives the EMS and fire response"),
    ] {
      let rows = nodes.filter { $0.kind == kind }
      guard !rows.isEmpty else { continue }
      lines.append("  subgraph cluster_\(kind.rawValue) {")
      lines.append("    label=\"\(Escaped.dot(title))\"; style=rounded; color=gray50;")
      for node in rows {
        lines.append(
          "    \(node.id) [\(Self.dotStyle(node.kind)), label=\"\(Self.dotLabel(node.lines))\"];")
      }
      lines.append("  }")
    }
    for edge in edges {
      var attributes: [String] = []
      if !edge.label.isEmpty {
        attributes.append("label=\"\(Self.dotLabel(edge.label.components(separatedBy: "\n")))\"")
      }
      switch edge.kind {
      case .next:
        attributes += ["style=bold", "color=gray30", "weight=100"]
      case .reask:
        attributes += ["style=dashed", "color=darkorange3", "fontcolor=darkorange3"]
      case .otherwise:
        attributes += ["style=bold", "color=gray50", "weight=50"]
      case .reads:
        attributes += edge.negated ? ["style=dashed", "color=firebrick"] : ["color=navy"]
        attributes.append(edge.negated ? "fontcolor=firebrick" : "fontcolor=navy")
        // Only arrows down the asking order shape the layout; the others would fold it.
        let targetIsQuestion = kinds[edge.to] == .question
        let forward =
          questionOrder[edge.from].flatMap { from in questionOrder[edge.to].map { from < $0 } }
          ?? !targetIsQuestion
        if !forward { attributes.append("constraint=false") }
      }
      lines.append("  \(edge.from) -> \(edge.to) [\(attributes.joined(separator: ", "))];")
    }
    // The tables go below the questions (an invisible arrow from the last question).
    if let last = nodes.last(where: { $0.kind == .question }) {
      for first in ["det_0", "med_0"] where kinds[first] != nil {
        lines.append("  \(last.id) -> \(first) [style=invis];")
      }
    }
    lines += legendDot()
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  private func legendDot() -> [String] {
    var lines = [
      "  subgraph cluster_legend {",
      "    label=\"legend\"; style=dashed; color=gray60; fontsize=10;",
      "    legend_question [\(Self.dotStyle(.question)), label=\"question\\n(number: asking order)\"];",
      "    legend_next [\(Self.dotStyle(.question)), label=\"next question\"];",
      "    legend_derived [\(Self.dotStyle(.derived)), label=\"derived fact\"];",
      "    legend_dispatch [\(Self.dotStyle(.dispatchPoint)), label=\"dispatch point:\\na record goes out\"];",
      "    legend_row [\(Self.dotStyle(.determinant)), label=\"determinant row\"];",
      "    legend_default [\(Self.dotStyle(.determinant)), label=\"default row\"];",
    ]
    if view == .full {
      lines += [
        "    legend_instruction [\(Self.dotStyle(.instruction)), label=\"words for the caller\"];",
        "    legend_relay [\(Self.dotStyle(.relay)), label=\"relay to units\"];",
        "    legend_verification [\(Self.dotStyle(.verification)), label=\"verify on arrival\"];",
      ]
    }
    lines += [
      "    legend_question -> legend_next [style=bold, color=gray30, label=\"next by priority\"];",
      "    legend_question -> legend_derived [color=navy, fontcolor=navy, label=\"reads: q = yes\"];",
      "    legend_question -> legend_dispatch [style=dashed, color=firebrick, fontcolor=firebrick, "
        + "label=\"reads, negated: q != yes\"];",
      "    legend_next -> legend_next [style=dashed, color=darkorange3, fontcolor=darkorange3, "
        + "label=\"re-ask after an interval\"];",
      "    legend_row -> legend_default [style=bold, color=gray50, label=\"else: the row did not hold\"];",
      "  }",
    ]
    return lines
  }

  private static func dotStyle(_ kind: Node.Kind) -> String {
    switch kind {
    case .start: "shape=circle, style=filled, fillcolor=gray85"
    case .question: "shape=box, style=rounded"
    case .derived: "shape=ellipse, color=gray40"
    case .determinant: "shape=box, style=filled, fillcolor=lightyellow"
    case .medical: "shape=box, style=filled, fillcolor=honeydew"
    case .dispatchPoint: "shape=doubleoctagon, style=filled, fillcolor=mistyrose, color=red3"
    case .instruction: "shape=note"
    case .relay: "shape=cds"
    case .verification: "shape=diamond"
    }
  }

  private static func dotLabel(_ lines: [String]) -> String {
    lines.flatMap { wrap($0) }.map(Escaped.dot).joined(separator: "\\n")
  }

  /// Splits a long line at spaces so no box grows wider than about 48 characters.
  static func wrap(_ line: String, width: Int = 48) -> [String] {
    guard line.count > width else { return [line] }
    var result: [String] = []
    var current = ""
    for word in line.split(separator: " ", omittingEmptySubsequences: false) {
      if !current.isEmpty, current.count + 1 + word.count > width {
        result.append(current)
        current = "  " + word
      } else {
        current += current.isEmpty ? String(word) : " " + word
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  // MARK: - Mermaid

  /// Mermaid flowchart text, top to bottom, with the same labels and a legend.
  public func mermaid(title: String) -> String {
    let heading = "\(title): call flow".replacingOccurrences(of: "\"", with: "'")
    var lines = ["---", "title: \"\(heading)\"", "---", "flowchart TB"]
    func nodeLine(_ node: Node, indent: String = "  ") -> String {
      let (open, close) = Self.mermaidBrackets(node.kind)
      return "\(indent)\(node.id)\(open)\"\(Self.mermaidLabel(node.lines))\"\(close)"
    }
    for node in nodes where node.kind != .determinant && node.kind != .medical {
      lines.append(nodeLine(node))
    }
    for (kind, title) in [
      (Node.Kind.determinant, "determinants: the first row that holds"),
      (.medical, "medical: the first row that holds"),
    ] {
      let rows = nodes.filter { $0.kind == kind }
      guard !rows.isEmpty else { continue }
      lines.append("  subgraph table_\(kind.rawValue)[\"\(title)\"]")
      lines.append("    direction TB")
      for node in rows { lines.append(nodeLine(node, indent: "    ")) }
      lines.append("  end")
    }
    for edge in edges {
      let label =
        edge.label.isEmpty
        ? "" : "|\"\(Self.mermaidLabel(edge.label.components(separatedBy: "\n")))\"|"
      let arrow: String
      switch edge.kind {
      case .next, .otherwise: arrow = "==>"
      case .reask: arrow = "-.->"
      case .reads: arrow = edge.negated ? "-.->" : "-->"
      }
      lines.append("  \(edge.from) \(arrow)\(label) \(edge.to)")
    }
    lines += [
      "  subgraph legend[\"legend\"]",
      "    direction TB",
      "    legend_question[\"question (number: asking order)\"]",
      "    legend_next[\"next question\"]",
      "    legend_derived([\"derived fact\"])",
      "    legend_dispatch{{\"dispatch point: a record goes out\"}}",
      "    legend_row[/\"determinant row\"\\]",
      "    legend_default[/\"default row\"\\]",
      "    legend_question ==>|\"next by priority\"| legend_next",
      "    legend_question -->|\"reads: q = yes\"| legend_derived",
      "    legend_question -.->|\"reads, negated: q != yes\"| legend_dispatch",
      "    legend_next -.->|\"re-ask after an interval\"| legend_next",
      "    legend_row ==>|\"else: the row did not hold\"| legend_default",
      "  end",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  private static func mermaidBrackets(_ kind: Node.Kind) -> (String, String) {
    switch kind {
    case .start: ("((", "))")
    case .question: ("[", "]")
    case .derived: ("([", "])")
    case .determinant, .medical: ("[/", "\\]")
    case .dispatchPoint: ("{{", "}}")
    case .instruction: (">", "]")
    case .relay: ("[/", "/]")
    case .verification: ("{", "}")
    }
  }

  private static func mermaidLabel(_ lines: [String]) -> String {
    lines.map(Escaped.mermaid).joined(separator: "<br/>")
  }
}
