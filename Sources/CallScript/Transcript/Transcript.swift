import Crypto
import Foundation

/// The transcript format: JSON Lines, a header then one hash-chained line per event.
///
/// Each line is canonical JSON (sorted keys) whose last member is `"hash"`: the SHA-256, in
/// hex, of the previous line's hash followed by the line's bytes up to (not including) the
/// `,"hash":…` member, with `}` appended. The header's previous hash is 64 zeros. Changing,
/// removing, duplicating or reordering any line breaks the chain. docs/transcript-format.md
/// describes every field.
public enum Transcript {
  /// The format identifier written in every header.
  public static let format = "callscript-transcript/1"
  /// The previous hash of the header line.
  public static let genesis = String(repeating: "0", count: 64)

  /// What the header says about a call.
  public struct Header: Sendable, Hashable {
    public var protocolID: String
    public var protocolVersion: String
    /// SHA-256 of the protocol source bytes, in hex.
    public var protocolHash: String
    public var context: CallContext
    public var language: String
    /// `system` or `simulated`.
    public var clock: String
    /// The center's time zone (IANA name), for clock times told to units.
    public var timeZone: String
    /// The public key (`ed25519:` and base64) every line is signed with; nil when unsigned.
    public var signingKey: String?

    public init(
      protocolID: String, protocolVersion: String, protocolHash: String, context: CallContext,
      language: String, clock: String, timeZone: String = "UTC", signingKey: String? = nil
    ) {
      self.signingKey = signingKey
      self.protocolID = protocolID
      self.protocolVersion = protocolVersion
      self.protocolHash = protocolHash
      self.context = context
      self.language = language
      self.clock = clock
      self.timeZone = timeZone
    }

    /// When the call started and in which time zone.
    public var timeline: CallTimeline {
      CallTimeline(
        startedAt: context.startedAt,
        timeZone: CallTimeline.zone(named: timeZone) ?? TimeZone(identifier: "UTC") ?? .current)
    }
  }

  /// One recorded event.
  public struct Entry: Sendable, Hashable {
    /// 1 for the first event after the header.
    public var sequence: Int
    /// Call-clock seconds.
    public var at: Double
    public var event: SessionEvent
    /// The number of the prompt an answer was given to.
    ///
    /// Set for an answer to a question on screen (see ``CallDriver``); nil for a volunteered
    /// answer (one that named its question) and for every other event.
    public var prompt: Int?

    public init(sequence: Int, at: Double, event: SessionEvent, prompt: Int? = nil) {
      self.sequence = sequence
      self.at = at
      self.event = event
      self.prompt = prompt
    }
  }

  /// SHA-256 in lowercase hex.
  public static func sha256(_ data: some DataProtocol) -> String {
    SHA256.hash(data: data).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }

  /// A call-clock time as a transcript stores it, to the millisecond.
  ///
  /// `at` is written with at most three decimals. A live call takes each event at this time, so the records it sends
  /// then are the ones `replay` re-derives from the transcript, to the millisecond.
  public static func stored(_ at: Double) -> Double {
    guard at.isFinite else { return at }
    return (at * 1000).rounded() / 1000
  }

  /// A start time as a transcript header stores it and reads it back.
  ///
  /// To the millisecond (``timestamp(_:)``): the start a live call works from, so its record
  /// times equal replay's.
  public static func stored(_ date: Date) -> Date {
    Transcript.date(from: timestamp(date)) ?? date
  }

  /// ISO 8601 with milliseconds, UTC, rounded to the nearest millisecond as record times are
  /// (Foundation's ISO 8601 style cuts instead: a start read back as 0.843999… was written
  /// `.843` while its records said `.844`).
  public static func timestamp(_ date: Date) -> String {
    EIDOTimestamp.string(date)
  }

  /// Parses a timestamp written by ``timestamp(_:)``.
  public static func date(from text: String) -> Date? {
    try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
  }

  /// The header line (with its trailing newline) and its hash, signed when `signer` is given.
  public static func headerLine(_ header: Header, signer: TranscriptSigner? = nil) -> (
    line: String, hash: String
  ) {
    let body: JSONValue = .object(
      [
        "type": .string("header"),
        "format": .string(format),
        "protocol": .object([
          "id": .string(header.protocolID), "version": .string(header.protocolVersion),
          "sha256": .string(header.protocolHash),
        ]),
        "call_id": .string(header.context.callID),
        "started_at": .string(timestamp(header.context.startedAt)),
        "agency": .string(header.context.agencyID),
        "position": .string(header.context.agentID),
        "language": .string(header.language),
        "clock": .string(header.clock),
        "time_zone": .string(header.timeZone),
      ].merging(contextMembers(header.context)) { first, _ in first }
        .merging(header.signingKey.map { ["signing_key": .string($0)] } ?? [:]) { first, _ in
          first
        })
    return sealed(body, previous: genesis, signer: signer)
  }

