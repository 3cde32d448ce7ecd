import CallScript
import CallScriptStore
import Dispatch
import Foundation
import Testing

/// One suite, run against every store (serialized: the PostgreSQL tests share one server).
@Suite("Incident store (SQLite, PostgreSQL)", .serialized)
struct IncidentStoreTests {
  @Test(
    "a saved call is read back, its incident listed with its picture",
    arguments: StoreBackend.available)
  func saveAndRead(_ backend: StoreBackend) throws {
    let (store, _) = try backend.emptyStore()
    defer { store.close() }
    #expect(store.schemaVersion == 2)
    let call = try StoreTestCalls.call(
      "call-a", answers: [("attacker_count", .count(low: 1, high: 1))])
    let picture = try store.save(call)
    #expect(picture.incidentID == "INC-call-a")
    #expect(try store.calls(incident: "INC-call-a").map(\.json) == [call.json])
    #expect(try store.incidents().map(\.incidentID) == ["INC-call-a"])
    #expect(try store.picture("INC-call-a")?.fact(.suspectCount)?.latest.text == "1")
    #expect(try store.picture("INC-none") == nil)
  }

  @Test(
    "a link moves the call: both incidents' pictures follow, unlink moves it back",
    arguments: StoreBackend.available)
  func linkMovesCall(_ backend: StoreBackend) throws {
    let (store, _) = try backend.emptyStore()
    defer { store.close() }
    _ = try store.save(try StoreTestCalls.call("call-a"))
    _ = try store.save(try StoreTestCalls.call("call-b", startOffset: 30))
    #expect(try store.incidents().count == 2)
    let linked = try store.save(
      try StoreTestCalls.call("call-b", startOffset: 30, link: "INC-call-a"))
    #expect(linked.callers.map(\.callID) == ["call-a", "call-b"])
    #expect(try store.incidents().map(\.incidentID) == ["INC-call-a"])
    #expect(try store.storedPictures().keys.sorted() == ["INC-call-a"])
    // Unlinked (one event more): back on its own.
    var unlinked = try StoreTestCalls.call("call-b", startOffset: 30)
    unlinked.events = 4
    _ = try store.save(unlinked)
    #expect(try store.calls(incident: "INC-call-a").map(\.callID) == ["call-a"])
    #expect(try store.incidents().count == 2)
  }

  @Test("a save with fewer events than stored is ignored", arguments: StoreBackend.available)
  func staleSaveIgnored(_ backend: StoreBackend) throws {
    let (store, _) = try backend.emptyStore()
    defer { store.close() }
    let newer = try StoreTestCalls.call(
      "call-a", answers: [("attacker_count", .count(low: 2, high: 2))])
    _ = try store.save(newer)
    _ = try store.save(try StoreTestCalls.call("call-a"))
    #expect(try store.calls(incident: "INC-call-a").first?.events == newer.events)
  }

