import Foundation
import Testing

@testable import CallScript

/// The built-in fact `line_dropped`: the caller's connection, readable by expressions.
@Suite("The built-in fact line_dropped")
struct LineDroppedTests {
  static let small = """
    protocol: {id: line, version: 1.0.0, title: Line, languages: [en]}
    response_levels: [urgent]
    resources: {patrol: Patrol}
    questions:
      - {id: location, ask: Where?, label: Location, kind: location, priority: 100}
      - {id: hiding, ask: Hiding?, label: Hiding, kind: yes_no, priority: 90}
    derived:
      - {id: hidden_and_cut_off, expr: line_dropped and hiding = yes}
    determinants:
      - {code: L-1, level: urgent, plan: [patrol], label: Call}
    dispatch_points:
      - {id: first, when: known(location)}
    instructions:
      - {id: cut_off, when: hidden_and_cut_off, say: Note the time the line dropped.}
    relays:
      - id: dropped
        when: hidden_and_cut_off
        text: "Hidden caller cut off at {location}"
    """

  static func compile(_ text: String) -> CompileResult {
    ProtocolCompiler.compile(text: text, file: "line.yaml")
  }

  @Test("a disconnect makes it hold, a callback ends it, and what reads it follows")
  func followsTheLine() throws {
    let callProtocol = try #require(Self.compile(Self.small).protocolValue)
    let slot = try #require(callProtocol.lineDroppedSlot)
    #expect(callProtocol.slot(named: "line_dropped") == slot)
    var session = Session(callProtocol: callProtocol)
    #expect(session.values[slot] == .condition(false))
    _ = try session.apply(.answer(question: "location", value: .text("1 Main St")), at: 5).get()
    _ = try session.apply(.answer(question: "hiding", value: .yesNo(true)), at: 10).get()
    let dropped = try session.apply(.disconnect, at: 20).get()
    #expect(session.values[slot] == .condition(true))
    #expect(dropped.relays.map(\.text) == ["Hidden caller cut off at 1 Main St"])
    #expect(dropped.instructions.map(\.id) == ["cut_off"])
    let back = try session.apply(.callback, at: 40).get()
    #expect(session.values[slot] == .condition(false))
    #expect(back.relays.isEmpty)
    let derived = try #require(callProtocol.slot(named: "hidden_and_cut_off"))
    #expect(session.values[derived] == .condition(false))
  }

  @Test("a caller who is not hiding is cut off without a relay")
  func notHiding() throws {
    let callProtocol = try #require(Self.compile(Self.small).protocolValue)
    var session = Session(callProtocol: callProtocol)
    _ = try session.apply(.answer(question: "location", value: .text("1 Main St")), at: 5).get()
    _ = try session.apply(.answer(question: "hiding", value: .yesNo(false)), at: 10).get()
    let dropped = try session.apply(.disconnect, at: 20).get()
    #expect(dropped.relays.isEmpty)
  }

  @Test("a protocol that never names it has no such fact")
  func onlyWhenNamed() throws {
    let text = Self.small.replacingOccurrences(of: "line_dropped and ", with: "")
    let callProtocol = try #require(Self.compile(text).protocolValue)
    #expect(callProtocol.lineDroppedSlot == nil)
    #expect(callProtocol.slot(named: "line_dropped") == nil)
    #expect(!callProtocol.derived.contains { $0.id == "line_dropped" })
  }

  @Test("a question or derived fact may not take its name")
  func reservedName() {
    let question = Self.small.replacingOccurrences(of: "id: hiding,", with: "id: line_dropped,")
    let derived = Self.small.replacingOccurrences(
      of: "id: hidden_and_cut_off, expr: line_dropped and hiding = yes",
      with: "id: line_dropped, expr: hiding = yes")
    for text in [question, derived] {
      let result = Self.compile(text)
      #expect(result.protocolValue == nil)
      #expect(
        result.diagnostics.contains {
          $0.code == DiagnosticCode.duplicateID && $0.message.contains("fact the engine gives")
        })
    }
  }

  @Test("the built-in protocol tells units at once when a hiding caller's line drops")
  func builtIn() throws {
    let callProtocol = try #require(BuiltInProtocol.compile().protocolValue)
    var session = Session(callProtocol: callProtocol)
    let answers: [(String, FactValue)] = [
      ("location", .text("City Library, 300 Park Row")), ("what_happening", .option("shooting")),
      ("callback", .text("555-0100")), ("still_happening", .yesNo(true)),
      ("caller_safe", .yesNo(false)), ("can_leave", .yesNo(false)),
      ("caller_spot", .text("storeroom behind the desk")),
    ]
    for (index, (id, value)) in answers.enumerated() {
      _ = try session.apply(.answer(question: id, value: value), at: Double(index * 10)).get()
    }
    let dropped = try session.apply(.disconnect, at: 100).get()
    #expect(
      dropped.relays.first?.text
        == "Hidden caller's line dropped at storeroom behind the desk; do not ring back unless "
        + "they agreed")
  }
}
