import Foundation
import Testing

@testable import CallScript
@testable import CallScriptIO

/// Events the engine refuses, each on a call on the session test protocol after two answers.
struct RefusedEvent: Sendable, CustomTestStringConvertible {
  var event: SessionEvent
  var message: String
  var testDescription: String { message }

  static let all = [
    RefusedEvent(
      event: .answer(question: "weapons", value: .refused),
      message: "'refused' is not allowed here"),
    RefusedEvent(
      event: .answer(question: "weapon", value: .options(["knife"])),
      message: "unknown question 'weapon'"),
    RefusedEvent(
      event: .answer(question: "attackers", value: .count(low: 51, high: 51)),
      message: "Over 50 attackers is not plausible"),
    RefusedEvent(
      event: .answer(question: "attack", value: .text("shooting")),
      message: "a text is the wrong kind of answer"),
    RefusedEvent(event: .note("  "), message: "a note needs some text"),
    RefusedEvent(
      event: .override(code: "T-9", reason: "calmer"),
      message: "'T-9' (urgent) is not above the current level"),
    RefusedEvent(event: .override(code: "T-1", reason: " "), message: "an override needs a reason"),
    RefusedEvent(
      event: .confirm(verification: "attack_exist", confirmed: true, unit: nil, note: nil),
      message: "no verification 'attack_exist' has been raised"),
    RefusedEvent(event: .callback, message: "the caller is connected; nothing to call back"),
  ]
}

@Suite("Validate before write: a refused event never reaches the transcript")
struct ValidateBeforeWriteTests {
  /// A live call with a place and a shooting recorded, whose writes are counted.
  static func call(at path: String, writes: WriteCounter) throws -> LiveCall {
    let call = try WriterFixture.call(at: path)
    _ = try call.submit(
      .answer(question: "location", value: .text("12 Main St")), at: 5
    ).get()
    _ = try call.submit(
      .answer(question: "attack", value: .option("shooting")), at: 10
    ).get()
    call.writer.fileCalls.write = { [writes] descriptor, buffer in
      writes.count += 1
      return TranscriptFileCalls.system.write(descriptor, buffer)
    }
    return call
  }

  @Test(
    "the engine's check and its apply agree, and the check changes nothing",
    arguments: RefusedEvent.all)
  func validateAgreesWithApply(_ refused: RefusedEvent) throws {
    var call = try Call()
    try call.answer("12 Main St")
    try call.answer("s")
    let before = call.session
    guard case .failure(let checked) = call.session.validate(refused.event, at: 20) else {
      Issue.record("validate took \(refused.event)")
      return
    }
    #expect(checked.message.contains(refused.message))
    #expect(call.session.eventCount == before.eventCount)
    guard case .failure(let applied) = call.session.apply(refused.event, at: 20) else {
      Issue.record("apply took \(refused.event)")
      return
    }
    #expect(applied == checked)
    #expect(call.session.eventCount == before.eventCount)
    #expect(call.session.answers == before.answers)
    #expect(call.session.determinant == before.determinant)
    #expect(call.session.recordSequence == before.recordSequence)
  }

  @Test(
    "a refused event is not written; the next good event follows the last good line",
    arguments: RefusedEvent.all)
  func refusedIsNotWritten(_ refused: RefusedEvent) throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call.jsonl").path
    let writes = WriteCounter()
    let call = try Self.call(at: path, writes: writes)
    let size = try WriterFixture.size(path)
    let result = call.submit(refused.event, at: 20)
    guard case .failure(.refused(let error)) = result else {
      Issue.record("\(refused.event) gave \(result)")
      return
    }
    #expect(error.message.contains(refused.message))
    #expect(writes.count == 0)
    #expect(try WriterFixture.size(path) == size)
    #expect(call.writer.nextSequence == 3)
    #expect(call.session.eventCount == 2)

    _ = try call.submit(.end, at: 25).get()
    #expect(writes.count == 1)
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let reading = try TranscriptReader.verify(data, allowIncomplete: false) { _ in
      call.session.callProtocol
    }.get()
    #expect(reading.entries.map(\.sequence) == [1, 2, 3])
  }

  @Test("after the end only confirmations are taken, and only they are written")
  func afterTheEnd() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call.jsonl").path
    let writes = WriteCounter()
    let call = try Self.call(at: path, writes: writes)
    _ = try call.submit(.end, at: 20).get()
    let late = call.submit(
      .note("caller called back"), at: 30)
    guard case .failure(.refused(let error)) = late else {
      Issue.record("a note after the end gave \(late)")
      return
    }
    #expect(error.message.contains("the call has ended"))
    #expect(writes.count == 1)
    _ = try call.submit(
      .confirm(verification: "attack_exists", confirmed: true, unit: "Unit 12", note: nil), at: 40
    ).get()
    #expect(writes.count == 2)
    #expect(try WriterFixture.read(path).entries.map(\.sequence) == [1, 2, 3, 4])
  }
}

/// Counts the writes a transcript writer makes.
final class WriteCounter {
  var count = 0
}
