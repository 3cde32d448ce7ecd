import Crypto
import Foundation

/// Why a transcript cannot be trusted: the first bad line and what is wrong with it.
public struct TranscriptProblem: Error, Sendable, Hashable, CustomStringConvertible {
  /// 1-based line number.
  public var line: Int
  public var message: String

  public init(line: Int, message: String) {
    self.line = line
    self.message = message
  }

  public var description: String { "line \(line): \(message)" }
}

/// A transcript read and checked line by line.
public struct TranscriptReading: Sendable {
  public var header: Transcript.Header
  public var entries: [Transcript.Entry]
  /// The hash of the last good line, which the next appended line must chain to.
  public var lastHash: String
  /// Bytes after the last complete line, from a write cut short; never trusted.
  public var tornTail: Data?
  /// Length of the file up to and including the last good line.
  public var goodLength: Int
  /// Each line's hash and signature in a signed transcript (empty when unsigned): reading
  /// verified the last one, which vouches for every line; `verify` and `replay` check them all.
  var signatures: [TranscriptSignature.Line] = []
}

/// Reads transcripts and checks their header, hash chain and order.
public enum TranscriptReader {
  /// Reads and verifies a whole transcript.
  public static func read(_ data: Data) -> Result<TranscriptReading, TranscriptProblem> {
    // Transcripts as callscript writes them take the byte-level scanner (about a hundred times
    // faster); anything it does not take, and every problem, is read line by line here, with
    // its message.
    if let scanned = TranscriptScanner.read(data) { return .success(scanned) }
    return decodeEveryLine(data)
  }

  /// Reads a transcript line by line with the JSON decoder: what ``read(_:)`` does for what the
  /// scanner does not take, with a message for every problem.
  static func decodeEveryLine(_ data: Data) -> Result<TranscriptReading, TranscriptProblem> {
    if data.isEmpty { return .failure(TranscriptProblem(line: 1, message: "file is empty")) }
    if data.starts(with: [0xEF, 0xBB, 0xBF]) {
      return .failure(
        TranscriptProblem(
          line: 1,
          message: "the file starts with a byte order mark (BOM): not a transcript "
            + "as callscript writes it, so it was changed"))
    }
    var lines: [Data] = []
    var start = data.startIndex
    for index in data.indices where data[index] == 0x0A {
      lines.append(data[start..<index])
      start = index + 1
    }
    let tail = start < data.endIndex ? data[start...] : nil
    if lines.isEmpty {
      return .failure(
        TranscriptProblem(line: 1, message: "no complete line: the header was never written whole"))
    }
    var previous = Transcript.genesis
    var header: Transcript.Header?
    var entries: [Transcript.Entry] = []
    var lastAt = 0.0
    var signingKey: Curve25519.Signing.PublicKey?
    // Each line's hash and signature: verified at the end (``TranscriptSignature/check``), or up
    // to a problem, so the first line rewritten without the key is named as before.
    var signatures: [TranscriptSignature.Line] = []
    for (offset, bytes) in lines.enumerated() {
      let number = offset + 1
      func problem(_ message: String) -> Result<TranscriptReading, TranscriptProblem> {
        if let signingKey,
          let bad = TranscriptSignature.firstBad(signatures, key: signingKey)
        {
          return .failure(bad)
        }
        return .failure(TranscriptProblem(line: number, message: message))
      }
      if bytes.last == 0x0D {
        return problem(
          "the line ends in CRLF: transcripts end lines with LF only, so it was changed")
      }
      guard let text = String(data: bytes, encoding: .utf8) else {
        return problem("not UTF-8 text")
      }
      guard let (body, claimed, signature) = Transcript.unseal(Substring(text)) else {
        return problem("no hash at the end of the line; the line is damaged or not a transcript")
      }
      let actual = Transcript.sha256(Data((previous + body).utf8))
      guard actual == claimed else {
        return problem(
          offset == 0
            ? "header hash does not match its content: the header was altered"
            : "hash does not match: this line was altered, or a line before it was removed, "
              + "added or reordered")
      }
      guard let json = JSONValue.parse(Data(text.utf8)), case .object = json else {
        return problem(
          "not a JSON object" + (JSONValue.problem(Data(text.utf8)).map { ": \($0)" } ?? ""))
      }
      if offset == 0 {
        if let unknown = unknownHeaderField(json) {
          return problem("unknown header field '\(unknown)'")
        }
        guard let parsed = parseHeader(json) else {
          return problem("not a callscript transcript header (format \(Transcript.format))")
        }
        header = parsed
        if let text = parsed.signingKey {
          guard let key = TranscriptSignature.publicKey(text) else {
            return problem("'signing_key' is not an Ed25519 public key")
          }
          signingKey = key
        }
      }
      if signingKey != nil {
        guard let signature else {
          return problem(
            "not signed, though the header names a signing key: the line was added or rewritten "
              + "without the key")
        }
        signatures.append(
          TranscriptSignature.Line(number: number, hash: claimed, signature: signature))
      } else if signature != nil {
        return problem("a signature on a transcript whose header names no signing key")
      }
      if offset > 0 {
        guard let sequence = json["seq"]?.number, sequence == Double(number - 1) else {
          return problem(
            "sequence number \(json["seq"]?.number.map(JSONValue.format) ?? "missing") "
              + "where \(number - 1) was expected: lines are missing, repeated or out of order")
        }
        guard let at = json["at"]?.number, at.isFinite, at >= lastAt else {
          return problem("call-clock time goes backwards or is missing")
        }
        guard at <= CallDriver.maximumTime else {
          return problem(
            "call-clock time \(JSONValue.format(at)) s is beyond any call (at most "
              + "\(JSONValue.format(CallDriver.maximumTime)) s)")
        }
        guard let type = json["type"]?.string, let payload = json["payload"],
          let event = SessionEvent(type: type, payload: payload)
        else {
          return problem("unknown event or malformed payload")
        }
        if type == "header" { return problem("a second header") }
        var prompt: Int?
        if let value = json["prompt"] {
          guard case .answer = event, let number = Transcript.promptNumber(value) else {
            return problem("'prompt' must be a positive whole number on an answer")
          }
          prompt = number
        }
        lastAt = at
        entries.append(
          Transcript.Entry(sequence: number - 1, at: at, event: event, prompt: prompt))
      }
      previous = claimed
    }
    guard let header else { return .failure(TranscriptProblem(line: 1, message: "no header")) }
    if let signingKey, let bad = TranscriptSignature.check(signatures, key: signingKey) {
      return .failure(bad)
    }
    return .success(
      TranscriptReading(
        header: header, entries: entries, lastHash: previous, tornTail: tail.map { Data($0) },
        goodLength: start - data.startIndex, signatures: signatures))
  }

