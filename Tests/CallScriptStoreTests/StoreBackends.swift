import CallScript
import CallScriptStore
import Foundation

/// The stores every store test runs against: SQLite always; PostgreSQL when
/// `CALLSCRIPT_TEST_POSTGRES` names a server (`postgres://USER@HOST:PORT/DB`, as `.ci/run`
/// sets it) and the build has the `Postgres` trait.
enum StoreBackend: String, CustomStringConvertible, Sendable {
  case sqlite, postgres

  var description: String { rawValue }

  /// The server for PostgreSQL tests, if one is given.
  static var postgresURL: String? {
    ProcessInfo.processInfo.environment["CALLSCRIPT_TEST_POSTGRES"].flatMap {
      $0.isEmpty ? nil : $0
    }
  }

  /// Whether the PostgreSQL tests run here.
  static var postgresAvailable: Bool { postgresURL != nil && IncidentStores.hasPostgres }

  static let skipMessage =
    "PostgreSQL store tests skipped: set CALLSCRIPT_TEST_POSTGRES=postgres://USER@HOST:PORT/DB "
    + "and build with --traits Postgres (.ci/run does both)"

  static var available: [StoreBackend] { postgresAvailable ? [.sqlite, .postgres] : [.sqlite] }

  /// A store of this kind, empty: a new SQLite file, or the test server emptied.
  func emptyStore() throws -> (any IncidentStore, location: String) {
    let location = try self.location()
    let store = try IncidentStores.open(location)
    try store.removeAll()
    return (store, location)
  }

  /// Where a new store of this kind is: a new temporary SQLite file, or the test server.
  func location() throws -> String {
    switch self {
    case .sqlite:
      let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("callscript-store-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      return folder.appendingPathComponent("incidents.sqlite").path
    case .postgres:
      guard let url = Self.postgresURL else { throw IncidentStoreError(Self.skipMessage) }
      return url
    }
  }
}

/// Incident calls for store tests, on the built-in protocol.
enum StoreTestCalls {
  static let epoch = Date(timeIntervalSince1970: 1_767_225_600)

  /// A call at `place` with `answers` (question id and value), `startOffset` seconds after
  /// the epoch, optionally linked to `incident`.
  static func call(
    _ id: String, place: String = "Lincoln High School", startOffset: Double = 0,
    answers: [(String, FactValue)] = [], link incident: String? = nil, position: String = "p1"
  ) throws -> IncidentCall {
    guard let callProtocol = BuiltInProtocol.compile().protocolValue else {
      throw IncidentStoreError("the built-in protocol does not compile")
    }
    var session = Session(callProtocol: callProtocol)
    var time = 0.0
    var events: [SessionEvent] = [
      .answer(question: "location", value: .text(place)),
      .answer(question: "what_happening", value: .option("shooting")),
    ]
    events += answers.map { SessionEvent.answer(question: $0.0, value: $0.1) }
    if let incident { events.append(.link(incident: incident)) }
    for event in events {
      time += 5
      _ = try session.apply(event, at: time).get()
    }
    let context = CallContext(
      callID: id, startedAt: epoch.addingTimeInterval(startOffset),
      agencyID: "psap.example-county.example.us", agentID: position)
    return IncidentCall(session: session, context: context)
  }
}
