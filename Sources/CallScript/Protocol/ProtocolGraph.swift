import Foundation

/// Draws a protocol as a graph: questions by priority, and an edge from every fact to each
/// condition, determinant, instruction, relay, verification and dispatch point that reads it.
public struct ProtocolGraph: Sendable {
  /// A box in the drawing.
  public struct Node: Sendable, Hashable {
    public enum Kind: String, Sendable {
      case question, derived, determinant, dispatchPoint, instruction, relay, verification
    }
    public var id: String
    public var kind: Kind
    public var label: String
  }

  /// An arrow from the fact `from` to the item `to` that reads it.
  public struct Edge: Sendable, Hashable {
    public var from: String
    public var to: String
  }

  public var nodes: [Node] = []
  public var edges: [Edge] = []

  /// Builds the graph of a compiled protocol.
  public init(_ callProtocol: CallProtocol) {
    func slotNode(_ slot: Int) -> String {
      slot < callProtocol.questions.count
        ? "q_\(callProtocol.name(ofSlot: slot))" : "d_\(callProtocol.name(ofSlot: slot))"
    }
    func link(_ slots: [Int], to target: String) {
      for slot in Set(slots).sorted() { edges.append(Edge(from: slotNode(slot), to: target)) }
    }
    for index in callProtocol.askingOrder {
      let question = callProtocol.questions[index]
      let id = "q_\(question.id)"
      nodes.append(
        Node(
          id: id, kind: .question,
          label: "\(question.id) (\(question.kind.rawValue), "
            + "priority \(([question.priority] + question.priorityIf.map(\.priority)).map(String.init).joined(separator: "/")))"
        ))
      link(
        (question.askIf?.dependencies ?? []) + (question.reaskIf?.dependencies ?? [])
          + question.priorityIf.flatMap(\.when.dependencies), to: id)
    }
    for fact in callProtocol.derived {
      let id = "d_\(fact.id)"
      nodes.append(Node(id: id, kind: .derived, label: fact.id))
      link(fact.dependencies, to: id)
    }
    for (index, rule) in callProtocol.determinants.enumerated() {
      let id = "det_\(index)"
      nodes.append(Node(id: id, kind: .determinant, label: "\(rule.code) \(rule.level)"))
      link(rule.when?.dependencies ?? [], to: id)
    }
    for point in callProtocol.dispatchPoints {
      let id = "dp_\(point.id)"
      nodes.append(Node(id: id, kind: .dispatchPoint, label: "dispatch: \(point.id)"))
      link(point.when.dependencies, to: id)
    }
    for instruction in callProtocol.instructions {
      let id = "i_\(instruction.id)"
      nodes.append(Node(id: id, kind: .instruction, label: "say: \(instruction.id)"))
      link(instruction.when.dependencies, to: id)
    }
    for relay in callProtocol.relays {
      let id = "r_\(relay.id)"
      nodes.append(Node(id: id, kind: .relay, label: "relay: \(relay.id)"))
      link(relay.when.dependencies + relay.text.dependencies, to: id)
    }
    for verification in callProtocol.verifications {
      let id = "v_\(verification.id)"
      nodes.append(Node(id: id, kind: .verification, label: "verify: \(verification.id)"))
      link(
        verification.when.dependencies + verification.confirm.dependencies
          + verification.evidence.dependencies, to: id)
    }
  }

  /// Graphviz DOT text.
  public func dot(title: String) -> String {
    var lines = ["digraph protocol {", "  label=\"\(escape(title))\";", "  rankdir=LR;"]
    let shapes: [Node.Kind: String] = [
      .question: "box", .derived: "ellipse", .determinant: "hexagon",
      .dispatchPoint: "doubleoctagon",
      .instruction: "note", .relay: "cds", .verification: "diamond",
    ]
    var previousQuestion: String?
    for node in nodes {
      lines.append(
        "  \(node.id) [shape=\(shapes[node.kind] ?? "box"), label=\"\(escape(node.label))\"];")
      if node.kind == .question {
        if let previous = previousQuestion {
          lines.append("  \(previous) -> \(node.id) [style=dotted, arrowhead=none, weight=10];")
        }
        previousQuestion = node.id
      }
    }
    for edge in edges { lines.append("  \(edge.from) -> \(edge.to);") }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Mermaid flowchart text.
  public func mermaid() -> String {
    var lines = ["flowchart LR"]
    let brackets: [Node.Kind: (String, String)] = [
      .question: ("[", "]"), .derived: ("([", "])"), .determinant: ("{{", "}}"),
      .dispatchPoint: ("[[", "]]"), .instruction: (">", "]"), .relay: ("[/", "/]"),
      .verification: ("{", "}"),
    ]
    var previousQuestion: String?
    for node in nodes {
      let (open, close) = brackets[node.kind] ?? ("[", "]")
      let label = node.label.replacingOccurrences(of: "\"", with: "'")
      lines.append("  \(node.id)\(open)\"\(label)\"\(close)")
      if node.kind == .question {
        if let previous = previousQuestion { lines.append("  \(previous) -.- \(node.id)") }
        previousQuestion = node.id
      }
    }
    for edge in edges { lines.append("  \(edge.from) --> \(edge.to)") }
    return lines.joined(separator: "\n") + "\n"
  }

  private func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  }
}
