#if Server
import CallScript
import CallScriptStore
import Foundation
import Testing

@testable import CallScriptServer

@Suite("The server's incidents between two reads (bounded, incremental)")
struct IncidentTrackerTests {
  static let epoch = Date(timeIntervalSince1970: 1_767_225_600)

  static func call(
    _ id: String, at offset: Double, ended: Bool = true, link: String? = nil,
    attacker: String = "hallway"
  ) throws -> IncidentCall {
    try makeCall(
      id: id, start: epoch.addingTimeInterval(offset),
      answers: [
        ("location", .text("Lincoln High School, 4500 North Avenue"), 5),
        ("what_happening", .option("shooting"), 10),
        ("attacker_location", .text(attacker), 20),
      ],
      events: link.map { [SessionEvent.link(incident: $0)] } ?? [], ended: ended)
  }

  @Test("open incidents are all kept, ended ones only the most recent few")
  func bounded() throws {
    var tracker = IncidentFeed.Tracker()
    var calls = [try Self.call("open-0", at: 0, ended: false)]
    for n in 1...100 { calls.append(try Self.call("ended-\(n)", at: Double(n))) }
    tracker.apply(CallChanges(stamp: 1, calls: calls, complete: true)) { _ in [] }
    let now = Self.epoch.addingTimeInterval(200)
    let feed = tracker.feed(airings: [], now: now)
    #expect(tracker.incidentCount == IncidentFeed.keepEndedCount + 1)
    #expect(tracker.callCount == IncidentFeed.keepEndedCount + 1)
    #expect(feed.eidos.count == IncidentFeed.keepEndedCount + 1)
    #expect(feed.eidos["INC-open-0"] != nil)
    #expect(feed.eidos["INC-ended-100"] != nil)
    #expect(feed.eidos["INC-ended-1"] == nil)
    // An hour later only the open one is left.
    _ = tracker.feed(airings: [], now: now.addingTimeInterval(IncidentFeed.keepEnded + 1))
    #expect(tracker.incidentCount == 1)
  }

  @Test("changes applied one by one give the feed of everything read at once")
  func incrementalEqualsFull() throws {
    let first = [
      try Self.call("a", at: 0, ended: false), try Self.call("b", at: 10, ended: false),
      try Self.call("c", at: 20, ended: false),
    ]
    var tracker = IncidentFeed.Tracker()
    var loads: [String] = []
    tracker.apply(CallChanges(stamp: 3, calls: first, complete: true)) { _ in [] }
    // b joins a's incident, c moves on, d is new.
    let changed = [
      try Self.call("b", at: 10, ended: false, link: "INC-a"),
      try Self.call("c", at: 20, ended: false, attacker: "gym"),
      try Self.call("d", at: 30, ended: false),
    ]
    tracker.apply(CallChanges(stamp: 6, calls: changed, complete: false)) { id in
      loads.append(id)
      return changed.filter { $0.incidentID == id }
    }
    #expect(loads == ["INC-d"])
    let now = Self.epoch.addingTimeInterval(60)
    let all = [first[0]] + changed
    let full = IncidentFeed(calls: all, airings: [], now: now)
    let incremental = tracker.feed(airings: [], now: now)
    #expect(incremental.eidos == full.eidos)
    #expect(incremental.board == full.board)
    #expect(incremental.eidos["INC-b"] == nil)
    #expect(tracker.latest == all.map(\.updatedAt).max())
  }

  @Test("a call of an incident let go brings all its calls back from the store")
  func letGoReadAgain() throws {
    var calls: [IncidentCall] = []
    for n in 0...IncidentFeed.keepEndedCount { calls.append(try Self.call("x\(n)", at: Double(n))) }
    let older = try Self.call("x0b", at: -5, link: "INC-x0")
    calls.append(older)
    var tracker = IncidentFeed.Tracker()
    tracker.apply(CallChanges(stamp: 1, calls: calls, complete: true)) { _ in [] }
    _ = tracker.feed(airings: [], now: Self.epoch.addingTimeInterval(100))
    #expect(tracker.callCount == IncidentFeed.keepEndedCount)
    let again = try Self.call("x0", at: 0, ended: false)
    var loads: [String] = []
    tracker.apply(CallChanges(stamp: 2, calls: [again], complete: false)) { id in
      loads.append(id)
      return [again, older]
    }
    let feed = tracker.feed(airings: [], now: Self.epoch.addingTimeInterval(100))
    #expect(loads == ["INC-x0"])
    let board = feed.board["incidents"]?.array ?? []
    let x0 = board.first { $0["id"]?.string == "INC-x0" }
    #expect(x0?["calls"]?.array?.count == 2)
    #expect(x0?["open"]?.bool == true)
  }
}
#endif
