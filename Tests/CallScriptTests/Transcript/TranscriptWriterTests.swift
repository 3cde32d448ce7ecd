import Foundation
import Testing

@testable import CallScript
@testable import CallScriptIO

/// A call on the session test protocol whose transcript is written to a real file.
enum WriterFixture {
  static let context = CallContext(
    callID: "writer-test", startedAt: Date(timeIntervalSince1970: 1_767_225_600),
    agencyID: "psap.example.gov", agentID: "position-1")

  static func call(at path: String) throws -> LiveCall {
    let data = try Fixtures.data("session.yaml")
    let result = ProtocolCompiler.compile(data: data, file: "session.yaml")
    return try LiveCall(
      callProtocol: try #require(result.protocolValue), protocolHash: Transcript.sha256(data),
      context: context, language: nil, clock: "simulated", transcriptPath: path)
  }

  static func header(for path: String) -> Transcript.Header {
    Transcript.Header(
      protocolID: "session-test", protocolVersion: "2.1.0",
      protocolHash: String(repeating: "a", count: 64), context: context, language: "en",
      clock: "simulated")
  }

  /// A new empty folder for one test's files; the test removes it.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "callscript-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func size(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require((attributes[.size] as? NSNumber)?.intValue)
  }

  static func read(_ path: String) throws -> TranscriptReading {
    try TranscriptReader.read(Data(contentsOf: URL(fileURLWithPath: path))).get()
  }
}

extension LiveCall {
  /// Handles an event as a frontend would send it, at call-clock `at` on the fixture's wall
  /// clock: an answer names its question.
  func submit(_ event: SessionEvent, at: Double) -> Result<StepOutcome, LiveCallError> {
    let action: CallAction =
      switch event {
      case .answer(let question, let value): .answer(.value(value), to: .question(question))
      // Call data comes in as text from the phone system or CAD.
      case .callData(let item, _, .text(let text)): .callData(item: item, text: text)
      case .callData(let item, _, _): .callData(item: item, text: "")
      case .note(let text): .note(text)
      case .back: .back
      case .override(let code, let reason): .override(code: code, reason: reason)
      case .confirm(let id, let confirmed, let unit, let note):
        .confirm(verification: id, confirmed: confirmed, unit: unit, note: note)
      case .disconnect: .disconnect
      case .callback: .callback
      case .end: .end
      case .link(let incident): .link(incident)
      case .unlink: .unlink
      case .aired(let relay): .aired(relay)
      case .incidentFacts(let incident, let facts): .incidentFacts(incident: incident, facts: facts)
      }
    let outcome = handle(action, at: at, wall: WriterFixture.context.date(at: at))
    if let error = outcome.error { return .failure(error) }
    guard let step = outcome.step else {
      return .failure(.notRecorded("nothing was applied"))
    }
    return .success(step)
  }
}

/// The file's size at each sync an injected sync saw.
final class SyncLog {
  var sizes: [Int] = []
}