  /// Every member a header may have, and those of its objects.
  static let headerFields: Set<String> = [
    "type", "format", "protocol", "call_id", "started_at", "agency", "position", "language",
    "clock", "time_zone", "incident_id", "call_identifier", "agent", "agency_settings",
    "signing_key", "hash", "sig",
  ]
  static let headerObjectFields: [String: Set<String>] = [
    "protocol": ["id", "version", "sha256"],
    "agency_settings": ["agency", "country", "state", "county", "city"],
  ]

  /// The first member of a header that the format does not define, if any.
  static func unknownHeaderField(_ json: JSONValue) -> String? {
    guard case .object(let members) = json else { return nil }
    for key in members.keys.sorted() {
      guard headerFields.contains(key) else { return key }
      if let allowed = headerObjectFields[key], case .object(let inner)? = members[key],
        let unknown = inner.keys.sorted().first(where: { !allowed.contains($0) })
      {
        return "\(key).\(unknown)"
      }
    }
    return nil
  }

  /// Whether `data` is a transcript at all, however damaged after its header.
  ///
  /// Its first line must be a complete JSON object with `"type":"header"` and a
  /// `callscript-transcript` format. A file that is not (empty, binary, another kind of JSON) is unreadable input (exit status 2) for
  /// `verify`, `replay` and `review`; a transcript that fails its checks is a finding (1).
  public static func isTranscript(_ data: Data) -> Bool {
    guard let newline = data.firstIndex(of: 0x0A),
      let json = JSONValue.parse(Data(data[data.startIndex..<newline])),
      json["type"]?.string == "header",
      json["format"]?.string?.hasPrefix("callscript-transcript/") == true
    else { return false }
    return true
  }

  /// A problem when the file's name is not the header's call id followed by `.jsonl`.
  public static func nameProblem(callID: String, path: String) -> TranscriptProblem? {
    let name = (path as NSString).lastPathComponent
    guard name != callID + ".jsonl" else { return nil }
    return TranscriptProblem(
      line: 1,
      message: "the header's call_id '\(callID)' does not match the file name "
        + "'\(name)': a transcript is named <call_id>.jsonl")
  }

  static func parseHeader(_ json: JSONValue) -> Transcript.Header? {
    guard json["type"]?.string == "header", json["format"]?.string == Transcript.format,
      let protocolID = json["protocol"]?["id"]?.string,
      let version = json["protocol"]?["version"]?.string,
      let hash = json["protocol"]?["sha256"]?.string, hash.count == 64,
      let callID = json["call_id"]?.string, CallContext.isValidCallID(callID),
      let started = json["started_at"]?.string.flatMap(Transcript.date(from:)),
      let agency = json["agency"]?.string, let position = json["position"]?.string,
      let language = json["language"]?.string, let clock = json["clock"]?.string
    else { return nil }
    // Written since prompts are numbered; older transcripts are in UTC.
    let timeZone = json["time_zone"]?.string ?? "UTC"
    guard CallTimeline.zone(named: timeZone) != nil else { return nil }
    var signingKey: String?
    if let value = json["signing_key"] {
      guard let text = value.string else { return nil }
      signingKey = text
    }
    return Transcript.Header(
      protocolID: protocolID, protocolVersion: version, protocolHash: hash,
      context: Transcript.readContextMembers(
        json,
        into: CallContext(callID: callID, startedAt: started, agencyID: agency, agentID: position)),
      language: language, clock: clock, timeZone: timeZone, signingKey: signingKey)
  }

