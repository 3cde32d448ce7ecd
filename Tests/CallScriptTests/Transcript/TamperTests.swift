import Foundation
import Testing

@testable import CallScript

@Suite("Transcript tampering is detected")
struct TamperTests {
  static let builtIn = BuiltInProtocol.compile().protocolValue

  /// An example transcript shipped with the repository (a complete, ended call).
  static func original() throws -> Data {
    try Data(
      contentsOf: Fixtures.repository.appendingPathComponent(
        "transcripts/09-nightclub-shooters-fled-vehicle.jsonl"))
  }

  static func verifies(_ data: Data) -> Bool {
    if case .success = TranscriptReader.verify(
      data, allowIncomplete: false, protocolFor: { _ in builtIn })
    {
      return true
    }
    return false
  }

  static func lines(_ data: Data) -> [Data] {
    data.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { Data($0) }
  }

  static func join(_ lines: [Data]) -> Data {
    lines.reduce(into: Data()) { $0 += $1 + Data([0x0A]) }
  }

  @Test("the untouched example verifies")
  func original() throws {
    #expect(Self.verifies(try Self.original()))
  }

  @Test("flipping any byte is detected")
  func flippedBytes() throws {
    let data = try Self.original()
    var undetected: [Int] = []
    // Every byte of the header and first events, then every 5th byte to the end.
    let offsets =
      Array(0..<min(data.count, 1_500)) + Array(stride(from: 1_500, to: data.count, by: 5))
    for offset in offsets {
      var copy = data
      copy[offset] ^= 0x01
      if Self.verifies(copy) { undetected.append(offset) }
    }
    #expect(undetected.isEmpty, "undetected flips at \(undetected.prefix(10))")
    #expect(offsets.count > 2_000)
  }

  @Test("deleting, duplicating or reordering a line is detected")
  func lineEdits() throws {
    let lines = Self.lines(try Self.original())
    #expect(lines.count > 20)
    for index in lines.indices {
      var deleted = lines
      deleted.remove(at: index)
      #expect(!Self.verifies(Self.join(deleted)), "deleting line \(index + 1)")
      var duplicated = lines
      duplicated.insert(lines[index], at: index)
      #expect(!Self.verifies(Self.join(duplicated)), "duplicating line \(index + 1)")
      if index + 1 < lines.count {
        var swapped = lines
        swapped.swapAt(index, index + 1)
        #expect(!Self.verifies(Self.join(swapped)), "swapping lines \(index + 1) and \(index + 2)")
      }
    }
  }

  @Test("truncating the file anywhere is detected")
  func truncation() throws {
    let data = try Self.original()
    var undetected: [Int] = []
    let lineEnds = data.indices.filter { data[$0] == 0x0A }.map { $0 + 1 }
    let cuts = Set(lineEnds.dropLast() + stride(from: 0, to: data.count, by: 97))
    for cut in cuts.sorted() where Self.verifies(data.prefix(cut)) {
      undetected.append(cut)
    }
    #expect(undetected.isEmpty, "undetected cuts at \(undetected.prefix(10))")
  }

  @Test("a torn last line is found and set aside on reading, never trusted")
  func tornLine() throws {
    let data = try Self.original()
    let cut = data.count - 40
    guard case .success(let reading) = TranscriptReader.read(data.prefix(cut)) else {
      Issue.record("a torn line should not hide the good lines before it")
      return
    }
    #expect(reading.tornTail != nil)
    #expect(reading.goodLength < cut)
    #expect(
      !Self.verifies(data.prefix(cut)))
  }

  @Test("a transcript of another protocol version is not verified against this one")
  func wrongProtocol() throws {
    let data = try Self.original()
    let result = TranscriptReader.verify(data, allowIncomplete: false) { _ in nil }
    guard case .failure(let problem) = result else {
      Issue.record("verified without its protocol")
      return
    }
    #expect(problem.line == 1)
    #expect(problem.message.contains("is not available"))
  }

  /// Found by fuzzing: a line whose closing `"}` overlaps the marker's own quote
  /// (`…,"hash":"}`) trapped on a reversed range instead of being refused.
  @Test(
    "a line ending in an empty hash or signature marker is refused, never a trap",
    arguments: [",\"hash\":\"}", ",\"sig\":\"}", ",\"hash\":\"\",\"sig\":\"}"])
  func emptyMarkerAtEnd(ending: String) throws {
    var lines = Self.lines(try Self.original())
    let body = try #require(String(data: lines[1], encoding: .utf8))
    let cut = try #require(body.range(of: ",\"hash\":\"", options: .backwards))
    lines[1] = Data((body[..<cut.lowerBound] + ending).utf8)
    let data = Self.join(lines)
    guard case .failure(let problem) = TranscriptReader.read(data) else {
      Issue.record("a line without a hash was read")
      return
    }
    #expect(problem.line == 2)
    #expect(TranscriptScanner.read(data) == nil)
    #expect(!Self.verifies(data))
  }
}
