import ArgumentParser
import CallScript
import Foundation

/// `callscript replay`: rebuild a call from its transcript and show what happened, when.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Rebuild a call from its transcript: a timeline, and its records re-derived.",
    discussion: """
      Uses the protocol version the call used, found by the hash in the transcript header; \
      never another. With --records DIR, the re-derived EIDO records are compared byte for \
      byte with those emitted at the time (DIR/<call-id>/<seq>.json). Exit status: 0 \
      replayed (and identical), 1 a broken transcript or a record that differs, 2 unreadable.
      """
  )

  @Argument(help: "The transcript (.jsonl).")
  var transcript: String

  @Option(help: "A protocol file to look for the call's protocol in (repeatable).")
  var `protocol`: [String] = []

  @Option(help: "Compare the re-derived records with the ones in this folder.")
  var records: String?

  @Option(help: "Write the re-derived records to this folder.")
  var writeRecords: String?

  func run() throws {
    let data = try readInput(transcript)
    for path in self.protocol { _ = try readInput(path) }
    if let records { try requireFolder(records) }
    if let writeRecords { try makeFolder(writeRecords) }
    var loaded: LoadedProtocol?
    let verified = TranscriptReader.verifyAndReplay(data, allowIncomplete: true) { header in
      loaded = ProtocolSource.find(
        hash: header.protocolHash, transcript: transcript, extra: self.protocol)
      return loaded?.compiled
    }
    let reading: TranscriptReading
    let outcomes: [StepOutcome]
    switch verified {
    case .success(let value): (reading, outcomes) = value
    case .failure(let problem):
      // Input that is not a transcript at all is unreadable input, as the README says.
      guard TranscriptReader.isTranscript(data) else {
        printSafe("FAIL \(transcript): not a transcript (\(problem))")
        throw ExitStatus.usage
      }
      printSafe("FAIL \(transcript): \(problem)")
      throw ExitStatus.findings
    }
    guard let loaded else { throw ExitStatus.findings }
    let header = reading.header
    if let problem = TranscriptReader.nameProblem(callID: header.context.callID, path: transcript) {
      printSafe("FAIL \(transcript): \(problem)")
      throw ExitStatus.findings
    }
    printSafe(
      "call \(header.context.callID), \(header.protocolID) \(header.protocolVersion), "
        + "started \(Transcript.timestamp(header.context.startedAt)), position "
        + "\(header.context.agentID)")
    var sink = RecordSink(
      folder: writeRecords, context: header.context, callProtocol: loaded.compiled)
    var differences = 0
    // A transcript that numbers prompts says what was asked (re-asks included) and what the
    // caller volunteered; an older one shows the engine's next question after each event.
    let numbered = reading.entries.contains { $0.prompt != nil }
    var answered: Set<String> = []
    for (index, outcome) in outcomes.enumerated() {
      let at = index == 0 ? 0 : reading.entries[index - 1].at
      // A record that waited for the record interval went out at its own time, before this
      // event.
      if let due = outcome.dueRecord {
        let written = sink.write(due)
        for line in BoardText.effects(StepOutcome(), records: written) {
          print("[\(BoardText.clock(due.at))] " + SafeText.visible(line))
        }
        for record in written { differences += compare(record, callID: header.context.callID) }
      }
      var lines: [String] = []
      if index > 0 {
        let entry = reading.entries[index - 1]
        var line = Self.describe(entry.event, session: loaded.compiled)
        if numbered, case .answer(let id, _) = entry.event {
          if let number = entry.prompt {
            let question = loaded.compiled.question(id: id)?.ask.text(in: header.language) ?? ""
            lines.append(
              "\(answered.contains(id) ? "ASK AGAIN" : "ASK") [\(id)] \(question) (prompt \(number))"
            )
          } else {
            line = line.replacingOccurrences(of: "ANSWER ", with: "ANSWER (volunteered) ")
          }
          answered.insert(id)
        }
        lines.append(line)
      }
      let written = outcome.record.map { sink.write($0) } ?? []
      lines += BoardText.effects(outcome, records: written)
      if !numbered, let prompt = outcome.prompt, index < outcomes.count - 1 || prompt.isReask {
        lines.append("ASK [\(prompt.questionID)] \(prompt.text)")
      }
      for (offset, line) in lines.enumerated() {
        print(
          (offset == 0 ? "[\(BoardText.clock(at))] " : "        ") + SafeText.visible(line))
      }
      for record in written {
        differences += compare(record, callID: header.context.callID)
      }
    }
    if records != nil {
      printSafe(
        differences == 0 ? "records: identical to those emitted" : "records: \(differences) differ")
    }
    if !sink.failures.isEmpty {
      printError("callscript: \(sink.failures.count) record(s) could not be written")
      throw ExitStatus.findings
    }
    if differences > 0 { throw ExitStatus.findings }
  }

  /// 1 when the emitted record differs from the re-derived one (or is missing), else 0.
  func compare(_ record: RecordOutput, callID: String) -> Int {
    guard let records else { return 0 }
    let path = RecordsFolder(records).record(callID: callID, sequence: record.sequence)
    guard let emitted = FileManager.default.contents(atPath: path) else {
      printSafe("record #\(record.sequence): not found at \(path)")
      return 1
    }
    if emitted != Data((record.json + "\n").utf8) {
      printSafe("record #\(record.sequence): differs from \(path)")
      return 1
    }
    return 0
  }

  static func describe(_ event: SessionEvent, session callProtocol: CallProtocol) -> String {
    switch event {
    case .answer(let id, let value):
      let text = FactText.render(value) { optionID in
        callProtocol.question(id: id)?.option(id: optionID)?.label.text() ?? optionID
      }
      return "ANSWER [\(id)] \(text)"
    case .callData(let item, let id, let value):
      return "CALL DATA \(item) -> [\(id)] \(FactText.render(value) { $0 })"
    case .note(let text): return "NOTE \(text)"
    case .back: return "BACK"
    case .override(let code, let reason): return "OVERRIDE \(code): \(reason)"
    case .confirm(let id, let confirmed, let unit, _):
      return "\(confirmed ? "CONFIRMED" : "REFUTED") [\(id)]" + (unit.map { " by \($0)" } ?? "")
    case .disconnect: return "CALLER DISCONNECTED"
    case .callback: return "CALLER CALLED BACK"
    case .end: return "CALL ENDED"
    case .link(let incident): return "LINKED TO \(incident)"
    case .unlink: return "UNLINKED"
    case .aired(let relay): return "AIRED [\(relay)]"
    case .incidentFacts(let incident, let facts):
      return "INCIDENT FACTS \(incident): \(IncidentFact.text(facts))"
    }
  }
}
