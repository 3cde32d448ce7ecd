import CallScript
import Foundation
import GRDB

/// The incident store in one SQLite file (WAL mode), through GRDB: the default, nothing to install.
///
/// Several `take` processes on one machine share it; each write is an `IMMEDIATE` transaction,
/// so writers queue (with a 30 s busy timeout) and readers never block.
public final class SQLiteIncidentStore: IncidentStore {
  let pool: DatabasePool
  public let schemaVersion: Int

  /// The versioned migrations, applied in order on opening; never edit one that shipped.
  static let migrations: [(version: Int, name: String, sql: String)] = [
    (
      1, "calls-and-incidents",
      """
      CREATE TABLE calls (
        call_id TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        place_key TEXT,
        started_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        events INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX calls_incident ON calls(incident_id);
      CREATE TABLE incidents (
        incident_id TEXT PRIMARY KEY,
        place TEXT,
        place_key TEXT,
        determinant TEXT,
        call_count INTEGER NOT NULL,
        opened_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        picture TEXT NOT NULL
      );
      CREATE INDEX incidents_place ON incidents(place_key, updated_ms);
      """
    ),
    (
      2, "relay-airings",
      """
      CREATE TABLE airings (
        call_id TEXT NOT NULL,
        relay_id TEXT NOT NULL,
        text TEXT NOT NULL,
        aired_ms INTEGER NOT NULL,
        aired_by TEXT NOT NULL,
        PRIMARY KEY (call_id, relay_id)
      );
      CREATE TABLE changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
      INSERT INTO changes (id, n) VALUES (1, 0);
      CREATE TRIGGER calls_changed_insert AFTER INSERT ON calls
        BEGIN UPDATE changes SET n = n + 1; END;
      CREATE TRIGGER calls_changed_update AFTER UPDATE ON calls
        BEGIN UPDATE changes SET n = n + 1; END;
      CREATE TRIGGER calls_changed_delete AFTER DELETE ON calls
        BEGIN UPDATE changes SET n = n + 1; END;
      CREATE TRIGGER airings_changed_insert AFTER INSERT ON airings
        BEGIN UPDATE changes SET n = n + 1; END;
      CREATE TRIGGER airings_changed_delete AFTER DELETE ON airings
        BEGIN UPDATE changes SET n = n + 1; END;
      """
    ),
    (
      // Each call row carries the change number of its last save, so a watcher reads only the
      // calls saved since it last looked; `cleared_n` tells it the store was emptied since.
      3, "calls-change-order",
      """
      ALTER TABLE calls ADD COLUMN change_n INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX calls_change ON calls(change_n);
      ALTER TABLE changes ADD COLUMN cleared_n INTEGER NOT NULL DEFAULT 0;
      DROP TRIGGER calls_changed_delete;
      CREATE TRIGGER calls_changed_delete AFTER DELETE ON calls
        BEGIN UPDATE changes SET n = n + 1, cleared_n = n + 1; END;
      """
    ),
  ]