  /// Verifies a transcript completely: the chain and order, no cut-off line, the protocol
  /// (found by `protocolFor` from the header's hash) and that the engine accepts every event;
  /// unless `allowIncomplete`, the call must have been ended.
  public static func verify(
    _ data: Data, allowIncomplete: Bool,
    protocolFor: (Transcript.Header) -> CallProtocol?
  ) -> Result<TranscriptReading, TranscriptProblem> {
    // The engine's decisions alone tell whether it accepts every event: no text is rendered.
    checked(data, allowIncomplete: allowIncomplete, protocolFor: protocolFor) {
      (reading, callProtocol) -> Result<Void, TranscriptProblem> in
      var session = Session(
        callProtocol: callProtocol, language: reading.header.language,
        timeline: reading.header.timeline)
      for entry in reading.entries {
        if case .failure(let error) = session.decide(entry.event, at: entry.at) {
          return .failure(refusal(error, at: entry))
        }
      }
      return .success(())
    }.map(\.0)
  }

  /// ``verify(_:allowIncomplete:protocolFor:)``, also giving the outcome of every event of the
  /// replay it made (the first is the start of the call).
  public static func verifyAndReplay(
    _ data: Data, allowIncomplete: Bool,
    protocolFor: (Transcript.Header) -> CallProtocol?
  ) -> Result<(TranscriptReading, [StepOutcome]), TranscriptProblem> {
    checked(data, allowIncomplete: allowIncomplete, protocolFor: protocolFor) {
      reading, callProtocol in
      replay(reading, on: callProtocol).map(\.1)
    }
  }

  /// The engine's refusal of a transcript's event, as a problem at its line.
  static func refusal(_ error: SessionError, at entry: Transcript.Entry) -> TranscriptProblem {
    TranscriptProblem(
      line: entry.sequence + 1,
      message: "the engine refuses this event on replay: \(error.message)")
  }

  /// Reads a transcript, checks it and its protocol, and replays it with `replaying`; the call
  /// must have ended unless `allowIncomplete`.
  static func checked<Replayed>(
    _ data: Data, allowIncomplete: Bool,
    protocolFor: (Transcript.Header) -> CallProtocol?,
    replaying: (TranscriptReading, CallProtocol) -> Result<Replayed, TranscriptProblem>
  ) -> Result<(TranscriptReading, Replayed), TranscriptProblem> {
    let reading: TranscriptReading
    switch read(data) {
    case .success(let value): reading = value
    case .failure(let problem): return .failure(problem)
    }
    // Every line's signature, not only the last: a file changed in any byte fails `verify`.
    if let text = reading.header.signingKey, let key = TranscriptSignature.publicKey(text),
      let bad = TranscriptSignature.firstBad(reading.signatures, key: key)
    {
      return .failure(bad)
    }
    if let tail = reading.tornTail {
      return .failure(
        TranscriptProblem(
          line: reading.entries.count + 2,
          message: "the last line is cut off (\(tail.count) bytes): the write was interrupted; "
            + "'take --resume' sets it aside"))
    }
    let header = reading.header
    guard let callProtocol = protocolFor(header) else {
      return .failure(
        TranscriptProblem(
          line: 1,
          message: "protocol \(header.protocolID) \(header.protocolVersion) with hash "
            + "\(header.protocolHash.prefix(12))… is not available here, so the call cannot be "
            + "checked against it; give it with --protocol"))
    }
    guard callProtocol.id == header.protocolID, callProtocol.version == header.protocolVersion
    else {
      return .failure(
        TranscriptProblem(
          line: 1,
          message: "the header names \(header.protocolID) \(header.protocolVersion) but the "
            + "protocol with its hash is \(callProtocol.id) \(callProtocol.version)"))
    }
    let replayed: Replayed
    switch replaying(reading, callProtocol) {
    case .success(let value): replayed = value
    case .failure(let problem): return .failure(problem)
    }
    if !reading.entries.contains(where: { $0.event == .end }), !allowIncomplete {
      return .failure(
        TranscriptProblem(
          line: reading.entries.count + 1,
          message: "the call was never ended: the transcript stops here, after a crash or a "
            + "closed terminal, or it was cut short; resume the call or pass --allow-incomplete"))
    }
    return .success((reading, replayed))
  }

  /// Rebuilds the call a transcript records, applying every event in order through a
  /// ``CallDriver``; gives the driver (nothing shown yet, see ``CallDriver/resume()``) and the
  /// outcome of every event, the first being the start of the call.
  public static func replay(_ reading: TranscriptReading, on callProtocol: CallProtocol)
    -> Result<(CallDriver, [StepOutcome]), TranscriptProblem>
  {
    var driver = CallDriver(
      session: Session(
        callProtocol: callProtocol, language: reading.header.language,
        timeline: reading.header.timeline),
      showing: false)
    var outcomes: [StepOutcome] = [driver.session.startOutcome]
    for entry in reading.entries {
      switch driver.replay(entry) {
      case .success(let outcome): outcomes.append(outcome)
      case .failure(let error): return .failure(refusal(error, at: entry))
      }
    }
    return .success((driver, outcomes))
  }
}
