import Foundation
import Testing

@testable import CallScript

/// Resuming after a crash, and what units may still do after the call ends.
@Suite("callscript take: resume catches up, an ended call takes confirmations")
struct ResumeTests {
  /// Record 1 goes out at 8 s (the dispatch point); the callback number waits for the record
  /// interval and goes out as record 2, stamped 18 s, when the answer at 20 s moves the clock
  /// past that.
  static let start = "@2 1200 Main St\n@8 s\n@12 555-0100\n@20 y\n"

  @Test("a resumed call shows the determinant it is at, not the first one (item 5)")
  func resumeShowsCurrentState() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated", "--records", "records"],
      input: Data((Self.start + "@15 y\n").utf8), in: folder)
    #expect(first.stdout.contains("DETERMINANT AA-4"), "\(first.stdout)")
    let transcript = "transcripts/20260101-000000.jsonl"
    for io in ["plain", "jsonl"] {
      let resumed = try Binary.run(
        [
          "take", "--io", io, "--clock", "simulated", "--records", "records", "--resume",
          transcript,
        ],
        input: Data(), in: folder)
      #expect(resumed.status == 0, "\(resumed.stderr)")
      let out = resumed.stdout
      #expect(
        out.contains(io == "plain" ? "DETERMINANT AA-4" : #""code":"AA-4""#), "\(io): \(out)")
      #expect(!out.contains("AA-12"), "\(io): a stale determinant: \(out)")
      #expect(!out.contains("no questions left"), "\(io): \(out)")
    }
  }

  @Test("records the process died before writing are written on resume, once")
  func missingRecordsAreWritten() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated", "--records", "records"],
      input: Data(Self.start.utf8), in: folder)
    #expect(first.status == 0, "\(first.stderr)")
    let callFolder = folder.appendingPathComponent("records/20260101-000000")
    let second = callFolder.appendingPathComponent("2.json")
    let original = try Data(contentsOf: second)
    try FileManager.default.removeItem(at: second)
    let resumed = try Binary.run(
      [
        "take", "--io", "jsonl", "--clock", "simulated", "--records", "records", "--resume",
        "transcripts/20260101-000000.jsonl",
      ], input: Data("{\"command\":\"end\",\"at\":20}\n".utf8), in: folder)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try Data(contentsOf: second) == original, "the same bytes as the live call wrote")
    #expect(
      JSONValue.parse(original, maxDepth: 64)?["lastUpdateTimeStamp"]?.string
        == "2026-01-01T00:00:18.000Z", "stamped when it fell due, not when the clock moved on")
    let reemitted = resumed.stdout.split(separator: "\n").filter {
      $0.contains("\"type\":\"record\"") && $0.contains("\"seq\":2")
    }
    #expect(reemitted.count == 1, "the missing record is emitted again on jsonl")
    #expect(!resumed.stdout.contains("\"seq\":1,"), "records already written are not")
  }

  @Test("an ended call resumed takes unit confirmations only; after /end input goes on")
  func endedCallTakesConfirmations() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"],
      input: Data((Self.start + "@20 /end\n@25 /confirm active_attack_exists Unit 4\n").utf8),
      in: folder)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(!first.stdout.contains("ERROR"), "a confirmation after the end is taken")
    let resumed = try Binary.run(
      [
        "take", "--io", "plain", "--clock", "simulated", "--resume",
        "transcripts/20260101-000000.jsonl",
      ],
      input: Data("@30 /note late\n@31 /refute active_attack_exists Unit 9\n".utf8), in: folder)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("this call has already ended"))
    #expect(resumed.stdout.contains("ERROR the call has ended; only unit confirmations are taken"))
    let reading = try TranscriptReader.read(
      Data(contentsOf: folder.appendingPathComponent("transcripts/20260101-000000.jsonl"))
    ).get()
    let confirmations = reading.entries.filter {
      if case .confirm = $0.event { return true }
      return false
    }
    #expect(confirmations.count == 2)
    #expect(reading.entries.last?.event.typeName == "confirm")
  }

  @Test("a records folder that cannot be written is an error on screen and exit status 1")
  func unwritableRecords() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A file where the records folder should be.
    #expect(
      FileManager.default.createFile(
        atPath: folder.appendingPathComponent("records").path, contents: Data("x".utf8)))
    let result = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated", "--records", "records"],
      input: Data((Self.start + "@20 /end\n").utf8), in: folder)
    #expect(result.status == 1)
    #expect(result.stdout.contains("ERROR cannot write record #1"))
    #expect(result.stderr.contains("take --resume"))
  }

  @Test("a header whose call id is a path is refused")
  func callIDIsNotAPath() throws {
    let context = CallContext(
      callID: "../../x", startedAt: Date(timeIntervalSince1970: 1_767_225_600), agencyID: "a",
      agentID: "p")
    let header = Transcript.headerLine(
      Transcript.Header(
        protocolID: "active-attack", protocolVersion: "1.2.0",
        protocolHash: Transcript.sha256(BuiltInProtocol.data), context: context, language: "en",
        clock: "simulated"))
    guard case .failure(let problem) = TranscriptReader.read(Data(header.line.utf8)) else {
      Issue.record("a call id with '/' was accepted")
      return
    }
    #expect(problem.line == 1)
  }
}

@Suite("Calls with nothing in them")
struct EmptyCallTests {
  @Test("input closed before any answer: no transcript is left behind")
  func noAnswerNoTranscript() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"], input: Data(), in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("no transcript kept"))
    let transcripts = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("transcripts").path
    ).filter { $0.hasSuffix(".jsonl") }
    #expect(transcripts.isEmpty)
  }

  @Test("review: a header-only transcript is skipped, an empty folder is a usage error")
  func reviewOfNothing() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = folder.appendingPathComponent("none")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let nothing = try Binary.run(["review", empty.path], in: folder)
    #expect(nothing.status == 2)
    #expect(nothing.stderr.contains("no transcripts found"))
    // A process killed right after it started leaves only the header.
    let context = CallContext(
      callID: "c1", startedAt: Date(timeIntervalSince1970: 1_767_225_600), agencyID: "a",
      agentID: "p")
    let header = Transcript.headerLine(
      Transcript.Header(
        protocolID: "active-attack",
        protocolVersion: BuiltInProtocol.compile().protocolValue?.version ?? "",
        protocolHash: Transcript.sha256(BuiltInProtocol.data), context: context, language: "en",
        clock: "simulated"))
    try Data(header.line.utf8).write(to: empty.appendingPathComponent("c1.jsonl"))
    let stub = try Binary.run(["review", empty.path], in: folder)
    #expect(stub.status == 1)
    #expect(stub.stdout.contains("no events"), "\(stub.stdout)")
    #expect(stub.stdout.contains("0 calls reviewed, 1 skipped"), "\(stub.stdout)")
  }
}
