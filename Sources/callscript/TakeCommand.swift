import ArgumentParser
import CallScript
import CallScriptIO
import Foundation

/// `callscript take`: take a call, guided by a protocol, with a crash-safe transcript.
struct TakeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "take",
    abstract: "Take a call: ask, answer, dispatch, relay; every event saved as it happens.",
    discussion: """
      With no options, runs the built-in active-attack protocol. --io defaults to tty when \
      standard input is a terminal, else plain. With --clock simulated, time moves only by \
      the 'at' of each input (jsonl) or an '@SECONDS ' prefix on a line (plain, tty).
      """
  )

  enum IO: String, ExpressibleByArgument, CaseIterable {
    case tty, plain, jsonl
  }

  @Option(help: "Protocol file (default: the built-in active-attack protocol).")
  var `protocol`: String?

  @Option(help: "tty, plain or jsonl (default: tty on a terminal, else plain).")
  var io: IO?

  @Option(help: "Folder for transcripts.")
  var transcripts = "transcripts"

  @Option(help: "Folder for dispatch records: DIR/<call-id>/<seq>.json.")
  var records: String?

  @Option(help: "Continue the call recorded in this transcript.")
  var resume: String?

  @Option(help: "system or simulated.")
  var clock: String = "system"

  @Option(help: "Language for questions and instructions (default: the protocol's first).")
  var language: String?

  @Option(help: "Call id (default: from the start time).")
  var callID: String?

  @Option(help: "Wall-clock start, ISO 8601 (default: now; 2026-01-01T00:00:00Z when simulated).")
  var startTime: String?

  @Option(help: "Agency id for records.")
  var agency = "psap.callscript.example"

  @Option(help: "Call-taker position id for records and transcripts.")
  var position = ProcessInfo.processInfo.environment["CALLSCRIPT_POSITION"] ?? "position-1"

  @Option(
    help: "Incident tracking id from the ESInet (urn:emergency:uid:incidentid:ID:AGENCY).",
    transform: { text in
      guard let id = CallContext.incidentTrackingID(text) else {
        throw ValidationError("--incident-id must look like urn:emergency:uid:incidentid:ID:AGENCY")
      }
      return id
    })
  var incidentID: String?

  @Option(
    help: "Call identifier from the ESInet (urn:emergency:uid:callid:ID:AGENCY).",
    transform: { text in
      guard let id = CallContext.callIdentifier(text) else {
        throw ValidationError("--call-identifier must look like urn:emergency:uid:callid:ID:AGENCY")
      }
      return id
    })
  var callIdentifier: String?

  @Option(help: "The call-taker's i3 agent id for records (the position goes in the workstation).")
  var agent: String?

  @Option(
    help: "Agency settings file (JSON: agency, country, state, county, city); see docs/records.md.",
    transform: { path in
      do {
        return try AgencySettings(json: Data(contentsOf: URL(fileURLWithPath: path)))
      } catch let error as AgencySettingsError {
        throw ValidationError("\(path): \(error)")
      } catch {
        throw ValidationError("\(path): cannot read the agency settings")
      }
    })
  var agencySettings: AgencySettings?

  @Option(
    help: ArgumentHelp(
      "The center's time zone for clock times told to units, an IANA name such as "
        + "America/Chicago (default: the system's; UTC when the clock is simulated)."))
  var timeZone: String?

  @Option(
    help: ArgumentHelp(
      "The incident store: a SQLite file or postgres://USER@HOST:PORT/DB (default: "
        + "incidents.sqlite in the transcripts folder).", valueName: "PATH|URL"))
  var store: String?

  @Option(help: "Minutes an incident stays open to new calls at the same place.")
  var incidentWindow: Double = 60

  @Option(
    help: "The caller's number from the phone system (ANI); answers the callback question.")
  var callback: String?

  @Option(
    help: ArgumentHelp(
      "The caller's location from the phone system (ALI); answers the location question, "
        + "read back to the caller to confirm."))
  var location: String?

  @Flag(help: "No bell when a question falls due (terminal).")
  var quiet = false

  func validate() throws {
    guard CallClock(rawValue: clock) != nil else {
      throw ValidationError("--clock must be 'system' or 'simulated'")
    }
    guard incidentWindow.isFinite, incidentWindow >= 0 else {
      throw ValidationError("--incident-window must be minutes, 0 or more")
    }
  }

  func run() throws {
    let callClock = CallClock(rawValue: clock) ?? .system
    let chosenIO = io ?? (isatty(STDIN_FILENO) == 1 ? .tty : .plain)
    let frontend: Frontend
    switch chosenIO {
    case .plain: frontend = PlainFrontend(simulated: callClock == .simulated)
    case .jsonl: frontend = JSONLinesFrontend()
    case .tty: frontend = TerminalFrontend(simulated: callClock == .simulated, quiet: quiet)
    }
    let (call, loaded, path, resumed) = try open(clock: callClock)
    var recordSink = RecordSink(
      folder: records, context: call.context, callProtocol: loaded.compiled)
    var start = call.driver.startOutcome
    var caughtUp: [RecordOutput] = []
    if resumed {
      // A resumed call shows where it stands: the board, the determinant, the question now.
      start = StepOutcome()
      start.determinant = call.session.determinant
      start.determinantChanged = call.session.determinant != nil
      start.prompt = call.resume().prompt
      caughtUp = recordSink.catchUp(call.replayedRecords)
    }
    frontend.start(
      session: call.session, outcome: start, transcript: path, resumed: resumed,
      signedBy: call.writer.signingKey)
    if !caughtUp.isEmpty { frontend.caughtUp(caughtUp, session: call.session) }
    let storeLocation =
      store
      ?? (resume.map(TranscriptFolder.init(holding:)) ?? TranscriptFolder(transcripts))
      .incidentStore
    let desk = IncidentDesk(location: storeLocation, window: incidentWindow * 60)
    defer { desk.close() }
    // What the incident's other calls established, as the protocol reads it
    // (`incident.attacker_count`), goes into the transcript as an `incident_facts` event when
    // it changed, so a replay reads it from there and never from the store.
    func recordIncidentFacts() {
      guard case .incidentFacts(let incident, let facts)? = desk.incidentFacts(for: call) else {
        return
      }
      let at = callClock.offset(start: call.context.startedAt, last: call.session.now, given: nil)
      var outcome = call.handle(
        .incidentFacts(incident: incident, facts: facts), at: at,
        wall: callClock.wall(start: call.context.startedAt, offset: at))
      guard outcome.event != nil else { return }
      frontend.incident(.facts(incident: incident, facts))
      // A relay the facts made due may have gone out from another call already.
      var notices: [IncidentNotice] = []
      if var relays = outcome.step?.relays, !relays.isEmpty {
        notices += desk.deduplicate(&relays, callID: call.context.callID)
        outcome.step?.relays = relays
      }
      notices += desk.update(call)
      frontend.show(
        outcome, session: call.session, records: outcome.records.flatMap { recordSink.write($0) })
      for notice in notices { frontend.incident(notice) }
    }
    for notice in desk.update(call) { frontend.incident(notice) }
    recordIncidentFacts()
    if resumed, call.session.ended {
      // Units may still confirm what they found; nothing else is taken.
      frontend.error(
        "this call has already ended; only unit confirmations are taken"
          + (chosenIO == .tty ? "" : " (/confirm, or the jsonl 'confirm' command)"),
        question: nil)
    }
    func apply(_ data: [(item: String, text: String)], at: Double) {
      var taken: [(item: String, text: String)] = []
      var shown: [(DriverOutcome, [RecordOutput])] = []
      for (item, text) in data {
        let outcome = call.handle(
          .callData(item: item, text: text), at: at,
          wall: callClock.wall(start: call.context.startedAt, offset: at))
        if outcome.event != nil { taken.append((item, text)) }
        shown.append((outcome, outcome.records.flatMap { recordSink.write($0) }))
      }
      // The line to confirm comes before what the data brought (the read-back, the next
      // question).
      if !taken.isEmpty { frontend.phoneSystem(taken) }
      for (outcome, written) in shown {
        frontend.show(outcome, session: call.session, records: written)
        if outcome.event != nil {
          for notice in desk.update(call) { frontend.incident(notice) }
        }
      }
      recordIncidentFacts()
    }
    // Relays dispatch put on the air through `callscript serve` (the store's waiting list):
    // written into this call's transcript as `aired` events, at the time dispatch said so (or
    // the call's last event, if later: a transcript's times never go back).
    func recordAirings() {
      for airing in desk.airings(for: call) {
        defer { desk.finishAiring(airing) }
        guard
          call.session.sentRelays.contains(where: {
            $0.id == airing.relayID && $0.text == airing.text
          })
        else { continue }
        let at =
          callClock == .system
          ? max(call.session.now, airing.at.timeIntervalSince(call.context.startedAt))
          : call.session.now
        let outcome = call.handle(
          .aired(airing.relayID), at: at,
          wall: callClock.wall(start: call.context.startedAt, offset: at))
        guard outcome.event != nil else { continue }
        frontend.show(outcome, session: call.session, records: [])
        for notice in desk.update(call) { frontend.incident(notice) }
        recordIncidentFacts()
      }
    }
    recordAirings()
    if !resumed {
      let given = [("callback", callback), ("location", location)].compactMap { item, text in
        text.map { (item: item, text: $0) }
      }
      apply(given, at: 0)
    }
    if callClock == .system {
      // On a live call a stale fact (the attacker's position) falls due while the call-taker
      // is not typing: it is announced, and asked once nothing waits and the line is empty.
      frontend.whileIdle { lineEmpty in
        let at = callClock.offset(start: call.context.startedAt, last: call.session.now, given: nil)
        let outcome = call.tick(to: at, canShow: lineEmpty)
        // A record that waited for the record interval goes out when its time comes.
        let written = outcome.records.flatMap { recordSink.write($0) }
        // What other positions established meanwhile (the store is read every few seconds).
        for notice in desk.refresh(callID: call.context.callID, now: Date()) {
          frontend.incident(notice)
        }
        recordIncidentFacts()
        recordAirings()
        return (outcome, call.session, written)
      }
    }
    // At the terminal the call-taker's /end closes the program; over pipes (plain, jsonl) input
    // goes on until it closes, so units can still confirm verifications after the call ends.
    while !(chosenIO == .tty && call.session.ended),
      let input = frontend.next(session: call.session, prompt: call.driver.prompt)
    {
      func time(_ given: Double?) -> Double {
        callClock.offset(start: call.context.startedAt, last: call.session.now, given: given)
      }
      // Airings dispatch made since the last input go into the transcript before this input.
      recordAirings()
      switch input {
      case .invalid(let message, let given):
        frontend.error(message, question: nil)
        if let given {
          let outcome = call.tick(to: time(given), canShow: true)
          if outcome.promptChanged || !outcome.due.isEmpty || !outcome.records.isEmpty {
            frontend.show(
              outcome, session: call.session,
              records: outcome.records.flatMap { recordSink.write($0) })
          }
        }
      case .show(.newIncident, _):
        desk.dismissed = true
        frontend.incident(.storeBack("the call stays its own incident; no more offers"))
      case .callData(let data, let given):
        apply(data, at: time(given))
      case .show(let line, let given):
        let outcome = call.tick(to: time(given), canShow: true)
        if outcome.promptChanged || !outcome.due.isEmpty || !outcome.records.isEmpty {
          frontend.show(
            outcome, session: call.session,
            records: outcome.records.flatMap { recordSink.write($0) })
        }
        frontend.info(line, session: call.session)
      case .action(let action, let given):
        let at = time(given)
        var outcome = call.handle(
          action, at: at, wall: callClock.wall(start: call.context.startedAt, offset: at))
        if case .wait = action, outcome.error == nil, !outcome.promptChanged,
          outcome.due.isEmpty, outcome.records.isEmpty
        {
          continue
        }
        let written = outcome.records.flatMap { recordSink.write($0) }
        var notices: [IncidentNotice] = []
        if outcome.event != nil {
          if var relays = outcome.step?.relays, !relays.isEmpty {
            notices += desk.deduplicate(&relays, callID: call.context.callID)
            outcome.step?.relays = relays
          }
          notices += desk.update(call)
        }
        frontend.show(outcome, session: call.session, records: written)
        for notice in notices { frontend.incident(notice) }
        if outcome.event != nil { recordIncidentFacts() }
      }
    }
    if desk.problem != nil {
      for notice in desk.update(call) { frontend.incident(notice) }
      if desk.problem != nil {
        printError(
          "callscript: the incident store \(storeLocation) missed the end of this call; "
            + "'callscript incidents rebuild --from \((path as NSString).deletingLastPathComponent)' "
            + "or 'callscript take --resume \(path)' catches it up")
      }
    }
    // A call in which nothing was recorded is no call: its header-only transcript is removed,
    // so it neither fails `verify` nor counts in a review.
    var kept: String? = path
    if !resumed, call.session.eventCount == 0,
      (try? FileManager.default.removeItem(atPath: path)) != nil
    {
      kept = nil
    }
    frontend.finish(session: call.session, transcript: kept)
    if !recordSink.failures.isEmpty {
      printError(
        "callscript: \(recordSink.failures.count) record(s) could not be written to \(records ?? "")"
          + "; they are in the transcript: 'callscript take --resume \(path)' writes them when "
          + "the folder has room again")
      throw ExitStatus.findings
    }
  }

  /// Starts a new call or resumes one, returning it with its protocol and transcript path.
  func open(clock: CallClock) throws -> (LiveCall, LoadedProtocol, String, Bool) {
    // Every line is signed when this position has a key (callscript keys init).
    let signer = try SigningKeyStore.load()
    if let resume {
      let data = try readInput(resume)
      let reading: TranscriptReading
      switch TranscriptReader.read(data) {
      case .success(let value): reading = value
      case .failure(let problem):
        throw InputError(description: "\(resume): cannot resume: \(problem)")
      }
      if let problem = TranscriptReader.nameProblem(
        callID: reading.header.context.callID, path: resume)
      {
        throw InputError(description: "\(resume): cannot resume: \(problem)")
      }
      if let tail = reading.tornTail {
        let aside = resume + ".torn-\(reading.entries.count + 1)"
        guard FileManager.default.createFile(atPath: aside, contents: tail) else {
          throw InputError(description: "\(resume): cannot set the torn last line aside")
        }
        printError(
          "callscript: \(resume): the last line was cut off (\(tail.count) bytes, not trusted); "
            + "set aside in \(aside)")
      }
      guard
        let loaded = ProtocolSource.find(
          hash: reading.header.protocolHash, transcript: resume,
          extra: self.protocol.map { [$0] } ?? [])
      else {
        throw InputError(
          description: "\(resume): protocol \(reading.header.protocolID) "
            + "\(reading.header.protocolVersion) with hash \(reading.header.protocolHash.prefix(12))… "
            + "is not available; give it with --protocol")
      }
      do {
        let call = try LiveCall(
          resuming: reading, callProtocol: loaded.compiled, path: resume, signer: signer)
        return (call, loaded, resume, true)
      } catch let error as TranscriptWriteError {
        throw InputError(description: "cannot resume: \(error)")
      }
    }
    let loaded = try ProtocolSource.load(self.protocol)
    let start: Date
    if let startTime {
      guard
        let date = Transcript.date(from: startTime) ?? ISO8601DateFormatter().date(from: startTime)
      else { throw ValidationError("--start-time must be ISO 8601, like 2026-01-01T00:00:00Z") }
      start = Transcript.stored(date)
    } else {
      // To the millisecond, as the header stores it: record times then equal replay's.
      start = Transcript.stored(
        clock == .simulated ? Date(timeIntervalSince1970: 1_767_225_600) : Date())
    }
    let id = callID ?? Self.callID(start: start, random: clock == .system)
    guard CallContext.isValidCallID(id) else {
      throw ValidationError("--call-id may use letters, digits, '-' and '_'")
    }
    let zone = timeZone ?? (clock == .simulated ? "UTC" : TimeZone.current.identifier)
    guard CallTimeline.zone(named: zone) != nil else {
      throw ValidationError("--time-zone '\(zone)' is not a time zone name such as Europe/Paris")
    }
    try makeFolder(transcripts)
    ProtocolSource.archive(loaded, in: transcripts)
    // A generated id that is taken (two calls in the same second, or the simulated clock's
    // fixed start) gets another; a given --call-id that exists is an error.
    var attempt = 1
    while true {
      let callID =
        attempt == 1 || self.callID != nil
        ? id : clock == .system ? Self.callID(start: start, random: true) : "\(id)-\(attempt)"
      let path = TranscriptFolder(transcripts).transcript(callID: callID)
      let context = CallContext(
        callID: callID, startedAt: start, agencyID: agencySettings?.agency ?? agency,
        agentID: position, incidentTrackingID: incidentID, callIdentifier: callIdentifier,
        agent: agent, agencySettings: agencySettings)
      do {
        let call = try LiveCall(
          callProtocol: loaded.compiled, protocolHash: loaded.hash, context: context,
          language: language, clock: clock.rawValue, timeZone: zone, transcriptPath: path,
          signer: signer)
        return (call, loaded, path, false)
      } catch let error as TranscriptWriteError {
        if error.fileExists, self.callID == nil, attempt < 100 {
          attempt += 1
          continue
        }
        if error.fileExists {
          throw InputError(
            description: "\(path): a transcript with call id '\(callID)' exists already; "
              + "give another --call-id, or continue it with --resume")
        }
        throw InputError(description: "cannot create the transcript: \(error)")
      }
    }
  }

  /// `20260101-000000-3fa2`: the start time in UTC and, on the system clock, a random suffix.
  static func callID(start: Date, random: Bool) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    let parts = calendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second], from: start)
    func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
    var id =
      "\(parts.year ?? 2026)\(two(parts.month))\(two(parts.day))-"
      + "\(two(parts.hour))\(two(parts.minute))\(two(parts.second))"
    if random { id += "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max)) }
    return id
  }
}