@Suite("Transcript writer: durable, and never a partial line")
struct TranscriptWriterTests {
  // The event is applied only after its sync succeeds: `failingSync` shows a failed sync
  // leaves the session unchanged. (The sync cannot look at the session itself: the driver is
  // being changed while it records.)
  @Test("every accepted event is synced exactly once, after its whole line is written")
  func syncOncePerAppend() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call.jsonl").path
    let call = try WriterFixture.call(at: path)
    let log = SyncLog()
    call.writer.fileCalls.sync = { [log] descriptor in
      log.sizes.append((try? WriterFixture.size(path)) ?? -1)
      return fsync(descriptor)
    }
    let headerSize = try WriterFixture.size(path)
    _ = try call.submit(
      .answer(question: "location", value: .text("12 Main St")), at: 5
    ).get()
    let firstSize = try WriterFixture.size(path)
    #expect(log.sizes == [firstSize])
    #expect(call.session.eventCount == 1)
    _ = try call.submit(
      .answer(question: "attack", value: .option("shooting")), at: 9
    ).get()
    #expect(log.sizes == [firstSize, try WriterFixture.size(path)])
    #expect(firstSize > headerSize)
    #expect(call.session.eventCount == 2)
    // A refused input is neither written nor synced.
    _ = call.submit(.callback, at: 12)
    #expect(log.sizes.count == 2)
    #expect(try WriterFixture.read(path).entries.map(\.sequence) == [1, 2])
  }

  @Test("a failing sync is 'not recorded': the session and the file are as before")
  func failingSync() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call.jsonl").path
    let call = try WriterFixture.call(at: path)
    _ = try call.submit(
      .answer(question: "location", value: .text("12 Main St")), at: 5
    ).get()
    let before = call.session
    let size = try WriterFixture.size(path)
    call.writer.fileCalls.sync = { _ in
      errno = EIO
      return -1
    }
    let result = call.submit(
      .answer(question: "attack", value: .option("shooting")), at: 9)
    guard case .failure(let error) = result, case .notRecorded(let message) = error else {
      Issue.record("a failed sync was reported as \(result)")
      return
    }
    #expect(error.description.hasPrefix("not recorded"))
    #expect(message.contains("fsync"))
    #expect(call.session.eventCount == before.eventCount)
    #expect(call.session.answers == before.answers)
    #expect(call.session.values == before.values)
    #expect(call.session.currentPrompt == before.currentPrompt)
    #expect(call.session.recordSequence == before.recordSequence)
    #expect(try WriterFixture.size(path) == size)

    // Once the disk works again the same event is taken, chained after the last good line.
    call.writer.fileCalls = .system
    _ = try call.submit(
      .answer(question: "attack", value: .option("shooting")), at: 10
    ).get()
    let reading = try WriterFixture.read(path)
    #expect(reading.tornTail == nil)
    #expect(reading.entries.map(\.sequence) == [1, 2])
    #expect(reading.entries.map(\.at) == [5, 10])
  }

  @Test("a write cut short is cut back to the last good line, and the next event follows it")
  func partialWrite() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call.jsonl").path
    let writer = try TranscriptWriter(creating: path, header: WriterFixture.header(for: path))
    let wall = WriterFixture.context.date(at: 1)
    try writer.append(.note("first"), at: 1, wall: wall)
    let good = try WriterFixture.size(path)
    #expect(writer.goodLength == good)
    var calls = 0
    writer.fileCalls.write = { descriptor, buffer in
      calls += 1
      if calls == 1 {
        return TranscriptFileCalls.system.write(
          descriptor, UnsafeRawBufferPointer(rebasing: buffer[..<(buffer.count / 2)]))
      }
      errno = ENOSPC
      return -1
    }
    #expect(throws: TranscriptWriteError.self) {
      try writer.append(.note("second, which does not fit"), at: 2, wall: wall)
    }
    #expect(calls == 2)
    #expect(try WriterFixture.size(path) == good)
    #expect(writer.nextSequence == 2)
    #expect(try WriterFixture.read(path).tornTail == nil)

    writer.fileCalls = .system
    try writer.append(.note("third"), at: 3, wall: wall)
    let reading = try WriterFixture.read(path)
    #expect(reading.tornTail == nil)
    #expect(reading.entries.map(\.sequence) == [1, 2])
    #expect(reading.entries.map(\.event) == [.note("first"), .note("third")])
  }

  @Test("a write error before any byte leaves the file as it was")
  func failedWrite() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("call.jsonl").path
    let writer = try TranscriptWriter(creating: path, header: WriterFixture.header(for: path))
    let size = try WriterFixture.size(path)
    writer.fileCalls.write = { _, _ in
      errno = EIO
      return -1
    }
    do {
      try writer.append(.note("lost"), at: 1, wall: WriterFixture.context.date(at: 1))
      Issue.record("a failed write was reported as written")
    } catch {
      #expect("\(error)".contains(String(cString: strerror(EIO))))
    }
    #expect(try WriterFixture.size(path) == size)
    #expect(try WriterFixture.read(path).entries.isEmpty)
  }

  @Test("a full disk (a small tmpfs) never leaves a partial line; the call goes on after")
  func fullDisk() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let mountPoint = folder.appendingPathComponent("disk").path
    try FileManager.default.createDirectory(
      atPath: mountPoint, withIntermediateDirectories: false)
    guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=8k", "tmpfs", mountPoint]) else {
      try Test.cancel("cannot mount a tmpfs here (needs root in a namespace that allows it)")
    }
    defer { _ = Self.run("/bin/umount", [mountPoint]) }
    let path = mountPoint + "/call.jsonl"
    let writer = try TranscriptWriter(creating: path, header: WriterFixture.header(for: path))
    let wall = WriterFixture.context.date(at: 0)
    let note = String(repeating: "the caller describes the hallway. ", count: 20)
    var accepted = 0
    var failure: (any Error)?
    for second in 1...100 {
      do {
        try writer.append(.note(note), at: Double(second), wall: wall)
        accepted += 1
      } catch {
        failure = error
        break
      }
    }
    #expect(failure.map { "\($0)".contains(String(cString: strerror(ENOSPC))) } == true)
    #expect(accepted > 0)
    #expect(try WriterFixture.size(path) == writer.goodLength)
    let full = try WriterFixture.read(path)
    #expect(full.tornTail == nil)
    #expect(full.entries.count == accepted)

    // Space comes back: the next event is a whole line after the last good one.
    #expect(Self.run("/bin/mount", ["-o", "remount,size=64k", mountPoint]))
    try writer.append(.note("after"), at: 200, wall: wall)
    let reading = try WriterFixture.read(path)
    #expect(reading.tornTail == nil)
    #expect(reading.entries.map(\.sequence) == Array(1...(accepted + 1)))
    #expect(reading.entries.last?.event == .note("after"))
  }

  /// Runs a command quietly; true when it exits 0.
  static func run(_ executable: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}

@Suite("A new transcript appears whole, and never replaces one")
struct TranscriptCreationTests {
  @Test("the file appears with its header, 0600, and no temporary file is left")
  func created() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("writer-test.jsonl").path
    _ = try TranscriptWriter(creating: path, header: WriterFixture.header(for: path))
    #expect(try WriterFixture.read(path).entries.isEmpty)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["writer-test.jsonl"])
  }

  @Test("an existing file is left as it was: the error says the file exists")
  func collision() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("writer-test.jsonl").path
    for existing in [Data(), Data("something\n".utf8)] {
      try existing.write(to: URL(fileURLWithPath: path))
      do {
        _ = try TranscriptWriter(creating: path, header: WriterFixture.header(for: path))
        Issue.record("an existing file was replaced")
      } catch let error as TranscriptWriteError {
        #expect(error.fileExists)
      }
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == existing)
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["writer-test.jsonl"])
    }
  }
}
