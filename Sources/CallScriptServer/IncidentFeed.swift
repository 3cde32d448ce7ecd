import CallScript
import CallScriptStore
import Foundation

/// What the server serves of the store at one moment: each incident's merged EIDO (for STA-024
/// subscribers) and the live board's view, built from the calls and the airings waiting.
///
/// A pure function of what was read and of `now`, so the board's ages and the stale marks are
/// tested to the second.
public struct IncidentFeed: Sendable {
  /// How long after its last call's update an incident with no open call stays on the board and
  /// in STA-024 "all" subscriptions.
  public static let keepEnded: TimeInterval = 3600
  /// The attacker's position is stale after this long without a new one.
  public static let staleAfter: TimeInterval = 120

  /// Each incident's full EIDO, by incident id.
  public var eidos: [String: JSONValue] = [:]
  /// The board: every incident shown, most recently updated first.
  public var board: JSONValue = .object([:])

  public init() {}

  /// Builds the feed from every call in the store and the airings waiting.
  ///
  /// `now` is the server's clock (`serve --clock system`) or the store's latest update
  /// (`--clock simulated`): ages count from it.
  public init(calls: [IncidentCall], airings: [AiringRequest], now: Date) {
    var byIncident: [String: [IncidentCall]] = [:]
    for call in calls { byIncident[call.incidentID, default: []].append(call) }
    var shown: [(Date, JSONValue)] = []
    let waiting = Set(airings.map { "\($0.callID)\u{1F}\($0.relayID)" })
    for (id, incidentCalls) in byIncident {
      let ordered = incidentCalls.sorted { ($0.startedAt, $0.callID) < ($1.startedAt, $1.callID) }
      let picture = IncidentPicture.merge(incidentID: id, calls: ordered)
      let open = ordered.contains { !$0.ended }
      guard open || now.timeIntervalSince(picture.updatedAt) <= Self.keepEnded else { continue }
      if let eido = JSONValue.parse(IncidentEIDO.json(for: picture, calls: ordered)) {
        eidos[id] = eido
      }
      shown.append(
        (
          picture.updatedAt,
          Self.incident(picture, calls: ordered, waiting: waiting, open: open, now: now)
        ))
    }
    let incidents = shown.sorted {
      ($0.0, $0.1["id"]?.string ?? "") > ($1.0, $1.1["id"]?.string ?? "")
    }.map(\.1)
    board = .object([
      "now": .string(Transcript.timestamp(now)),
      "stale_after_s": .number(Self.staleAfter),
      "incidents": .array(incidents),
    ])
  }

  /// Seconds from `date` to `now`, never negative.
  static func age(_ date: Date, _ now: Date) -> Double {
    (max(0, now.timeIntervalSince(date)) * 10).rounded() / 10
  }

  static func incident(
    _ picture: IncidentPicture, calls: [IncidentCall], waiting: Set<String>, open: Bool, now: Date
  ) -> JSONValue {
    func fact(_ field: RecordField) -> IncidentPicture.Fact? {
      picture.facts.first { $0.field == field }
    }
    var attacker: JSONValue = .null
    if let location = fact(.suspectLocation) {
      let age = Self.age(location.latest.observedAt, now)
      attacker = .object([
        "text": .string(location.latest.text),
        "observed_at": .string(Transcript.timestamp(location.latest.observedAt)),
        "age_s": .number(age),
        "stale": .bool(age >= staleAfter),
        "callers": .number(Double(location.latest.calls.count)),
        "disagreeing": .number(Double(location.disagreeing.count)),
      ])
    }
    var summary: [JSONValue] = []
    for field in [RecordField.suspectCount, .suspectWeapons, .victimsCount, .threatsDevices] {
      if let value = fact(field) {
        summary.append(
          .object(["field": .string(field.rawValue), "text": .string(value.latest.text)]))
      }
    }
    var hidden: [JSONValue] = []
    if let groups = fact(.sceneHiddenGroups) {
      hidden.append(.string(groups.latest.text))
    }
    let byCall = Dictionary(calls.map { ($0.callID, $0) }, uniquingKeysWith: { a, _ in a })
    var relays: [JSONValue] = []
    for relay in picture.relays {
      let sent = byCall[relay.sentBy]?.relays.first { $0.id == relay.id }
      let pending = waiting.contains("\(relay.sentBy)\u{1F}\(relay.id)")
      let aired = relay.airedAt != nil || pending
      var item: [String: JSONValue] = [
        "id": .string(relay.id), "call": .string(relay.sentBy), "text": .string(relay.text),
        "callers": .number(Double(relay.calls.count)), "aired": .bool(aired),
        "recorded": .bool(relay.airedAt != nil),
      ]
      if let sentAt = sent?.sentAt {
        item["sent_at"] = .string(Transcript.timestamp(sentAt))
        item["age_s"] = .number(age(sentAt, now))
      }
      if let airedAt = relay.airedAt {
        item["aired_at"] = .string(Transcript.timestamp(airedAt))
      }
      relays.append(.object(item))
    }
    let callers: [JSONValue] = calls.map { call in
      .object([
        "call": .string(call.callID),
        "position": .string(call.position),
        "location": call.location.map(JSONValue.string) ?? .null,
        "caller_location": call.fact(.callerLocation).map { .string($0.text) } ?? .null,
        "hiding": .bool(call.fact(.callerSafety)?.text.lowercased().contains("hid") ?? false),
        "line_dropped": .bool(call.lineDropped),
        "ended": .bool(call.ended),
        "determinant": call.determinant.map { .string($0.code) } ?? .null,
        "verifications": .array(call.pendingVerifications.map(JSONValue.string)),
        "updated_at": .string(Transcript.timestamp(call.updatedAt)),
      ])
    }
    var determinant: JSONValue = .null
    if let state = picture.determinant {
      determinant = .object([
        "code": .string(state.code), "level": .string(state.level),
        "label": .string(state.label),
      ])
    }
    return .object([
      "id": .string(picture.incidentID),
      "place": picture.place.map(JSONValue.string) ?? .null,
      "open": .bool(open),
      "updated_at": .string(Transcript.timestamp(picture.updatedAt)),
      "determinant": determinant,
      "attacker": attacker,
      "facts": .array(summary),
      "hidden": .array(hidden),
      "verifications": .array(picture.verifications.map { .string($0.text) }),
      "relays": .array(relays),
      "calls": .array(callers),
    ])
  }
}
