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

  /// At most this many incidents with no open call are kept (the most recently updated):
  /// open incidents are always kept, so the server's memory follows the calls in progress, not
  /// the hour's.
  public static let keepEndedCount = 32

  /// Each incident's full EIDO, by incident id.
  public var eidos: [String: JSONValue] = [:]
  /// The board: every incident shown, most recently updated first.
  public var board: JSONValue = .object([:])

  public init() {}

  /// Builds the feed from every call given and the airings waiting (see ``Tracker``).
  ///
  /// `now` is the server's clock (`serve --clock system`) or the store's latest update
  /// (`--clock simulated`): ages count from it.
  public init(calls: [IncidentCall], airings: [AiringRequest], now: Date) {
    var tracker = Tracker()
    tracker.apply(CallChanges(stamp: 0, calls: calls, complete: true)) { _ in [] }
    self = tracker.feed(airings: airings, now: now)
  }

  /// What the server holds of the store between two reads: the calls of the incidents it
  /// shows, with each incident's merged picture and EIDO, so that a change merges again only
  /// the incidents it touches.
  ///
  /// Bounded: open incidents, and at most ``IncidentFeed/keepEndedCount`` others updated
  /// within ``IncidentFeed/keepEnded``; the calls of an incident let go are dropped, and read
  /// again from the store if one of them changes.
  public struct Tracker: Sendable {
    struct Incident: Sendable {
      var calls: [String: IncidentCall]
      var ordered: [IncidentCall] = []
      var picture: IncidentPicture
      var eido: JSONValue?
      var open = false

      init(id: String, calls: [String: IncidentCall]) {
        self.calls = calls
        ordered = calls.values.sorted { ($0.startedAt, $0.callID) < ($1.startedAt, $1.callID) }
        picture = IncidentPicture.merge(incidentID: id, calls: ordered)
        eido = JSONValue.parse(IncidentEIDO.json(for: picture, calls: ordered))
        open = ordered.contains { !$0.ended }
      }
    }

    var incidents: [String: Incident] = [:]
    /// The incident of every call held.
    var incidentOfCall: [String: String] = [:]
    /// The latest update of any call seen: the simulated clock.
    public private(set) var latest: Date?

    public init() {}

    /// Incidents held now (open and recent).
    public var incidentCount: Int { incidents.count }
    /// Calls held now.
    public var callCount: Int { incidentOfCall.count }

    /// Takes the calls changed since the last read.
    ///
    /// `load` reads all the calls of an incident from the store; it is asked only for an incident not held (new, or let go),
    /// never when the changes are `complete`.
    public mutating func apply(
      _ changes: CallChanges, load: (String) throws -> [IncidentCall]
    ) rethrows {
      for call in changes.calls where latest.map({ call.updatedAt > $0 }) ?? true {
        latest = call.updatedAt
      }
      if changes.complete {
        var byIncident: [String: [String: IncidentCall]] = [:]
        for call in changes.calls { byIncident[call.incidentID, default: [:]][call.callID] = call }
        incidents = [:]
        incidentOfCall = [:]
        for (id, calls) in byIncident { hold(Incident(id: id, calls: calls)) }
        return
      }
      var touched: [String: [String: IncidentCall]] = [:]
      var left: Set<String> = []
      for call in changes.calls {
        if let old = incidentOfCall[call.callID], old != call.incidentID {
          incidents[old]?.calls[call.callID] = nil
          incidentOfCall[call.callID] = nil
          left.insert(old)
        }
        touched[call.incidentID, default: [:]][call.callID] = call
      }
      for (id, changed) in touched {
        var calls = incidents[id]?.calls ?? [:]
        if incidents[id] == nil {
          for call in try load(id) { calls[call.callID] = call }
        }
        for (callID, call) in changed {
          // The store may have been read for `load` after the changes: keep the newer.
          if let known = calls[callID], known.events > call.events { continue }
          calls[callID] = call
        }
        hold(Incident(id: id, calls: calls))
      }
      for id in left.subtracting(touched.keys) {
        guard let incident = incidents[id] else { continue }
        if incident.calls.isEmpty {
          incidents[id] = nil
        } else {
          hold(Incident(id: id, calls: incident.calls))
        }
      }
    }

    mutating func hold(_ incident: Incident) {
      if let previous = incidents[incident.picture.incidentID] {
        for callID in previous.calls.keys where incident.calls[callID] == nil {
          incidentOfCall[callID] = nil
        }
      }
      incidents[incident.picture.incidentID] = incident
      for callID in incident.calls.keys { incidentOfCall[callID] = incident.picture.incidentID }
    }

    /// Lets go of the incidents no longer shown at `now`: ended ones older than
    /// ``IncidentFeed/keepEnded``, and past the ``IncidentFeed/keepEndedCount`` most recent.
    public mutating func prune(now: Date) {
      let ended = incidents.values.filter { !$0.open }.sorted {
        ($0.picture.updatedAt, $0.picture.incidentID) > (
          $1.picture.updatedAt, $1.picture.incidentID
        )
      }
      for (rank, incident) in ended.enumerated()
      where rank >= IncidentFeed.keepEndedCount
        || now.timeIntervalSince(incident.picture.updatedAt) > IncidentFeed.keepEnded
      {
        incidents[incident.picture.incidentID] = nil
        for callID in incident.calls.keys { incidentOfCall[callID] = nil }
      }
    }

    /// The feed at `now` (after ``prune(now:)``), with the airings waiting.
    public mutating func feed(airings: [AiringRequest], now: Date) -> IncidentFeed {
      prune(now: now)
      var feed = IncidentFeed()
      let waiting = Set(airings.map { "\($0.callID)\u{1F}\($0.relayID)" })
      var shown: [(Date, String, JSONValue)] = []
      for (id, incident) in incidents {
        if let eido = incident.eido { feed.eidos[id] = eido }
        shown.append(
          (
            incident.picture.updatedAt, id,
            IncidentFeed.incident(
              incident.picture, calls: incident.ordered, waiting: waiting, open: incident.open,
              now: now)
          ))
      }
      let board = shown.sorted { ($0.0, $0.1) > ($1.0, $1.1) }.map(\.2)
      feed.board = .object([
        "now": .string(Transcript.timestamp(now)),
        "stale_after_s": .number(IncidentFeed.staleAfter),
        "incidents": .array(board),
      ])
      return feed
    }
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
