import Foundation
import Testing

@testable import CallScript

/// `q contains "words"` in a protocol: linted at its position, and read by the engine.
@Suite("text matching in a protocol")
struct TextMatchTests {
  /// The minimal protocol with the `count` relay's condition replaced by `when`, and its text
  /// by one that reads the location.
  static func protocolText(when: String) throws -> String {
    try Fixtures.text("valid-minimal.yaml").replacingOccurrences(
      of: "    when: known(attackers)\n", with: "    when: \(when)\n"
    ).replacingOccurrences(
      of: "{attackers} attackers, reported {attackers.age} ago", with: "School named: {location}")
  }

  @Test("a relay whose condition reads the caller's words goes out when they say it")
  func relayOnWords() throws {
    let text = try Self.protocolText(when: "location contains \"school\"")
    let result = ProtocolCompiler.compile(text: text, file: "p.yaml")
    #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
    let callProtocol = try #require(result.protocolValue)
    // Relays go out from the first dispatch: the location, then what is happening.
    func relayed(_ location: String) throws -> [String] {
      var session = Session(callProtocol: callProtocol)
      _ = try session.apply(.answer(question: "location", value: .text(location)), at: 5).get()
      let step = try session.apply(.answer(question: "attack", value: .option("stabbing")), at: 9)
        .get()
      return step.relays.map(\.text)
    }
    #expect(try relayed("Main St mall") == [])
    #expect(try relayed("Lincoln High SCHOOL") == ["School named: Lincoln High SCHOOL"])
  }

  @Test("wrong kinds, missing words and text in sums are errors at their line and column")
  func lint() throws {
    let messages = try [
      "attackers contains \"2\"", "location contains school", "location contains \"\"",
      "location - 1 > 2",
    ].map { when in
      ProtocolCompiler.compile(text: try Self.protocolText(when: when), file: "p.yaml")
        .diagnostics.filter { $0.severity == .error }.map(\.rendered)
    }
    #expect(
      messages == [
        [
          "p.yaml:54:11: error[CS110]: 'contains' needs a text or location answer in 'when' of "
            + "relay 'count'; 'attackers' is a count"
        ],
        [
          "p.yaml:54:29: error[CS109]: expected quoted text after 'contains' but found "
            + "'school' in 'when' of relay 'count'; quote the words, as in exact_words contains "
            + "\"school\""
        ],
        [
          "p.yaml:54:29: error[CS110]: 'contains' needs words to look for in 'when' of relay "
            + "'count'; empty text is contained in every answer"
        ],
        [
          "p.yaml:54:11: error[CS110]: '-' subtracts counts and numbers in 'when' of relay "
            + "'count'; 'location' is a text answer"
        ],
      ])
  }
}
