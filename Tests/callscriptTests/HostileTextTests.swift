import Foundation
import Testing

/// Issue 13 items 11 and 12 through the binary: whatever hostile text comes in (answers,
/// notes, ids, call data, file names), no frontend and no command writes a control or
/// bidirectional character raw.
@Suite("Hostile text through every frontend and command")
struct HostileTextTests {
  /// What SafeText forbids, as the tests look for it in output.
  static func isRaw(_ text: String) -> Bool {
    text.unicodeScalars.contains {
      let value = $0.value
      return (value < 0x20 && value != 0x0A) || (0x7F...0x9F).contains(value)
        || [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF].contains(value)
        || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
  }

  @Test("plain: hostile answers, notes, commands and ids are refused and shown neutralised")
  func plain() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input =
      [
        "@2 1 Main \u{202E}St", "@3 /note \u{1B}]0;pwned\u{07}", "@4 /set x\u{2066}y 2",
        "@5 /confirm v\u{9B}1", "@6 1200 Main St", "@7 /note caller \u{2028}whispering",
        "@8 /override AA-1 \u{FEFF}why", "@9 /end",
      ].joined(separator: "\n") + "\n"
    let result = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"], input: Data(input.utf8), in: folder)
    #expect(!Self.isRaw(result.stdout), "\(result.stdout.debugDescription)")
    #expect(!Self.isRaw(result.stderr))
    #expect(result.stdout.contains("U+202E") && result.stdout.contains("U+001B"))
    #expect(result.stdout.contains("x<U+2066>y"), "\(result.stdout)")
    #expect(result.stdout.contains("U+2028") && result.stdout.contains("U+FEFF"))
    #expect(result.stdout.contains("call ended"))
  }

  @Test("jsonl: hostile answers, ids and call data are refused; output escapes them")
  func jsonl() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input =
      [
        #"{"at":1,"answer":"1 Main \u202eSt"}"#, #"{"at":2,"question":"x\u202e","answer":"y"}"#,
        #"{"at":3,"call":{"evil\u2067":"x"}}"#, #"{"at":4,"note":"\u001b]0;pwned\u0007"}"#,
        #"{"at":5,"command":"confirm","verification":"v\u200f","unit":"E\u061c1"}"#,
        #"{"at":6,"call":{"location":"12 Oak \ufeffAve"}}"#, #"{"at":7,"command":"end"}"#,
      ].joined(separator: "\n") + "\n"
    let result = try Binary.run(
      ["take", "--io", "jsonl", "--clock", "simulated"], input: Data(input.utf8), in: folder)
    #expect(!Self.isRaw(result.stdout), "\(result.stdout.debugDescription)")
    #expect(result.stdout.contains(#"unknown question 'x\u202e'"#), "\(result.stdout)")
    #expect(result.stdout.contains("U+202E") && result.stdout.contains("U+001B"))
    #expect(result.stdout.contains("U+FEFF"), "call data with a BOM in it is refused")
    #expect(result.stdout.contains(#""type":"end""#))
  }

  @Test("a file name with an escape sequence is shown, not obeyed, by every command")
  func fileNames() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let name = "a\u{1B}]0;pwned\u{07}\u{202E}"
    try Data("not a transcript\n".utf8).write(to: folder.appendingPathComponent(name + ".jsonl"))
    try Data("protocol: [\n".utf8).write(to: folder.appendingPathComponent(name + ".yaml"))
    for arguments in [
      ["verify", name + ".jsonl"], ["replay", name + ".jsonl"], ["review", name + ".jsonl"],
      ["review", "."], ["lint", name + ".yaml"], ["graph", name + ".yaml"],
      ["verify", name + "-missing.jsonl"],
    ] {
      let result = try Binary.run(arguments, in: folder)
      #expect(!Self.isRaw(result.stdout + result.stderr), "\(arguments): \(result)")
      #expect((result.stdout + result.stderr).contains("a^[]0;pwned^G<U+202E>"), "\(arguments)")
    }
  }
}
