import Foundation
import Testing

@testable import CallScript

@Suite("Protocol files that are not protocols")
struct BadInputTests {
  func codes(_ data: Data) -> [String] {
    ProtocolCompiler.compile(data: data, file: "bad.yaml").diagnostics.map(\.code.rawValue)
  }

  @Test("an empty file")
  func empty() {
    #expect(codes(Data()) == ["CS120"])
    #expect(codes(Data("\n  \n".utf8)) == ["CS120"])
    #expect(codes(Data("# only a comment\n".utf8)) == ["CS120"])
  }

  @Test("a binary file")
  func binary() {
    var bytes = [UInt8](repeating: 0, count: 4096)
    for index in bytes.indices { bytes[index] = UInt8((index * 7919) % 256) }
    #expect(codes(Data(bytes)) == ["CS120"])
  }

  @Test("invalid UTF-8 is named with its position")
  func invalidUTF8() {
    let data = Data("protocol:\n  id: a".utf8) + Data([0x0A, 0x20, 0xC3, 0x28])
    let result = ProtocolCompiler.compile(data: data, file: "bad.yaml")
    #expect(result.diagnostics.map(\.code.rawValue) == ["CS120"])
    #expect(result.diagnostics.first?.position == SourcePosition(line: 3, column: 2))
  }

  @Test("a 50 MB file is refused before parsing")
  func huge() {
    let data = Data(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024)
    let clock = ContinuousClock()
    var found: [String] = []
    let elapsed = clock.measure { found = codes(data) }
    #expect(found == ["CS121"])
    #expect(elapsed < .seconds(5))
  }

  @Test("structures nested 10,000 deep", arguments: ["flow", "block", "mapping"])
  func deeplyNested(style: String) {
    let depth = 10_000
    let text: String
    switch style {
    case "flow":
      text =
        "questions: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    case "block":
      text = (0..<depth).map { String(repeating: " ", count: $0) + "- " }.joined(separator: "\n")
    default:
      text = (0..<depth).map { String(repeating: " ", count: $0) + "k\($0):" }
        .joined(separator: "\n")
    }
    let found = codes(Data(text.utf8))
    #expect(!found.isEmpty)
    // Indenting 10,000 levels makes a 50 MB file, refused by size before parsing; the others
    // are CS126 (issue 13 item 14: never libyaml's own "Maximum nesting level" as CS100).
    #expect(found == (style == "flow" ? ["CS126"] : ["CS121"]), "\(found)")
  }

  @Test("past libyaml's own nesting limit (1,000) a block list is CS126 too, not its message")
  func libyamlLimit() {
    let text = (0..<1_500).map { String(repeating: " ", count: $0) + "- " }
      .joined(separator: "\n")
    let diagnostics = ProtocolCompiler.compile(data: Data(text.utf8), file: "bad.yaml").diagnostics
    #expect(diagnostics.map(\.code.rawValue) == ["CS126"], "\(diagnostics)")
    #expect(!diagnostics.contains { $0.message.contains("yaml_set_max_nest_level") })
  }

  @Test("nesting past the schema's depth limit gets CS126")
  func schemaDepth() {
    let text =
      "protocol:\n  description: " + String(repeating: "[", count: 100)
      + String(repeating: "]", count: 100)
    #expect(codes(Data(text.utf8)).contains("CS126"))
  }

  @Test(
    "odd Unicode in ids, keys and text",
    arguments: [
      "protocol:\n  id: \u{202E}evil\n",
      "prot\u{200B}ocol: 1\n",
      "🚨: 🚨\n",
      "protocol:\n  id: a\u{0301}ttack\n  version: 1.0.0\n  title: t\n  languages: [en]\n",
      "\u{FEFF}protocol: [\u{0000}]\n",
      "protocol: \"\\uD800\"\n",
      String(repeating: "é", count: 100_000) + ": x\n",
    ])
  func oddUnicode(text: String) {
    let result = ProtocolCompiler.compile(data: Data(text.utf8), file: "odd.yaml")
    #expect(result.protocolValue == nil)
    #expect(!result.diagnostics.isEmpty)
    for diagnostic in result.diagnostics {
      #expect(!diagnostic.message.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{0}" })
    }
  }

  @Test("a long plain list of junk finishes quickly")
  func junk() {
    let text = (0..<20_000).map { "- \($0): [\($0), {a: b}]" }.joined(separator: "\n")
    #expect(codes(Data(text.utf8)) == ["CS120"])
  }
}
