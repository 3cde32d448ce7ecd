#if Postgres
import CallScript
import Dispatch
import Foundation
import Logging
import PostgresNIO

/// The incident store on a PostgreSQL server, through postgres-nio: for a center with several positions or machines.
///
/// One connection per process; each save is one transaction that takes an advisory lock on the
/// incidents it touches, so positions on other incidents never wait and no update on one
/// incident is lost.
public final class PostgresIncidentStore: IncidentStore {
  let connection: PostgresConnection
  let logger: Logger
  let cache = CallCache()
  public private(set) var schemaVersion = 0

  /// The versioned migrations, applied in order on opening; never edit one that shipped.
  static let migrations: [(version: Int, name: String, sql: [String])] = [
    (
      1, "calls-and-incidents",
      [
        """
        CREATE TABLE calls (
          call_id TEXT PRIMARY KEY,
          incident_id TEXT NOT NULL,
          place_key TEXT,
          started_ms BIGINT NOT NULL,
          updated_ms BIGINT NOT NULL,
          events BIGINT NOT NULL,
          body TEXT NOT NULL
        )
        """,
        "CREATE INDEX calls_incident ON calls(incident_id)",
        """
        CREATE TABLE incidents (
          incident_id TEXT PRIMARY KEY,
          place TEXT,
          place_key TEXT,
          determinant TEXT,
          call_count BIGINT NOT NULL,
          opened_ms BIGINT NOT NULL,
          updated_ms BIGINT NOT NULL,
          picture TEXT NOT NULL
        )
        """,
        "CREATE INDEX incidents_place ON incidents(place_key, updated_ms)",
      ]
    ),
    (
      2, "relay-airings",
      [
        """
        CREATE TABLE airings (
          call_id TEXT NOT NULL,
          relay_id TEXT NOT NULL,
          text TEXT NOT NULL,
          aired_ms BIGINT NOT NULL,
          aired_by TEXT NOT NULL,
          PRIMARY KEY (call_id, relay_id)
        )
        """,
        "CREATE SEQUENCE changes",
      ]
    ),
  ]

  /// Connects to `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` and migrates the schema.
  public init(url: String) throws {
    guard let parts = URLComponents(string: url), let host = parts.host,
      let user = parts.user, !user.isEmpty
    else {
      throw IncidentStoreError(
        "\(url): not a PostgreSQL URL like postgres://USER@HOST:PORT/DB")
    }
    let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
    let configuration = PostgresConnection.Configuration(
      host: host, port: parts.port ?? 5432, username: user, password: parts.password,
      database: database.isEmpty ? nil : database, tls: .disable)
    let logger = Logger(label: "callscript.incidents")
    self.logger = logger
    do {
      connection = try blocking {
        try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
      }
    } catch {
      throw IncidentStoreError(
        "\(Self.redacted(url)): cannot connect: \(String(reflecting: error))")
    }
    try migrate()
  }

  /// The URL without its password, for messages.
  static func redacted(_ url: String) -> String {
    guard var parts = URLComponents(string: url), parts.password != nil else { return url }
    parts.password = "***"
    return parts.string ?? url
  }

  func run(_ query: PostgresQuery) throws {
    let connection = self.connection
    let logger = self.logger
    try blocking { try await connection.query(query, logger: logger) }
  }

  func strings(_ query: PostgresQuery) throws -> [String] {
    let connection = self.connection
    let logger = self.logger
    return try blocking {
      var result: [String] = []
      for try await value in try await connection.query(query, logger: logger).decode(String.self) {
        result.append(value)
      }
      return result
    }
  }

  func migrate() throws {
    try run("SELECT pg_advisory_lock(7120911)")
    defer { try? run("SELECT pg_advisory_unlock(7120911)") }
    try run(
      """
      CREATE TABLE IF NOT EXISTS callscript_migrations (
        version BIGINT PRIMARY KEY, name TEXT NOT NULL)
      """)
    let applied = Set(try strings("SELECT version::text FROM callscript_migrations"))
    for migration in Self.migrations where !applied.contains(String(migration.version)) {
      try run("BEGIN")
      do {
        for statement in migration.sql { try run(PostgresQuery(unsafeSQL: statement)) }
        try run(
          "INSERT INTO callscript_migrations (version, name) VALUES (\(migration.version), \(migration.name))"
        )
        try run("COMMIT")
      } catch {
        try? run("ROLLBACK")
        throw IncidentStoreError("cannot migrate the incident store: \(String(reflecting: error))")
      }
    }
    schemaVersion = Self.migrations.count
  }

