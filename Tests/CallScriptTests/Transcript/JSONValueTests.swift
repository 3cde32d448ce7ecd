import Foundation
import Testing

@testable import CallScript

@Suite("JSON: one strict byte-level parser for every JSON the program takes")
struct JSONValueTests {
  static func parse(_ text: String, maxDepth: Int = 32) -> JSONValue? {
    JSONValue.parse(Data(text.utf8), maxDepth: maxDepth)
  }

  @Test("values: objects, arrays, strings with escapes, numbers, literals")
  func values() throws {
    let value = try #require(
      Self.parse(#"{"a":[1,-2.5,3e2,true,false,null],"b":"x\"y\u00e9\ud83d\udea8","c":{}}"#))
    #expect(value["a"]?.array?.compactMap(\.number) == [1, -2.5, 300])
    #expect(value["b"]?.string == "x\"yé🚨")
    #expect(value["c"] == .object([:]))
  }

  @Test("a duplicate key is refused, and the reason names it")
  func duplicateKey() {
    let text = #"{"answer":"gym","answer":"library"}"#
    #expect(Self.parse(text) == nil)
    #expect(JSONValue.problem(Data(text.utf8)) == #"the key "answer" appears twice"#)
    // The same key in different objects is fine.
    #expect(Self.parse(#"{"a":{"k":1},"b":{"k":2}}"#) != nil)
  }

  @Test("nesting past the limit is refused with its reason; at the limit it is read")
  func depth() {
    let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
    #expect(Self.parse(deep) == nil)
    #expect(JSONValue.problem(Data(deep.utf8)) == "it nests deeper than 32 levels")
    let limit = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
    #expect(Self.parse(limit) != nil)
    #expect(Self.parse(deep, maxDepth: 64) != nil)
  }

  @Test("not JSON: trailing text, lone surrogates, raw control characters, bad literals")
  func invalid() {
    for text in [
      #"{"a":1} x"#, #""\ud800""#, "\"a\u{1}b\"", "tru", "{\"a\" 1}", "[1,]", "01", "",
    ] {
      #expect(Self.parse(text) == nil, "\(text)")
      #expect(JSONValue.problem(Data(text.utf8)) == "it is not valid JSON", "\(text)")
    }
  }
}
