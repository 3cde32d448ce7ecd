import Testing

@testable import CallScript

@Suite("What the call-taker types")
struct InputLineTests {
  @Test(
    "lines become actions",
    arguments: [
      ("2-3", InputLine.answer("2-3")),
      ("  1200 Main St  ", .answer("1200 Main St")),
      ("u", .unknown(question: nil)),
      ("R", .refused(question: nil)),
      ("/set attacker_count 2", .set(question: "attacker_count", input: "2")),
      (
        "/set attacker_location second floor, east wing",
        .set(question: "attacker_location", input: "second floor, east wing")
      ),
      ("/unknown weapons", .unknown(question: "weapons")),
      ("/note caller whispering", .note("caller whispering")),
      ("/back", .back),
      (
        "/confirm second_attacker Unit 12",
        .confirm(verification: "second_attacker", confirmed: true, unit: "Unit 12")
      ),
      (
        "/confirm second_attacker refuted Unit 12",
        .confirm(verification: "second_attacker", confirmed: false, unit: "Unit 12")
      ),
      (
        "/override AA-1 caller hears explosions",
        .override(code: "AA-1", reason: "caller hears explosions")
      ),
      ("/END", .end),
      ("", .empty),
      ("   ", .empty),
    ])
  func parse(line: String, expected: InputLine) {
    #expect(InputLine.parse(line) == expected)
  }

  @Test("mistyped commands get a suggestion and no action")
  func invalid() {
    guard case .invalid(let message) = InputLine.parse("/ovveride AA-1 x") else {
      Issue.record("not refused")
      return
    }
    #expect(message == "unknown command '/ovveride'; did you mean 'override'?; type /help")
    guard case .invalid = InputLine.parse("/set attacker_count") else {
      Issue.record("/set without a value was accepted")
      return
    }
  }

  @Test("typed lines become actions; answers stay as typed for the driver to bind")
  func resolve() {
    #expect(
      CallInput.resolve(.answer("1 Main St"))
        == .action(.answer(.typed("1 Main St"), to: .onScreen)))
    #expect(
      CallInput.resolve(.set(question: "attacker_count", input: "2+"))
        == .action(.answer(.typed("2+"), to: .question("attacker_count"))))
    #expect(
      CallInput.resolve(.unknown(question: nil))
        == .action(.answer(.value(.unknown), to: .onScreen)))
    #expect(CallInput.resolve(.status) == .show(.status))
    #expect(CallInput.resolve(.empty) == .nothing)
  }
}
