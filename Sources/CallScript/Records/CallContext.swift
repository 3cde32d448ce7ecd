import Foundation

/// Who and when a call is, for records and transcripts: everything that is not a session event.
///
/// The wall-clock start is given by the caller of the library (the command line reads the
/// system clock, tests and replays give a fixed date); the core never reads a clock.
extension CallContext {
  /// Whether `id` may name a call: 1 to 80 ASCII letters, digits, '-' and '_'.
  ///
  /// A call id names
  /// its transcript and records folder, so nothing else (no '/', no '..') is ever accepted,
  /// from the command line or from a transcript's header.
  public static func isValidCallID(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 80
      && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
  }
}

public struct CallContext: Sendable, Hashable, Codable {
  /// The agency id `callscript take` uses when none is configured; its records are marked as
  /// not from a live center and ``RecordConveyance`` refuses them.
  public static let placeholderAgencyID = "psap.callscript.example"

  /// A unique id for the call, used in file names and record ids.
  public var callID: String
  /// Wall-clock time when the call started; event times are offsets from it.
  public var startedAt: Date
  /// The agency taking the call (an EIDO agency id such as `psap.example.gov`).
  public var agencyID: String
  /// The call-taker's position (workstation), or their agent id when no ``agent`` is given.
  public var agentID: String
  /// The incident tracking id the ESInet assigned (`urn:emergency:uid:incidentid:…`), if known.
  public var incidentTrackingID: String?
  /// The call identifier the ESInet assigned (`urn:emergency:uid:callid:…`), if known.
  public var callIdentifier: String?
  /// The call-taker's i3 agent id (`calltaker7@psap.example.gov`), if known; ``agentID`` is
  /// then the workstation position.
  public var agent: String?
  /// The agency's settings for records (default country and state), if configured.
  public var agencySettings: AgencySettings?

  public init(
    callID: String, startedAt: Date, agencyID: String, agentID: String,
    incidentTrackingID: String? = nil, callIdentifier: String? = nil, agent: String? = nil,
    agencySettings: AgencySettings? = nil
  ) {
    self.callID = callID
    self.startedAt = startedAt
    self.agencyID = agencyID
    self.agentID = agentID
    self.incidentTrackingID = incidentTrackingID
    self.callIdentifier = callIdentifier
    self.agent = agent
    self.agencySettings = agencySettings
  }

  /// The wall-clock time of a call-clock offset.
  public func date(at offset: Double) -> Date {
    startedAt.addingTimeInterval(offset)
  }

  /// Whether records of this call may come from a live center: false for the placeholder
  /// agency and any agency id under a top-level domain reserved for examples and tests
  /// (`example`, `test`, `invalid`, `localhost`, RFC 2606).
  public var isLiveCenter: Bool {
    Self.isLiveAgency(agencyID)
  }

  /// Whether `agencyID` can name a live center (see ``isLiveCenter``).
  public static func isLiveAgency(_ agencyID: String) -> Bool {
    let top = agencyID.split(separator: ".").last.map { $0.lowercased() } ?? ""
    return agencyID != placeholderAgencyID
      && !["example", "test", "invalid", "localhost"].contains(top)
  }

  /// `text` if it is an incident tracking id of the form NENA-STA-021 gives
  /// (`urn:emergency:uid:incidentid:<letters and digits>:<agency id>`), else nil.
  public static func incidentTrackingID(_ text: String) -> String? {
    isIdentifier(text, kind: "incidentid") ? text : nil
  }

  /// `text` if it is a call identifier (`urn:emergency:uid:callid:<letters and digits>:<agency
  /// id>`), else nil.
  public static func callIdentifier(_ text: String) -> String? {
    isIdentifier(text, kind: "callid") ? text : nil
  }

  private static func isIdentifier(_ text: String, kind: String) -> Bool {
    let prefix = "urn:emergency:uid:\(kind):"
    guard text.lowercased().hasPrefix(prefix) else { return false }
    let rest = text.dropFirst(prefix.count)
    guard let colon = rest.firstIndex(of: ":") else { return false }
    let unique = rest[..<colon]
    let agency = rest[rest.index(after: colon)...]
    return !unique.isEmpty && unique.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
      && !agency.isEmpty && !agency.contains(where: \.isWhitespace)
  }
}

/// What an agency configures once for its records: where it is, so that addresses given in
/// words get a country and state.
///
/// Read by the command line from a small JSON file (`take --agency-settings FILE`):
///
/// ```json
/// {"agency": "psap.example-county.pa.us", "country": "US", "state": "PA",
///  "county": "Example County", "city": "Exampleton"}
/// ```
///
/// Every member is optional. `country` is an ISO 3166 alpha-2 code and `state` the A1 element
/// of RFC 5139 (a state or province); `county` and `city` are A2 and A3.
public struct AgencySettings: Sendable, Hashable, Codable {
  /// The agency id, when the file also names the agency.
  public var agency: String?
  public var country: String?
  public var state: String?
  public var county: String?
  public var city: String?

  public init(
    agency: String? = nil, country: String? = nil, state: String? = nil, county: String? = nil,
    city: String? = nil
  ) {
    self.agency = agency
    self.country = country
    self.state = state
    self.county = county
    self.city = city
  }

  /// Settings from the JSON of a settings file.
  ///
  /// - Throws: ``AgencySettingsError`` naming the problem when the JSON is not an object of
  ///   strings with the members above.
  public init(json data: Data) throws {
    let members = ["agency", "country", "state", "county", "city"]
    guard case .object(let object)? = JSONValue.parse(data) else {
      throw AgencySettingsError(
        message: "agency settings must be a JSON object with string members "
          + members.map { "'\($0)'" }.joined(separator: ", "))
    }
    var value = AgencySettings()
    for (key, member) in object.sorted(by: { $0.key < $1.key }) {
      guard members.contains(key) else {
        throw AgencySettingsError(
          message: "agency settings: unknown member '\(SafeText.quoted(key))'"
            + NameSuggestion.hint(for: key, among: members))
      }
      let text: String?
      switch member {
      case .string(let string): text = string
      case .null: text = nil
      default:
        throw AgencySettingsError(message: "agency settings: '\(key)' must be text")
      }
      switch key {
      case "agency": value.agency = text
      case "country": value.country = text
      case "state": value.state = text
      case "county": value.county = text
      default: value.city = text
      }
    }
    if let country = value.country,
      country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isLetter })
    {
      throw AgencySettingsError(
        message: "agency settings: 'country' must be an ISO 3166 two-letter code, not '\(country)'")
    }
    self = value
  }
}

/// A settings file that cannot be used.
public struct AgencySettingsError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
