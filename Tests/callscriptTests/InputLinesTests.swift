import Foundation
import Testing

@testable import callscript

@Suite("Input lines are read up to a limit, never whole")
struct InputLinesTests {
  /// The lines `data` gives, read through a pipe with a limit of `limit` bytes.
  static func lines(_ data: Data, limit: Int) throws -> [InputLines.Line] {
    let pipe = Pipe()
    let writer = Thread {
      pipe.fileHandleForWriting.write(data)
      try? pipe.fileHandleForWriting.close()
    }
    writer.start()
    let reader = InputLines(descriptor: pipe.fileHandleForReading.fileDescriptor, limit: limit)
    var lines: [InputLines.Line] = []
    while let line = reader.next() { lines.append(line) }
    return lines
  }

  @Test("short lines, a line far over the limit, bad UTF-8, CRLF and a last line without \\n")
  func lines() throws {
    var data = Data("short\nwindows\r\n".utf8)
    data += Data(repeating: UInt8(ascii: "x"), count: 3_000_000) + Data("\n".utf8)
    data += Data([0xFF, 0xFE, 0x0A])
    data += Data(repeating: UInt8(ascii: "y"), count: 1_024) + Data("\n".utf8)
    data += Data(repeating: UInt8(ascii: "z"), count: 1_025) + Data("\n".utf8)
    data += Data("last".utf8)
    let lines = try Self.lines(data, limit: 1_024)
    #expect(
      lines == [
        .text("short"), .text("windows"), .tooLong(3_000_000), .notUTF8,
        .text(String(repeating: "y", count: 1_024)), .tooLong(1_025), .text("last"),
      ])
  }

  @Test("a jsonl line over the limit is refused with an error object and the call goes on")
  func longJSONLine() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var input = Data("{\"note\":\"".utf8) + Data(repeating: UInt8(ascii: "a"), count: 2_000_000)
    input += Data("\"}\n{\"end\":true}\n".utf8)
    let result = try Binary.run(
      ["take", "--io", "jsonl", "--clock", "simulated"], input: input, in: folder)
    #expect(result.stdout.contains("input line longer than 1048576 bytes"))
    #expect(result.stdout.contains("\"type\":\"ended\"") || result.stdout.contains("ended"))
  }

  @Test("a jsonl line with a key twice is refused, naming it; neither value is taken")
  func duplicateKey() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = Data(
      "{\"answer\":\"12 Main St\",\"answer\":\"5 Oak Ave\"}\n{\"end\":true}\n".utf8)
    let result = try Binary.run(
      ["take", "--io", "jsonl", "--clock", "simulated"], input: input, in: folder)
    #expect(result.stdout.contains(#"the key \"answer\" appears twice"#), "\(result.stdout)")
    #expect(!result.stdout.contains("12 Main St") && !result.stdout.contains("5 Oak Ave"))
  }
}