  struct Transaction: IncidentTransaction {
    let store: PostgresIncidentStore

    func storedCall(_ callID: String) throws -> (events: Int, incident: String)? {
      let rows = try store.strings(
        "SELECT events::text || ' ' || incident_id FROM calls WHERE call_id = \(callID)")
      guard let row = rows.first, let space = row.firstIndex(of: " "),
        let events = Int(row[..<space])
      else { return nil }
      return (events, String(row[row.index(after: space)...]))
    }

    func putCall(_ call: IncidentCall, body: String) throws {
      try store.run(
        """
        INSERT INTO calls (call_id, incident_id, place_key, started_ms, updated_ms, events, body)
        VALUES (\(call.callID), \(call.incidentID), \(call.placeKey), \(milliseconds(call.startedAt)),
          \(milliseconds(call.updatedAt)), \(call.events), \(body))
        ON CONFLICT (call_id) DO UPDATE SET incident_id = excluded.incident_id,
          place_key = excluded.place_key, updated_ms = excluded.updated_ms,
          events = excluded.events, body = excluded.body
        """)
    }

    func calls(incident: String) throws -> [IncidentCall] {
      let rows = try store.strings(
        """
        SELECT events::text || ' ' || call_id FROM calls WHERE incident_id = \(incident)
        ORDER BY started_ms, call_id
        """
      ).compactMap { row -> (id: String, events: Int)? in
        guard let space = row.firstIndex(of: " "), let events = Int(row[..<space]) else {
          return nil
        }
        return (String(row[row.index(after: space)...]), events)
      }
      return try store.cache.calls(rows) { ids in
        try store.strings("SELECT body FROM calls WHERE call_id = ANY(\(ids))")
      }
    }

    func putIncident(_ picture: IncidentPicture, body: String) throws {
      try store.run(
        """
        INSERT INTO incidents (incident_id, place, place_key, determinant, call_count,
          opened_ms, updated_ms, picture)
        VALUES (\(picture.incidentID), \(picture.place), \(picture.placeKey),
          \(picture.determinant?.code), \(picture.callers.count), \(milliseconds(picture.openedAt)),
          \(milliseconds(picture.updatedAt)), \(body))
        ON CONFLICT (incident_id) DO UPDATE SET place = excluded.place,
          place_key = excluded.place_key, determinant = excluded.determinant,
          call_count = excluded.call_count, opened_ms = excluded.opened_ms,
          updated_ms = excluded.updated_ms, picture = excluded.picture
        """)
    }

    func deleteIncident(_ incidentID: String) throws {
      try store.run("DELETE FROM incidents WHERE incident_id = \(incidentID)")
    }
  }

  public func save(_ call: IncidentCall) throws -> IncidentPicture {
    try run("BEGIN")
    do {
      // Lock the incidents this save touches, in one order, for the transaction.
      var incidents = [call.incidentID]
      let transaction = Transaction(store: self)
      try run("SELECT pg_advisory_xact_lock(hashtext(\(call.callID)))")
      if let stored = try transaction.storedCall(call.callID), stored.incident != call.incidentID {
        incidents.append(stored.incident)
      }
      for incident in incidents.sorted() {
        try run("SELECT pg_advisory_xact_lock(hashtext(\(incident)))")
      }
      let picture = try IncidentUpdate.save(call, in: transaction)
      try run("COMMIT")
      // After the commit: a watcher that sees the new stamp reads the committed pictures.
      try bumpChanges()
      return picture
    } catch {
      try? run("ROLLBACK")
      throw error
    }
  }

  public func calls(incident: String) throws -> [IncidentCall] {
    try Transaction(store: self).calls(incident: incident)
  }

  public func incidents() throws -> [IncidentSummary] {
    try strings("SELECT picture FROM incidents ORDER BY updated_ms DESC, incident_id")
      .compactMap(IncidentSummary.init(pictureJSON:))
  }