  @Test(
    "candidates: the same place within the window, not another place or time",
    arguments: StoreBackend.available)
  func candidates(_ backend: StoreBackend) throws {
    let (store, _) = try backend.emptyStore()
    defer { store.close() }
    _ = try store.save(try StoreTestCalls.call("call-a", place: "Lincoln High School"))
    _ = try store.save(try StoreTestCalls.call("call-x", place: "Pulse Nightclub"))
    let key = IncidentPlace.key("lincoln HS")
    let at = StoreTestCalls.epoch.addingTimeInterval(600)
    #expect(
      try store.candidates(placeKey: key, at: at, window: 3600).map(\.incidentID) == ["INC-call-a"])
    let late = StoreTestCalls.epoch.addingTimeInterval(7200)
    #expect(try store.candidates(placeKey: key, at: late, window: 3600).isEmpty)
    #expect(try store.candidates(placeKey: "nowhere", at: at, window: 3600).isEmpty)
  }

  @Test("the store rebuilt in another order equals the first", arguments: StoreBackend.available)
  func rebuildEquality(_ backend: StoreBackend) throws {
    let calls = [
      try StoreTestCalls.call("call-a", answers: [("attacker_count", .count(low: 1, high: 1))]),
      try StoreTestCalls.call(
        "call-b", startOffset: 20, answers: [("attacker_count", .count(low: 2, high: 2))],
        link: "INC-call-a"),
      try StoreTestCalls.call("call-c", place: "Pulse Nightclub", startOffset: 40),
    ]
    let (store, _) = try backend.emptyStore()
    defer { store.close() }
    for call in calls { _ = try store.save(call) }
    let live = try store.dump()
    try store.removeAll()
    for call in calls.reversed() { _ = try store.save(call) }
    #expect(try store.dump() == live)
    #expect(live.contains("Callers disagree on attackers"))
  }

  @Test("opening again applies no migration twice", arguments: StoreBackend.available)
  func reopen(_ backend: StoreBackend) throws {
    let (store, location) = try backend.emptyStore()
    _ = try store.save(try StoreTestCalls.call("call-a"))
    store.close()
    let again = try IncidentStores.open(location)
    defer { again.close() }
    #expect(again.schemaVersion == 2)
    #expect(try again.incidents().count == 1)
  }

  @Test("8 writers at once on one incident: no lost update", arguments: StoreBackend.available)
  func concurrentWriters(_ backend: StoreBackend) throws {
    let (store, location) = try backend.emptyStore()
    defer { store.close() }
    _ = try store.save(try StoreTestCalls.call("call-0"))
    let writers = 8
    let perWriter = 5
    let failures = FailureList()
    DispatchQueue.concurrentPerform(iterations: writers) { writer in
      do {
        let own = try IncidentStores.open(location)
        defer { own.close() }
        for index in 0..<perWriter {
          _ = try own.save(
            try StoreTestCalls.call(
              "call-\(writer)-\(index)", startOffset: Double(writer * 10 + index),
              answers: [("attacker_count", .count(low: 1, high: 1))], link: "INC-call-0",
              position: "p\(writer)"))
        }
      } catch {
        failures.add("\(error)")
      }
    }
    #expect(failures.items.isEmpty)
    let picture = try #require(try store.picture("INC-call-0"))
    #expect(picture.callers.count == writers * perWriter + 1)
    #expect(picture.fact(.suspectCount)?.agreeing == writers * perWriter)
    // The picture stored by the last writer's transaction has every call too.
    let stored = try #require(try store.storedPictures()["INC-call-0"])
    #expect(stored == picture.json.canonical)
  }

  @Test("8 positions opening a new store at once: each migration applied once")
  func concurrentFirstOpen() throws {
    let location = try StoreBackend.sqlite.location()
    let failures = FailureList()
    DispatchQueue.concurrentPerform(iterations: 8) { position in
      do {
        let store = try IncidentStores.open(location)
        defer { store.close() }
        _ = try store.save(try StoreTestCalls.call("call-\(position)"))
      } catch {
        failures.add("\(error)")
      }
    }
    #expect(failures.items.isEmpty)
    let store = try IncidentStores.open(location)
    defer { store.close() }
    #expect(store.schemaVersion == 2)
    #expect(try store.allCalls().count == 8)
  }

  @Test(
    "PostgreSQL: CI runs these tests against a real server",
    .enabled(if: ProcessInfo.processInfo.environment["CALLSCRIPT_REQUIRE_POSTGRES"] == "1"))
  func postgresRequired() {
    #expect(StoreBackend.postgresAvailable, "\(StoreBackend.skipMessage)")
  }

  @Test(
    "PostgreSQL store tests",
    .disabled(if: !StoreBackend.postgresAvailable, "\(StoreBackend.skipMessage)"))
  func postgresRuns() throws {
    let (store, _) = try StoreBackend.postgres.emptyStore()
    defer { store.close() }
    #expect(store.schemaVersion == 2)
  }

  @Test("a PostgreSQL URL in a build without the trait says how to build it")
  func postgresWithoutTrait() {
    guard !IncidentStores.hasPostgres else { return }
    #expect(throws: IncidentStoreError.self) {
      try IncidentStores.open("postgres://nobody@127.0.0.1:1/none")
    }
  }
}

/// Errors collected from concurrent writers.
// @unchecked Sendable: every access goes through the lock.
final class FailureList: @unchecked Sendable {
  let lock = NSLock()
  var storage: [String] = []

  func add(_ item: String) { lock.withLock { storage.append(item) } }
  var items: [String] { lock.withLock { storage } }
}