  /// The header members for the context's optional parts, each written only when set, so a
  /// transcript without them reads exactly as before.
  static func contextMembers(_ context: CallContext) -> [String: JSONValue] {
    var members: [String: JSONValue] = [:]
    if let value = context.incidentTrackingID { members["incident_id"] = .string(value) }
    if let value = context.callIdentifier { members["call_identifier"] = .string(value) }
    if let value = context.agent { members["agent"] = .string(value) }
    if let settings = context.agencySettings {
      var object: [String: JSONValue] = [:]
      for (key, value) in [
        ("agency", settings.agency), ("country", settings.country), ("state", settings.state),
        ("county", settings.county), ("city", settings.city),
      ] {
        if let value { object[key] = .string(value) }
      }
      members["agency_settings"] = .object(object)
    }
    return members
  }

  /// `context` with the optional parts that a header written by ``headerLine(_:)`` carries.
  static func readContextMembers(_ json: JSONValue, into context: CallContext) -> CallContext {
    var context = context
    context.incidentTrackingID = json["incident_id"]?.string
    context.callIdentifier = json["call_identifier"]?.string
    context.agent = json["agent"]?.string
    if let settings = json["agency_settings"] {
      context.agencySettings = AgencySettings(
        agency: settings["agency"]?.string, country: settings["country"]?.string,
        state: settings["state"]?.string, county: settings["county"]?.string,
        city: settings["city"]?.string)
    }
    return context
  }

  /// An event line (with its trailing newline) and its hash, signed when `signer` is given.
  public static func eventLine(
    _ entry: Entry, wall: Date, previous: String, signer: TranscriptSigner? = nil
  ) -> (line: String, hash: String) {
    var members: [String: JSONValue] = [
      "seq": .number(Double(entry.sequence)),
      "at": .number(entry.at),
      "wall": .string(timestamp(wall)),
      "type": .string(entry.event.typeName),
      "payload": entry.event.payload,
    ]
    if let prompt = entry.prompt { members["prompt"] = .number(Double(prompt)) }
    return sealed(.object(members), previous: previous, signer: signer)
  }

  /// Appends `"hash"` to a canonical object so the line commits to the previous hash, and then
  /// `"sig"`, the signature of that hash, when `signer` is given.
  static func sealed(_ body: JSONValue, previous: String, signer: TranscriptSigner? = nil) -> (
    line: String, hash: String
  ) {
    let text = body.canonical
    let hash = sha256(Data((previous + text).utf8))
    let signature = signer.map { ",\"sig\":\"\($0.sign(hash: hash))\"" } ?? ""
    return (String(text.dropLast()) + ",\"hash\":\"\(hash)\"\(signature)}\n", hash)
  }

  /// Splits a line into the bytes that were hashed, the hash it claims and its signature (nil
  /// when unsigned); nil when it has no hash.
  static func unseal(_ line: Substring) -> (body: String, hash: String, signature: String?)? {
    var line = line
    var signature: String?
    let sigMarker = ",\"sig\":\""
    // The closing `"}` must follow the marker, not overlap its quote (`,"sig":"}`).
    if line.hasSuffix("\"}"), let range = line.range(of: sigMarker, options: .backwards),
      range.upperBound <= line.index(line.endIndex, offsetBy: -2)
    {
      let value = line[range.upperBound..<line.index(line.endIndex, offsetBy: -2)]
      // Base64 of 64 bytes; any other text is not a signature this format writes.
      if value.count == TranscriptSignature.encodedLength,
        value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) })
      {
        signature = String(value)
        line = line[..<range.lowerBound] + "}"
      }
    }
    let marker = ",\"hash\":\""
    guard line.hasSuffix("\"}"), let range = line.range(of: marker, options: .backwards),
      range.upperBound <= line.index(line.endIndex, offsetBy: -2)
    else { return nil }
    let hash = line[range.upperBound..<line.index(line.endIndex, offsetBy: -2)]
    guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
      return nil
    }
    return (String(line[..<range.lowerBound]) + "}", String(hash), signature)
  }
}

extension Transcript {
  /// Largest prompt number read from a transcript or an input.
  public static let maximumPrompt = 1_000_000_000

  /// A prompt number from JSON: a whole number from 1 to ``maximumPrompt``; nil otherwise.
  public static func promptNumber(_ value: JSONValue) -> Int? {
    guard let number = value.number, number.isFinite, number == number.rounded(), number >= 1,
      number <= Double(maximumPrompt)
    else { return nil }
    return Int(number)
  }
}