  public func candidates(placeKey: String, at: Date, window: TimeInterval) throws
    -> [IncidentSummary]
  {
    let from = milliseconds(at) - Int64(window * 1000)
    let to = milliseconds(at) + Int64(window * 1000)
    return try strings(
      """
      SELECT picture FROM incidents WHERE place_key = \(placeKey) AND updated_ms >= \(from)
        AND opened_ms <= \(to) ORDER BY updated_ms DESC, incident_id
      """
    ).compactMap(IncidentSummary.init(pictureJSON:))
  }

  public func allCalls() throws -> [IncidentCall] {
    try strings("SELECT body FROM calls ORDER BY call_id").compactMap {
      JSONValue.parse(Data($0.utf8)).flatMap(IncidentCall.init(json:))
    }
  }

  public func storedPictures() throws -> [String: String] {
    var pictures: [String: String] = [:]
    for picture in try strings("SELECT picture FROM incidents") {
      if let id = JSONValue.parse(Data(picture.utf8))?["incident"]?.string {
        pictures[id] = picture
      }
    }
    return pictures
  }

  public func removeAll() throws {
    cache.removeAll()
    try run("BEGIN")
    try run("DELETE FROM calls")
    try run("DELETE FROM incidents")
    try run("COMMIT")
    try bumpChanges()
  }

  public func changeStamp() throws -> String {
    // Every save and airing takes a number from the sequence (nextval never rolls back).
    try strings("SELECT last_value::text || '/' || is_called::text FROM changes").first ?? ""
  }

  func bumpChanges() throws { try run("SELECT nextval('changes')") }

  public func requestAiring(_ airing: AiringRequest) throws -> Bool {
    let inserted = try strings(
      """
      INSERT INTO airings (call_id, relay_id, text, aired_ms, aired_by)
      VALUES (\(airing.callID), \(airing.relayID), \(airing.text), \(milliseconds(airing.at)),
        \(airing.by))
      ON CONFLICT (call_id, relay_id) DO NOTHING RETURNING call_id
      """)
    if !inserted.isEmpty { try bumpChanges() }
    return !inserted.isEmpty
  }

  public func pendingAirings(callID: String?) throws -> [AiringRequest] {
    let rows: [String]
    let select =
      "json_build_array(call_id, relay_id, text, aired_ms, aired_by)::text"
    if let callID {
      rows = try strings(
        "SELECT \(unescaped: select) FROM airings WHERE call_id = \(callID) ORDER BY aired_ms")
    } else {
      rows = try strings(
        "SELECT \(unescaped: select) FROM airings ORDER BY aired_ms, call_id, relay_id")
    }
    return rows.compactMap { row in
      guard let items = JSONValue.parse(Data(row.utf8))?.array, items.count == 5,
        let call = items[0].string, let relay = items[1].string, let text = items[2].string,
        let ms = items[3].number, let by = items[4].string
      else { return nil }
      return AiringRequest(
        callID: call, relayID: relay, text: text, at: Date(timeIntervalSince1970: ms / 1000),
        by: by)
    }
  }

  public func removeAiring(callID: String, relayID: String) throws {
    try run("DELETE FROM airings WHERE call_id = \(callID) AND relay_id = \(relayID)")
    try bumpChanges()
  }

  public func close() {
    let connection = self.connection
    try? blocking { try await connection.close() }
  }
}

/// The result of an async body, handed from its task to the waiting thread.
// @unchecked Sendable: written once by the task before the semaphore is signalled, read only
// after the wait returns; the semaphore orders the two.
final class Handoff<T>: @unchecked Sendable {
  var result: Result<T, any Error>?
}

/// Runs async work from synchronous code (the command line), waiting for it.
///
/// Never call it from async code: the store API is synchronous, like the call it serves.
@discardableResult
func blocking<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
  let handoff = Handoff<T>()
  let done = DispatchSemaphore(value: 0)
  Task {
    do { handoff.result = .success(try await body()) } catch { handoff.result = .failure(error) }
    done.signal()
  }
  done.wait()
  guard let result = handoff.result else {
    throw IncidentStoreError("the PostgreSQL request did not finish")
  }
  return try result.get()
}
#endif
