import Foundation

extension Transcript {
  /// The whole text of a transcript built in memory: the header line, then one sealed line per
  /// event, numbered from 1, each with its wall-clock time `startedAt + at`.
  ///
  /// For generated calls (tests, benchmarks, examples); a live call is written line by line by
  /// ``TranscriptWriter``, durably.
  public static func text(header: Header, events: [(at: Double, event: SessionEvent)]) -> String {
    var (text, previous) = headerLine(header)
    for (index, (at, event)) in events.enumerated() {
      let (line, hash) = eventLine(
        Entry(sequence: index + 1, at: at, event: event), wall: header.context.date(at: at),
        previous: previous)
      text += line
      previous = hash
    }
    return text
  }
}
