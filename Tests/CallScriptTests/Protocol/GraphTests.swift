import Foundation
import Testing

@testable import CallScript

@Suite("Call-flow graph")
struct GraphTests {
  static let source = """
    protocol:
      id: graph-test
      version: 1.0.0
      title: Graph test
      languages: [en]
    response_levels: [urgent, critical]
    resources:
      patrol: Patrol
      bomb_squad: Bomb squad
    questions:
      - id: location
        label: Location
        ask: Where?
        kind: location
        priority: 100
      - id: device_seen
        label: Device seen
        ask: Did you see a device?
        kind: yes_no
        priority: 80
      - id: device_where
        label: Device where
        ask: Where is it?
        kind: text
        priority: 70
        ask_if: device_seen = yes
        reask_every: 2m
        reask_if: evacuated != yes
      - id: why_not
        label: Why not
        ask: Why not?
        kind: text
        priority: 60
        ask_if: device_seen != yes
      - id: evacuated
        label: Evacuated
        ask: Has the building been evacuated?
        kind: yes_no
        priority: 90
        priority_if:
          - when: device_seen = yes
            priority: 95
    derived:
      - id: device_known
        expr: device_seen = yes and known(device_where)
    determinants:
      - when: device_known
        code: BT-1
        level: critical
        plan: [patrol, bomb_squad]
        label: Device seen
      - when: device_seen = no
        code: BT-2
        level: urgent
        plan: [patrol]
        label: No device seen
      - code: BT-9
        level: urgent
        plan: [patrol]
        label: Threat only
    dispatch_points:
      - id: first_dispatch
        when: known(location) and device_seen = yes
        label: Place and device known
    instructions:
      - id: leave
        when: device_seen = yes
        say: Leave the building.
    """

  static func graph(view: ProtocolGraph.View = .flow) throws -> ProtocolGraph {
    let result = ProtocolCompiler.compile(data: Data(source.utf8), file: "graph.yaml")
    let compiled = try #require(result.protocolValue, "\(result.diagnostics.map(\.rendered))")
    return ProtocolGraph(compiled, view: view)
  }