  /// Applies the migrations not yet applied, in one `IMMEDIATE` transaction: several
  /// positions opening a new store at once apply each exactly once.
  static func migrate(_ pool: DatabasePool) throws -> Int {
    try pool.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        try db.execute(
          sql: """
            CREATE TABLE IF NOT EXISTS callscript_migrations (
              version INTEGER PRIMARY KEY, name TEXT NOT NULL)
            """)
        let applied = Set(try Int.fetchAll(db, sql: "SELECT version FROM callscript_migrations"))
        for migration in migrations where !applied.contains(migration.version) {
          try db.execute(sql: migration.sql)
          try db.execute(
            sql: "INSERT INTO callscript_migrations (version, name) VALUES (?, ?)",
            arguments: [migration.version, migration.name])
        }
        return .commit
      }
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM callscript_migrations") ?? 0
    }
  }

  /// Opens the pool, trying again for up to 10 s when the file is locked.
  ///
  /// Positions that open a new file at the same moment race to switch it to WAL, and SQLite
  /// answers the losers "database is locked" without waiting for the busy timeout.
  static func open(path: String, configuration: Configuration) throws -> DatabasePool {
    var attempts = 0
    while true {
      do {
        return try DatabasePool(path: path, configuration: configuration)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempts < 100 {
        attempts += 1
        usleep(100_000)
      }
    }
  }

  /// Opens the file at `path`, creating it and its folder, and migrates it.
  public init(path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty {
      try? FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(30)
    configuration.label = "callscript.incidents"
    do {
      pool = try Self.open(path: path, configuration: configuration)
      schemaVersion = try Self.migrate(pool)
    } catch {
      throw IncidentStoreError("\(path): cannot open the incident store: \(error)")
    }
  }

  let cache = CallCache()

  struct Transaction: IncidentTransaction {
    let db: Database
    let cache: CallCache

    func storedCall(_ callID: String) throws -> (events: Int, incident: String)? {
      try Row.fetchOne(
        db, sql: "SELECT events, incident_id FROM calls WHERE call_id = ?", arguments: [callID]
      ).map { ($0["events"], $0["incident_id"]) }
    }

    func putCall(_ call: IncidentCall, body: String) throws {
      try db.execute(
        sql: """
          INSERT INTO calls (call_id, incident_id, place_key, started_ms, updated_ms, events, body,
            change_n)
          VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT n FROM changes) + 1)
          ON CONFLICT(call_id) DO UPDATE SET incident_id = excluded.incident_id,
            place_key = excluded.place_key, updated_ms = excluded.updated_ms,
            events = excluded.events, body = excluded.body, change_n = excluded.change_n
          """,
        arguments: [
          call.callID, call.incidentID, call.placeKey, milliseconds(call.startedAt),
          milliseconds(call.updatedAt), call.events, body,
        ])
    }

    func calls(incident: String) throws -> [IncidentCall] {
      let rows = try Row.fetchAll(
        db,
        sql: "SELECT call_id, events FROM calls WHERE incident_id = ? ORDER BY started_ms, call_id",
        arguments: [incident]
      ).map { (id: $0["call_id"] as String, events: $0["events"] as Int) }
      return try cache.calls(rows) { ids in
        try String.fetchAll(
          db,
          sql:
            "SELECT body FROM calls WHERE call_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
          arguments: StatementArguments(ids))
      }
    }

    func putIncident(_ picture: IncidentPicture, body: String) throws {
      try db.execute(
        sql: """
          INSERT INTO incidents (incident_id, place, place_key, determinant, call_count,
            opened_ms, updated_ms, picture)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT(incident_id) DO UPDATE SET place = excluded.place,
            place_key = excluded.place_key, determinant = excluded.determinant,
            call_count = excluded.call_count, opened_ms = excluded.opened_ms,
            updated_ms = excluded.updated_ms, picture = excluded.picture
          """,
        arguments: [
          picture.incidentID, picture.place, picture.placeKey, picture.determinant?.code,
          picture.callers.count, milliseconds(picture.openedAt), milliseconds(picture.updatedAt),
          body,
        ])
    }

    func deleteIncident(_ incidentID: String) throws {
      try db.execute(sql: "DELETE FROM incidents WHERE incident_id = ?", arguments: [incidentID])
    }
  }

  static func call(from body: String) -> IncidentCall? {
    JSONValue.parse(Data(body.utf8)).flatMap(IncidentCall.init(json:))
  }

  public func save(_ call: IncidentCall) throws -> IncidentPicture {
    try pool.writeWithoutTransaction { db in
      var picture: IncidentPicture?
      try db.inTransaction(.immediate) {
        picture = try IncidentUpdate.save(call, in: Transaction(db: db, cache: cache))
        return .commit
      }
      guard let picture else { throw IncidentStoreError("call \(call.callID) was not saved") }
      return picture
    }
  }

  public func calls(incident: String) throws -> [IncidentCall] {
    try pool.read { db in try Transaction(db: db, cache: cache).calls(incident: incident) }
  }

  public func incidents() throws -> [IncidentSummary] {
    try summaries("SELECT picture FROM incidents ORDER BY updated_ms DESC, incident_id", [])
  }

  public func candidates(placeKey: String, at: Date, window: TimeInterval) throws
    -> [IncidentSummary]
  {
    try summaries(
      """
      SELECT picture FROM incidents WHERE place_key = ? AND updated_ms >= ? AND opened_ms <= ?
      ORDER BY updated_ms DESC, incident_id
      """,
      [placeKey, milliseconds(at) - Int64(window * 1000), milliseconds(at) + Int64(window * 1000)])
  }

  func summaries(_ sql: String, _ arguments: StatementArguments) throws -> [IncidentSummary] {
    try pool.read { db in
      try String.fetchAll(db, sql: sql, arguments: arguments).compactMap(
        IncidentSummary.init(pictureJSON:))
    }
  }

  public func allCalls() throws -> [IncidentCall] {
    try pool.read { db in
      try String.fetchAll(db, sql: "SELECT body FROM calls ORDER BY call_id").compactMap(
        Self.call(from:))
    }
  }

  public func storedPictures() throws -> [String: String] {
    try pool.read { db in
      var pictures: [String: String] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT incident_id, picture FROM incidents") {
        pictures[row["incident_id"]] = row["picture"]
      }
      return pictures
    }
  }

  public func removeAll() throws {
    cache.removeAll()
    try pool.write { db in
      try db.execute(sql: "DELETE FROM calls; DELETE FROM incidents;")
    }
  }

  public func close() {
    try? pool.close()
  }

  public func changeStamp() throws -> String {
    try pool.read { db in "\(try Int64.fetchOne(db, sql: "SELECT n FROM changes") ?? 0)" }
  }

  // The insert or update of a call raises `changes.n` by one (trigger) and takes the new value
  // as its `change_n`; writes are serialised, so a snapshot holding `n` holds every call saved
  // up to it.
  public func callsChanged(since stamp: Int64?) throws -> CallChanges {
    try pool.read { db in
      let row = try Row.fetchOne(db, sql: "SELECT n, cleared_n FROM changes")
      let now: Int64 = row?["n"] ?? 0
      let cleared: Int64 = row?["cleared_n"] ?? 0
      let complete = stamp.map { cleared > $0 || $0 > now } ?? true
      let bodies =
        complete
        ? try String.fetchAll(db, sql: "SELECT body FROM calls")
        : try String.fetchAll(
          db, sql: "SELECT body FROM calls WHERE change_n > ?", arguments: [stamp ?? 0])
      return CallChanges(
        stamp: now, calls: bodies.compactMap(Self.call(from:)), complete: complete)
    }
  }

  public func requestAiring(_ airing: AiringRequest) throws -> Bool {
    try pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO airings (call_id, relay_id, text, aired_ms, aired_by) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(call_id, relay_id) DO NOTHING
          """,
        arguments: [
          airing.callID, airing.relayID, airing.text, milliseconds(airing.at), airing.by,
        ])
      return db.changesCount > 0
    }
  }

  public func pendingAirings(callID: String?) throws -> [AiringRequest] {
    try pool.read { db in
      let sql = "SELECT call_id, relay_id, text, aired_ms, aired_by FROM airings"
      let rows =
        try callID.map {
          try Row.fetchAll(db, sql: sql + " WHERE call_id = ? ORDER BY aired_ms", arguments: [$0])
        } ?? Row.fetchAll(db, sql: sql + " ORDER BY aired_ms, call_id, relay_id")
      return rows.map {
        AiringRequest(
          callID: $0["call_id"], relayID: $0["relay_id"], text: $0["text"],
          at: Date(timeIntervalSince1970: Double($0["aired_ms"] as Int64) / 1000),
          by: $0["aired_by"])
      }
    }
  }

  public func removeAiring(callID: String, relayID: String) throws {
    try pool.write { db in
      try db.execute(
        sql: "DELETE FROM airings WHERE call_id = ? AND relay_id = ?",
        arguments: [callID, relayID])
    }
  }
}
