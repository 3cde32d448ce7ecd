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

  @Flag(help: "Accept a call that was not ended (after a crash, before --resume).")
  var allowIncomplete = false

  func run() throws {
    var failed = 0
    for path in transcripts {
      let data = try readInput(path)
      switch Self.check(
        data: data, path: path, protocols: self.protocol, allowIncomplete: allowIncomplete)
      {
      case .success(let summary): print("OK \(path): \(summary)")
      case .failure(let problem):
        failed += 1
        print("FAIL \(path): \(problem)")
      }
    }
    if failed > 0 { throw ExitStatus.findings }
  }

  /// Verifies one transcript; the summary or the first problem.
  static func check(data: Data, path: String, protocols: [String], allowIncomplete: Bool)
    -> Result<String, TranscriptProblem>
  {
    var found: LoadedProtocol?
    let result = TranscriptReader.verify(data, allowIncomplete: allowIncomplete) { header in
      found = ProtocolSource.find(hash: header.protocolHash, transcript: path, extra: protocols)
      return found?.compiled
    }
    return result.map { reading in
      let ended = reading.entries.contains { $0.event == .end }
      return "\(reading.entries.count) events, \(reading.header.protocolID) "
        + "\(reading.header.protocolVersion), chain and protocol hash verified"
        + (ended ? "" : "; the call was not ended")
    }
  }
}
