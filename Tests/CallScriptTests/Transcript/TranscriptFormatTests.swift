import Foundation
import Testing

@testable import CallScript
@testable import CallScriptIO

@Suite("Transcript format")
struct TranscriptFormatTests {
  @Test(
    "answer values round-trip through their transcript form",
    arguments: [
      FactValue.unknown, .refused, .yesNo(true), .yesNo(false), .option("firearm"),
      .options(["a", "b"]), .count(low: 2, high: 3), .count(low: 2, high: nil),
      .count(low: 0, high: 0), .text("room 204, \"east\" wing\n2nd floor ✓"),
    ])
  func valueRoundTrip(value: FactValue) throws {
    let text = value.json.canonical
    let parsed = try #require(JSONValue.parse(Data(text.utf8)))
    #expect(FactValue(json: parsed) == value)
  }

  @Test(
    "events round-trip",
    arguments: [
      SessionEvent.answer(question: "location", value: .text("1 Main St")), .note("whisper"), .back,
      .override(code: "AA-1", reason: "explosions heard"),
      .confirm(verification: "v", confirmed: false, unit: "Unit 12", note: nil), .disconnect,
      .callback, .end,
    ])
  func eventRoundTrip(event: SessionEvent) throws {
    let payload = try #require(JSONValue.parse(Data(event.payload.canonical.utf8)))
    #expect(SessionEvent(type: event.typeName, payload: payload) == event)
  }

  @Test("canonical JSON: sorted keys, escaped controls, integers without fractions")
  func canonical() {
    let value: JSONValue = .object([
      "b": .number(2), "a": .string("x\u{1B}y\n"), "c": .number(1.25), "d": .array([.null]),
    ])
    #expect(value.canonical == #"{"a":"x\u001by\n","b":2,"c":1.25,"d":[null]}"#)
  }

  @Test("deeply nested JSON is refused, not a stack overflow")
  func deepJSON() {
    let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(JSONValue.parse(Data(text.utf8)) == nil)
  }

  @Test("a correctly chained transcript with an impossible time is refused, never a trap")
  func impossibleTime() throws {
    let context = CallContext(
      callID: "c1", startedAt: Date(timeIntervalSince1970: 1_767_225_600), agencyID: "a",
      agentID: "p")
    let header = Transcript.headerLine(
      Transcript.Header(
        protocolID: "active-attack", protocolVersion: "1.2.0",
        protocolHash: Transcript.sha256(BuiltInProtocol.data), context: context, language: "en",
        clock: "simulated"))
    for at in [9.3e15, 1e20, CallDriver.maximumTime + 1] {
      let event = Transcript.eventLine(
        Transcript.Entry(
          sequence: 1, at: at, event: .answer(question: "location", value: .text("x")),
          prompt: 1), wall: context.startedAt, previous: header.hash)
      let data = Data((header.line + event.line).utf8)
      guard case .failure(let problem) = TranscriptReader.read(data) else {
        Issue.record("a time of \(at) s was accepted")
        continue
      }
      #expect(problem.line == 2)
      #expect(problem.message.contains("beyond any call"))
      #expect(TranscriptScanner.read(data) == nil)
    }
  }

  @Test("a transcript written by the writer reads back, and resumes where it stopped")
  func writeReadResume() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call.jsonl").path
    let callProtocol = try #require(BuiltInProtocol.compile().protocolValue)
    let context = CallContext(
      callID: "c1", startedAt: Date(timeIntervalSince1970: 1_767_225_600), agencyID: "a",
      agentID: "p")
    let call = try LiveCall(
      callProtocol: callProtocol, protocolHash: Transcript.sha256(BuiltInProtocol.data),
      context: context, language: nil, clock: "simulated", transcriptPath: path)
    _ = call.handle(
      .answer(.value(.text("1 Main St")), to: .onScreen), at: 3, wall: context.date(at: 3))
    let refused = call.handle(
      .answer(.value(.option("nope")), to: .question("location")), at: 4,
      wall: context.date(at: 4))
    #expect(refused.error != nil, "a wrong-kind answer was accepted")
    _ = call.handle(
      .answer(.json(.string("shooting")), to: .onScreen), at: 9, wall: context.date(at: 9))
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let reading = try TranscriptReader.read(Data(contentsOf: URL(fileURLWithPath: path))).get()
    #expect(reading.entries.count == 2)
    #expect(reading.entries.map(\.prompt) == [1, 2])
    #expect(reading.header.context == context)
    let resumed = try LiveCall(resuming: reading, callProtocol: callProtocol, path: path)
    #expect(resumed.session.recordSequence == 1)
    // The resumed call goes on numbering after the last prompt answered.
    let now = resumed.resume()
    #expect(now.prompt?.questionID == "callback")
    #expect(now.prompt?.number == 3)
    _ = resumed.handle(.end, at: 20, wall: context.date(at: 20))
    let final = try TranscriptReader.verify(
      Data(contentsOf: URL(fileURLWithPath: path)), allowIncomplete: false
    ) { _ in callProtocol }.get()
    #expect(final.entries.map(\.sequence) == [1, 2, 3])
  }
}