  @Test("questions stand in asking order, joined by next arrows from the start")
  func priorityOrder() throws {
    let graph = try Self.graph()
    let questions = graph.nodes.filter { $0.kind == .question }
    #expect(
      questions.map(\.id) == [
        "q_location", "q_evacuated", "q_device_seen", "q_device_where", "q_why_not",
      ])
    #expect(questions.first?.lines.first == "1. location (location)")
    let next = graph.edges.filter { $0.kind == .next }.map { "\($0.from)>\($0.to)" }
    #expect(
      next == [
        "start>q_location", "q_location>q_evacuated", "q_evacuated>q_device_seen",
        "q_device_seen>q_device_where", "q_device_where>q_why_not",
      ])
    let evacuated = try #require(questions.first { $0.id == "q_evacuated" })
    #expect(evacuated.lines.contains("priority 90; 95 if device_seen = yes"))
  }

  @Test("an arrow says the clause it tests: = yes and != yes read differently")
  func conditionLabels() throws {
    let graph = try Self.graph()
    let toWhere = try #require(
      graph.edges.first {
        $0.from == "q_device_seen" && $0.to == "q_device_where" && $0.kind == .reads
      })
    let toWhyNot = try #require(
      graph.edges.first { $0.from == "q_device_seen" && $0.to == "q_why_not" })
    #expect(toWhere.label == "ask if device_seen = yes")
    #expect(!toWhere.negated)
    #expect(toWhyNot.label == "ask if device_seen != yes")
    #expect(toWhyNot.negated)
    let priority = try #require(
      graph.edges.first { $0.from == "q_device_seen" && $0.to == "q_evacuated" })
    #expect(priority.label == "priority 95 if device_seen = yes")
    let dot = graph.dot(title: "t")
    #expect(
      dot.contains("q_device_seen -> q_why_not [label=\"ask if device_seen != yes\", style=dashed"))
    #expect(
      dot.contains(
        "q_device_seen -> q_device_where [label=\"ask if device_seen = yes\", color=navy"))
  }

  @Test("a clause of a conjunction names only its own fact; a derived fact shows its expression")
  func clausesOfConjunctions() throws {
    let graph = try Self.graph()
    let fromWhere = try #require(
      graph.edges.first { $0.from == "q_device_where" && $0.to == "d_device_known" })
    #expect(fromWhere.label == "known(device_where)")
    let derived = try #require(graph.nodes.first { $0.id == "d_device_known" })
    #expect(derived.lines.contains("= device_seen = yes and known(device_where)"))
  }

  @Test("a re-ask is a loop that says its interval and its condition")
  func reask() throws {
    let graph = try Self.graph()
    let loop = try #require(graph.edges.first { $0.kind == .reask })
    #expect(loop.from == "q_device_where" && loop.to == "q_device_where")
    #expect(loop.label == "re-ask every 2 min while evacuated != yes")
    #expect(
      graph.edges.contains {
        $0.from == "q_evacuated" && $0.to == "q_device_where"
          && $0.label == "re-ask while evacuated != yes"
          && $0.negated
      })
  }

  @Test("the determinant table keeps its order, each row labelled, the default joined by else")
  func determinantTable() throws {
    let graph = try Self.graph()
    let rows = graph.nodes.filter { $0.kind == .determinant }
    #expect(rows.map(\.id) == ["det_0", "det_1", "det_2"])
    #expect(
      rows[0].lines == [
        "row 1: BT-1, critical", "Device seen", "when device_known", "send: patrol, bomb_squad",
      ])
    #expect(rows[2].lines.contains("default: when no row above holds"))
    let otherwise = graph.edges.filter { $0.kind == .otherwise }.map {
      "\($0.from)>\($0.to):\($0.label)"
    }
    #expect(otherwise == ["det_0>det_1:else", "det_1>det_2:else"])
    let dot = graph.dot(title: "t")
    #expect(dot.contains("subgraph cluster_determinant {"))
    #expect(dot.contains("q_why_not -> det_0 [style=invis];"), "the table sits under the questions")
  }

  @Test("dispatch points are marked, on their own box and on the facts they read")
  func dispatchPoints() throws {
    let graph = try Self.graph()
    let point = try #require(graph.nodes.first { $0.kind == .dispatchPoint })
    #expect(point.lines.first == "DISPATCH POINT: first_dispatch")
    #expect(point.lines.contains("known(location) and device_seen = yes"))
    let location = try #require(graph.nodes.first { $0.id == "q_location" })
    #expect(location.lines.contains("→ dispatch: first_dispatch"))
    let why = try #require(graph.nodes.first { $0.id == "q_why_not" })
    #expect(!why.lines.contains { $0.contains("dispatch") })
    #expect(
      graph.edges.contains {
        $0.from == "q_location" && $0.to == "dp_first_dispatch" && $0.label == "known(location)"
      })
  }

  @Test("the flow view leaves out effects; the full view adds them with their conditions")
  func views() throws {
    let flow = try Self.graph()
    #expect(!flow.nodes.contains { $0.kind == .instruction })
    #expect(
      !flow.edges.contains { $0.to == "det_0" }, "rows show their conditions in the flow view")
    let full = try Self.graph(view: .full)
    #expect(full.nodes.contains { $0.id == "i_leave" })
    #expect(
      full.edges.contains {
        $0.from == "q_device_seen" && $0.to == "i_leave" && $0.label == "device_seen = yes"
      })
    #expect(full.edges.contains { $0.from == "d_device_known" && $0.to == "det_0" })
  }

  @Test("both formats carry a legend and escape text")
  func legendAndEscaping() throws {
    let graph = try Self.graph()
    let dot = graph.dot(title: "A \"quoted\" title")
    #expect(dot.contains("subgraph cluster_legend {"))
    #expect(dot.contains("label=\"reads, negated: q != yes\""))
    #expect(dot.contains("label=\"A \\\"quoted\\\" title: call flow\";"))
    let mermaid = graph.mermaid(title: "t")
    #expect(mermaid.contains("flowchart TB"))
    #expect(mermaid.contains("subgraph legend[\"legend\"]"))
    #expect(mermaid.contains("q_device_seen -.->|\"ask if device_seen != yes\"| q_why_not"))
    #expect(mermaid.contains("q_device_seen -->|\"ask if device_seen = yes\"| q_device_where"))
    #expect(mermaid.contains("det_1 ==>|\"else\"| det_2"))
  }

  @Test("questions opened by one clause in a row share one arrow that names them")
  func runsShareAnArrow() throws {
    let result = BuiltInProtocol.compile()
    let compiled = try #require(result.protocolValue)
    let graph = ProtocolGraph(compiled)
    let details = graph.edges.filter { $0.from == "d_details_apply" && $0.kind == .reads }
    #expect(details.contains { $0.label.hasPrefix("ask if details_apply (questions ") })
    #expect(details.count < 10, "one arrow per run, not one per question")
  }

  @Test("long lines wrap at spaces")
  func wrapping() {
    let lines = ProtocolGraph.wrap(String(repeating: "word ", count: 30), width: 20)
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { $0.count <= 22 })
  }
}
