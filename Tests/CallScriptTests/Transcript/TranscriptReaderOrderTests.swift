import Foundation
import Testing

@testable import CallScript

/// Transcripts whose hash chain is intact but whose content is wrong.
///
/// Someone who edits a file and re-chains it produces these; the chain cannot catch them, the
/// order checks must.
@Suite("Transcript reader: order and completeness behind an intact chain")
struct TranscriptReaderOrderTests {
  /// A correctly chained transcript of notes with the given sequence numbers and times.
  static func chained(sequences: [Int], times: [Double]? = nil, end: Bool = false) -> Data {
    var events = sequences.map { _ in SessionEvent.note("caller whispering") }
    if end { events[events.count - 1] = .end }
    let header = Transcript.Header(
      protocolID: "strict-answers", protocolVersion: "1.0.0",
      protocolHash: Transcript.sha256(Data(StrictAnswers.text.utf8)),
      context: CallContext(
        callID: "order", startedAt: Date(timeIntervalSince1970: 1_767_225_600),
        agencyID: "psap.example.gov", agentID: "position-1"),
      language: "en", clock: "simulated")
    var (text, previous) = Transcript.headerLine(header)
    for (index, sequence) in sequences.enumerated() {
      let at = times?[index] ?? Double(index + 1)
      let (line, hash) = Transcript.eventLine(
        Transcript.Entry(sequence: sequence, at: at, event: events[index]),
        wall: header.context.date(at: at), previous: previous)
      text += line
      previous = hash
    }
    return Data(text.utf8)
  }

  static func verify(_ data: Data, allowIncomplete: Bool) throws -> Result<
    TranscriptReading, TranscriptProblem
  > {
    let callProtocol = try StrictAnswers.callProtocol()
    return TranscriptReader.verify(data, allowIncomplete: allowIncomplete) { _ in callProtocol }
  }

  @Test("numbered 1, 2, 3 and ended, the transcript verifies")
  func inOrder() throws {
    let data = Self.chained(sequences: [1, 2, 3], end: true)
    let reading = try Self.verify(data, allowIncomplete: false).get()
    #expect(reading.entries.map(\.sequence) == [1, 2, 3])
  }

  @Test(
    "a skipped, repeated or swapped sequence number is found at its line",
    arguments: [
      ([1, 2, 4], 4, "sequence number 4 where 3 was expected"),
      ([1, 1], 3, "sequence number 1 where 2 was expected"),
      ([2], 2, "sequence number 2 where 1 was expected"),
      ([1, 3, 2], 3, "sequence number 3 where 2 was expected"),
      ([0, 1], 2, "sequence number 0 where 1 was expected"),
    ])
  func badSequence(sequences: [Int], line: Int, message: String) {
    let data = Self.chained(sequences: sequences)
    guard case .failure(let problem) = TranscriptReader.read(data) else {
      Issue.record("sequence \(sequences) was read as good")
      return
    }
    #expect(problem.line == line)
    #expect(problem.message.hasPrefix(message))
  }

  @Test("a call clock that goes backwards is found at its line")
  func timeBackwards() {
    let data = Self.chained(sequences: [1, 2, 3], times: [5, 9, 7])
    guard case .failure(let problem) = TranscriptReader.read(data) else {
      Issue.record("a clock going backwards was read as good")
      return
    }
    #expect(problem.line == 4)
    #expect(problem.message.contains("goes backwards"))
  }

  @Test("equal times are in order")
  func equalTimes() throws {
    let data = Self.chained(sequences: [1, 2, 3], times: [5, 5, 5])
    #expect(try TranscriptReader.read(data).get().entries.count == 3)
  }

  @Test("a cut-off last line fails verification even when the call may be unfinished")
  func tornTail() throws {
    let data = Self.chained(sequences: [1, 2])
    let torn = data + Data(#"{"at":3,"payload":{"te"#.utf8)
    let reading = try TranscriptReader.read(torn).get()
    #expect(reading.tornTail?.count == 22)
    #expect(reading.goodLength == data.count)
    for allowIncomplete in [false, true] {
      guard case .failure(let problem) = try Self.verify(torn, allowIncomplete: allowIncomplete)
      else {
        Issue.record("a torn transcript verified (allowIncomplete: \(allowIncomplete))")
        continue
      }
      #expect(problem.line == 4)
      #expect(problem.message.contains("the last line is cut off (22 bytes)"))
    }
  }

  @Test("a call that was never ended verifies only when an unfinished call is allowed")
  func neverEnded() throws {
    let data = Self.chained(sequences: [1, 2])
    guard case .failure(let problem) = try Self.verify(data, allowIncomplete: false) else {
      Issue.record("an unfinished call verified as complete")
      return
    }
    #expect(problem.line == 3)
    #expect(problem.message.contains("the call was never ended"))
    #expect(try Self.verify(data, allowIncomplete: true).get().entries.count == 2)
    let ended = Self.chained(sequences: [1, 2], end: true)
    #expect(try Self.verify(ended, allowIncomplete: false).get().entries.count == 2)
  }
}
