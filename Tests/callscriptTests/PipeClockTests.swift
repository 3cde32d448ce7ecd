import Foundation
import Testing

/// Over a pipe (plain, jsonl) on a live call the clock runs while no line comes: a record that
/// waited for the record interval goes out when its time comes, not with the next input line.
@Suite("Pipes on a live call: time passes between lines")
struct PipeClockTests {
  /// The built-in protocol with a 2 s record interval, in `folder`.
  static func protocolFile(in folder: URL) throws -> String {
    let text = try String(
      contentsOf: Binary.repository.appendingPathComponent("protocols/active-attack.yaml"),
      encoding: .utf8)
    let file = folder.appendingPathComponent("short-interval.yaml")
    try (text + "\nrecords:\n  interval: 2s\n").write(
      to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  @Test("jsonl: a note's record goes out after the interval with no further input")
  func waitingRecordOverJSONLines() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let call = try LiveProcess(
      [
        "take", "--io", "jsonl", "--protocol", try Self.protocolFile(in: folder), "--call-id",
        "pipe-clock", "--records", "records",
      ], in: folder)
    defer { call.kill() }
    func isRecord(_ line: String) -> Bool { line.contains(#""type":"record""#) }
    call.send(#"{"answer":"Lincoln High School, 1200 Main St","question":"location"}"#)
    call.send(#"{"answer":"shooting","question":"what_happening"}"#)
    #expect(call.wait(for: 1, where: isRecord), "the first dispatch record")
    // A note changes no part of the response: its record waits for the interval, and then
    // goes out although nothing more is sent.
    call.send(#"{"note":"caller is whispering"}"#)
    #expect(
      call.wait(for: 2, timeout: 20, where: isRecord),
      "the waiting record went out without input: \(call.received.suffix(5))")
    call.send(#"{"command":"end"}"#)
    call.close()
    let written = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("records/pipe-clock").path)
    #expect(written.count >= 3, "\(written)")
    // The transcript replays to the same records.
    let replay = try Binary.run(
      ["replay", "transcripts/pipe-clock.jsonl", "--records", "records"], in: folder)
    #expect(replay.stdout.contains("records: identical to those emitted"), "\(replay.stdout)")
  }
}
