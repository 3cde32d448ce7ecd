import CallScript
import Foundation

/// Where incidents are kept: the calls, their links to incidents, and each incident's merged picture.
///
/// Derived from transcripts: `callscript incidents rebuild` recreates it.
///
/// Two implementations, one behaviour: ``SQLiteIncidentStore`` (one file, WAL, the default)
/// and, in builds with the `Postgres` trait, `PostgresIncidentStore` for a center. Every write
/// is one transaction that saves the call and recomputes the pictures it touches, serialised
/// per store (SQLite) or per incident (PostgreSQL), so concurrent positions never lose an
/// update.
public protocol IncidentStore: AnyObject {
  /// The schema version after the migrations applied on opening.
  var schemaVersion: Int { get }
  /// Saves a call (unless the store already has it with more events) and recomputes the
  /// picture of its incident, and of the incident it left if it moved; returns its incident's.
  func save(_ call: IncidentCall) throws -> IncidentPicture
  /// The calls of an incident, oldest first.
  func calls(incident: String) throws -> [IncidentCall]
  /// Every incident, most recently updated first.
  func incidents() throws -> [IncidentSummary]
  /// Incidents at the place with `placeKey` updated within `window` before `at` (or after it).
  func candidates(placeKey: String, at: Date, window: TimeInterval) throws -> [IncidentSummary]
  /// Every call, by id.
  func allCalls() throws -> [IncidentCall]
  /// Every incident's stored picture as canonical JSON, by incident id.
  func storedPictures() throws -> [String: String]
  /// Removes every call and incident (before a rebuild into the same store); airings that
  /// dispatch asked for and no call has recorded yet stay.
  func removeAll() throws
  func close()
  /// A value that changes whenever a call is saved or an airing asked for or recorded: a
  /// watcher (`callscript serve`) reads the pictures again only when it changed.
  func changeStamp() throws -> String
  /// Records that dispatch put a call's relay on the air at `at`, until the call's own process
  /// writes it into its transcript; false when the same airing is already waiting.
  func requestAiring(_ airing: AiringRequest) throws -> Bool
  /// The airings waiting to be written into their calls' transcripts (of one call, or all).
  func pendingAirings(callID: String?) throws -> [AiringRequest]
  /// Takes an airing off the waiting list once its call recorded it (or cannot take it).
  func removeAiring(callID: String, relayID: String) throws
}

/// Dispatch put a relay on the air: which call's relay, when, and who said so.
public struct AiringRequest: Sendable, Hashable {
  public var callID: String
  public var relayID: String
  /// The relay's words as dispatch saw them; the call records the airing only while it still
  /// says them (a relay sent again with new words must be aired again).
  public var text: String
  public var at: Date
  /// The dispatcher or console that said so (free text, at most 100 characters).
  public var by: String

  public init(callID: String, relayID: String, text: String, at: Date, by: String) {
    self.callID = callID
    self.relayID = relayID
    self.text = text
    self.at = at
    self.by = by
  }
}

extension IncidentStore {
  /// The merged picture of an incident, from its calls; nil when it has none.
  public func picture(_ incidentID: String) throws -> IncidentPicture? {
    let calls = try calls(incident: incidentID)
    return calls.isEmpty ? nil : IncidentPicture.merge(incidentID: incidentID, calls: calls)
  }

  /// Everything the store holds, as canonical JSON: equal for equal stores.
  public func dump() throws -> String {
    let calls = try allCalls().sorted { $0.callID < $1.callID }.map(\.json)
    let pictures = try storedPictures().sorted { $0.key < $1.key }.map { $0.value }
    return JSONValue.object([
      "calls": .array(calls),
      "pictures": .array(pictures.compactMap { JSONValue.parse(Data($0.utf8)) }),
    ]).canonical
  }
}

/// A store problem, in words for the call-taker or the command line.
public struct IncidentStoreError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// Opening a store from `--store`.
public enum IncidentStores {
  /// Whether this build has the PostgreSQL store (the `Postgres` trait).
  public static var hasPostgres: Bool {
    #if Postgres
    true
    #else
    false
    #endif
  }

