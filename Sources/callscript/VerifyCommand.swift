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
      and built in; the call is replayed to check every event. A transcript's name must be its \
      call id. Each line of a signed transcript carries an Ed25519 signature; with \
      --trusted-keys, an unsigned transcript, or one signed by a key not in the file, fails. \
      Without it, a transcript is "chain intact, unsigned" or "signed by KEY (not checked)". \
      Exit status: 0 all verified, 1 any failed, 2 unreadable input.
      """
  )

  @Argument(help: "Transcript files (.jsonl).")
  var transcripts: [String]

  @Option(help: "A protocol file to look for the transcript's protocol in (repeatable).")
  var `protocol`: [String] = []

  @Flag(help: "Accept a call that was not ended (after a crash, before --resume).")
  var allowIncomplete = false

  @Option(
    help: ArgumentHelp(
      "A file of trusted public keys, one 'ed25519:…' a line ('callscript keys show' prints "
        + "one); unsigned transcripts and other keys fail.", valueName: "file"))
  var trustedKeys: String?

  func run() throws {
    let trusted = try trustedKeys.map(Self.loadTrustedKeys)
    for path in self.protocol { _ = try readInput(path) }
    var failed = 0
    var unreadable = 0
    // Each protocol is compiled once, however many calls name it.
    let finder = ProtocolFinder(extra: self.protocol)
    for path in transcripts {
      let data = try readInput(path)
      switch Self.check(
        data: data, path: path, finder: finder, allowIncomplete: allowIncomplete,
        trusted: trusted)
      {
      case .success(let summary): printSafe("OK \(path): \(summary)")
      case .failure(let problem) where !TranscriptReader.isTranscript(data):
        unreadable += 1
        printSafe("FAIL \(path): not a transcript (\(problem))")
      case .failure(let problem):
        failed += 1
        printSafe("FAIL \(path): \(problem)")
      }
    }
    // Input that is not a transcript at all is unreadable input, as the README says.
    if unreadable > 0 { throw ExitStatus.usage }
    if failed > 0 { throw ExitStatus.findings }
  }

  /// The keys of a trusted-keys file, or an ``InputError``.
  static func loadTrustedKeys(_ path: String) throws -> Set<String> {
    switch TranscriptSignature.trustedKeys(String(decoding: try readInput(path), as: UTF8.self)) {
    case .success(let keys): return keys
    case .failure(let problem): throw InputError(description: "\(path): \(problem)")
    }
  }

  /// Verifies one transcript; the summary or the first problem.
  static func check(
    data: Data, path: String, finder: ProtocolFinder, allowIncomplete: Bool,
    trusted: Set<String>?
  ) -> Result<String, TranscriptProblem> {
    let result = TranscriptReader.verify(data, allowIncomplete: allowIncomplete) { header in
      finder.find(hash: header.protocolHash, transcript: path)?.compiled
    }
    return result.flatMap { reading in
      if let problem = TranscriptReader.nameProblem(
        callID: reading.header.context.callID, path: path)
      {
        return .failure(problem)
      }
      return TranscriptSignature.status(signingKey: reading.header.signingKey, trusted: trusted)
        .map { signature in
          let ended = reading.entries.contains { $0.event == .end }
          return "\(reading.entries.count) events, \(reading.header.protocolID) "
            + "\(reading.header.protocolVersion), protocol hash verified, \(signature)"
            + (ended ? "" : "; the call was not ended")
        }
    }
  }
}