/// Writes each dispatch record as `DIR/<call-id>/<seq>.json` and hands it to the frontend.
struct RecordSink {
  var folder: String?
  var context: CallContext
  var callProtocol: CallProtocol
  /// Records that could not be written (a full or unwritable folder), by sequence number.
  var failures: [Int] = []

  /// The file of record `sequence`, inside the records folder.
  func file(_ sequence: Int) -> String? {
    guard let folder else { return nil }
    return RecordsFolder(folder).record(callID: context.callID, sequence: sequence)
  }

  mutating func write(_ snapshot: RecordSnapshot) -> [RecordOutput] {
    let data = EIDOEncoder.document(for: snapshot, context: context, callProtocol: callProtocol)
    var output = RecordOutput(
      sequence: snapshot.sequence, json: String(decoding: data, as: UTF8.self), path: nil)
    if let folder, let file = file(snapshot.sequence) {
      try? FileManager.default.createDirectory(
        atPath: RecordsFolder(folder).call(context.callID), withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      if FileManager.default.createFile(
        atPath: file, contents: data + Data("\n".utf8), attributes: [.posixPermissions: 0o600])
      {
        output.path = file
      } else {
        failures.append(snapshot.sequence)
        output.problem = "cannot write record #\(snapshot.sequence) to \(file)"
      }
    }
    return [output]
  }

  /// After a crash: writes every record of `records` that is missing from the folder.
  ///
  /// Records are a pure function of the transcript, so this is an idempotent catch-up. Without a
  /// folder, gives the latest record, so a CAD reading the output has the current state.
  mutating func catchUp(_ records: [RecordSnapshot]) -> [RecordOutput] {
    guard folder != nil else { return records.last.map { write($0) } ?? [] }
    var written: [RecordOutput] = []
    for record in records {
      guard let file = file(record.sequence), !FileManager.default.fileExists(atPath: file)
      else { continue }
      written += write(record)
    }
    return written
  }
}