  /// Whether `location` names a PostgreSQL server rather than a SQLite file.
  public static func isPostgres(_ location: String) -> Bool {
    location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
  }

  /// Opens (creating and migrating as needed) the store at `location`: a SQLite file path or
  /// a `postgres://USER[:PASSWORD]@HOST:PORT/DB` URL.
  public static func open(_ location: String) throws -> any IncidentStore {
    if isPostgres(location) {
      #if Postgres
      return try PostgresIncidentStore(url: location)
      #else
      throw IncidentStoreError(
        "this callscript was built without the PostgreSQL store; build it with "
          + "'swift build --traits Postgres' (see the README)")
      #endif
    }
    return try SQLiteIncidentStore(path: location)
  }
}

/// What one store transaction can do; ``IncidentUpdate`` holds the rule that uses it, so both
/// stores save alike.
protocol IncidentTransaction {
  /// The stored call's events and incident, if the call is stored.
  func storedCall(_ callID: String) throws -> (events: Int, incident: String)?
  func putCall(_ call: IncidentCall, body: String) throws
  func calls(incident: String) throws -> [IncidentCall]
  func putIncident(_ picture: IncidentPicture, body: String) throws
  func deleteIncident(_ incidentID: String) throws
}

/// The one rule for saving a call.
enum IncidentUpdate {
  static func save(_ given: IncidentCall, in transaction: some IncidentTransaction) throws
    -> IncidentPicture
  {
    // Stored as JSON: keep exactly what a reader gets back (times to the millisecond).
    let body = given.json.canonical
    guard let call = JSONValue.parse(Data(body.utf8)).flatMap(IncidentCall.init(json:)) else {
      throw IncidentStoreError("call \(given.callID) cannot be stored")
    }
    var touched = [call.incidentID]
    if let stored = try transaction.storedCall(call.callID) {
      if stored.events > call.events {
        return IncidentPicture.merge(
          incidentID: stored.incident, calls: try transaction.calls(incident: stored.incident))
      }
      if stored.incident != call.incidentID { touched.append(stored.incident) }
    }
    try transaction.putCall(call, body: body)
    var result: IncidentPicture?
    for incident in touched {
      let calls = try transaction.calls(incident: incident)
      if calls.isEmpty {
        try transaction.deleteIncident(incident)
        continue
      }
      let picture = IncidentPicture.merge(incidentID: incident, calls: calls)
      try transaction.putIncident(picture, body: picture.json.canonical)
      if result == nil { result = picture }
    }
    return result ?? IncidentPicture.merge(incidentID: call.incidentID, calls: [call])
  }
}

/// The calls a store has read, by id with their number of events: a call's JSON is read and
/// parsed again only when it changed, so a save on an incident of hundreds of calls reads
/// only what other positions changed since.
// @unchecked Sendable: every access goes through the lock.
final class CallCache: @unchecked Sendable {
  let lock = NSLock()
  var calls: [String: IncidentCall] = [:]

  /// The calls of `rows` (ids and events, in order), reading with `fetch` the JSON of those
  /// not read before or changed since.
  func calls(
    _ rows: [(id: String, events: Int)], fetch: ([String]) throws -> [String]
  ) throws -> [IncidentCall] {
    let missing = lock.withLock { rows.filter { calls[$0.id]?.events != $0.events }.map(\.id) }
    var fetched: [IncidentCall] = []
    if !missing.isEmpty {
      fetched = try fetch(missing).compactMap {
        JSONValue.parse(Data($0.utf8)).flatMap(IncidentCall.init(json:))
      }
    }
    return lock.withLock {
      for call in fetched { calls[call.callID] = call }
      return rows.compactMap { calls[$0.id] }
    }
  }

  func removeAll() { lock.withLock { calls = [:] } }
}

/// Milliseconds since 1970, as the stores keep times for comparisons.
func milliseconds(_ date: Date) -> Int64 {
  Int64((date.timeIntervalSince1970 * 1000).rounded())
}
