import Foundation

extension Transcript {
  /// The whole text of a transcript built in memory: the header line, then one sealed line per
  /// event, numbered from 1, each with its wall-clock time `startedAt + at`.
  ///
  /// For generated calls (tests, benchmarks, examples); a live call is written line by line by
  /// `TranscriptWriter` (CallScriptIO), durably.
  /// Every line is signed by `signer` when one is given (the header then names its key).
  public static func text(
    header: Header, events: [(at: Double, event: SessionEvent)], signer: TranscriptSigner? = nil
  ) -> String {
    var header = header
    if let signer { header.signingKey = signer.publicKey }
    var (text, previous) = headerLine(header, signer: signer)
    for (index, (at, event)) in events.enumerated() {
      let (line, hash) = eventLine(
        Entry(sequence: index + 1, at: at, event: event), wall: header.context.date(at: at),
        previous: previous, signer: signer)
      text += line
      previous = hash
    }
    return text
  }
}
