import ArgumentParser
import CallScript
import Foundation

/// `callscript verify`: check that transcripts are whole and unaltered.
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check transcripts: header, hash chain, order, and the protocol they name.",
    discussion: """
      Names the first bad line of each transcript and why. The protocol is looked for by its \
      hash beside the transcripts (protocols/ archive), in ./protocols, in --protocol files \
      and built in; the call is replayed to check every event. Exit status: 0 all verified, \
      1 any failed, 2 unreadable input.
      """
  )

  @Argument(help: "Transcript files (.jsonl).")
  var transcripts: [String]

  @Option(help: "A protocol file to look for the transcript's protocol in (repeatable).")
  var `protocol`: [String] = []

  func run() throws {
    var failed = 0
    for path in transcripts {
      let data = try readInput(path)
      switch Self.check(data: data, path: path, protocols: self.protocol) {
      case .success(let summary): print("OK \(path): \(summary)")
      case .failure(let problem):
        failed += 1
        print("FAIL \(path): \(problem)")
      }
    }
    if failed > 0 { throw ExitStatus.findings }
  }

  /// Verifies one transcript; the summary or the first problem.
  static func check(data: Data, path: String, protocols: [String]) -> Result<
    String, TranscriptProblem
  > {
    let reading: TranscriptReading
    switch TranscriptReader.read(data) {
    case .success(let value): reading = value
    case .failure(let problem): return .failure(problem)
    }
    if let tail = reading.tornTail {
      return .failure(
        TranscriptProblem(
          line: reading.entries.count + 2,
          message: "the last line is cut off (\(tail.count) bytes): the write was interrupted; "
            + "'take --resume' sets it aside"))
    }
    let header = reading.header
    guard
      let loaded = ProtocolSource.find(
        hash: header.protocolHash, transcript: path, extra: protocols)
    else {
      return .failure(
        TranscriptProblem(
          line: 1,
          message: "protocol \(header.protocolID) \(header.protocolVersion) with hash "
            + "\(header.protocolHash.prefix(12))… is not available here, so the call cannot be "
            + "checked against it; give it with --protocol"))
    }
    guard loaded.compiled.id == header.protocolID, loaded.compiled.version == header.protocolVersion
    else {
      return .failure(
        TranscriptProblem(
          line: 1,
          message: "the header names \(header.protocolID) \(header.protocolVersion) but the "
            + "protocol with its hash is \(loaded.compiled.id) \(loaded.compiled.version)"))
    }
    if case .failure(let problem) = TranscriptReader.replay(reading, on: loaded.compiled) {
      return .failure(problem)
    }
    let ended = reading.entries.last.map { $0.event == .end } ?? false
    return .success(
      "\(reading.entries.count) events, \(header.protocolID) \(header.protocolVersion), "
        + "chain and protocol hash verified" + (ended ? "" : "; the call was not ended"))
  }
}
