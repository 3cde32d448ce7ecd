import CallScript
import CallScriptStore
import Foundation

/// The store as the server sees it: read on one thread of its own (the store API blocks, and
/// must never block the server's task threads), watched for changes, and written to only to
/// record airings.
///
/// `publish` is called on that thread with every new feed; requests made from elsewhere are
/// queued and run there in order.
// @unchecked Sendable: `store`, `stamp` and `lastFeedText` are only touched on the watch
// thread; `queue` and `stopped` go through the lock.
public final class StoreWatch: @unchecked Sendable {
  let location: String
  let interval: TimeInterval
  let simulatedClock: Bool
  let publish: @Sendable (IncidentFeed) -> Void
  let lock = NSLock()
  var queue: [@Sendable (any IncidentStore) -> Void] = []
  var stopped = false
  let wake = DispatchSemaphore(value: 0)
  var store: (any IncidentStore)?
  var stamp: String?
  /// The last problem reading the store, said once.
  var problem: String?
  let report: @Sendable (String) -> Void

  /// Watches the store at `location`, reading it again every `interval` seconds when it changed.
  public init(
    location: String, interval: TimeInterval = 0.05, simulatedClock: Bool,
    report: @escaping @Sendable (String) -> Void,
    publish: @escaping @Sendable (IncidentFeed) -> Void
  ) {
    self.location = location
    self.interval = interval
    self.simulatedClock = simulatedClock
    self.report = report
    self.publish = publish
  }

  /// Opens the store (so a bad `--store` fails before the server listens) and starts watching.
  public func start() throws {
    store = try IncidentStores.open(location)
    let thread = Thread { [self] in run() }
    thread.name = "callscript-store-watch"
    thread.start()
  }

  public func stop() {
    lock.withLock { stopped = true }
    wake.signal()
  }

  /// Runs `work` on the watch thread with the store; the feed is read again right after.
  public func perform(_ work: @escaping @Sendable (any IncidentStore) -> Void) {
    lock.withLock { queue.append(work) }
    wake.signal()
  }

  func run() {
    while true {
      let (work, done) = lock.withLock {
        let taken = queue
        queue = []
        return (taken, stopped)
      }
      if done { break }
      guard let store else { break }
      for item in work { item(store) }
      read(store, force: !work.isEmpty)
      _ = wake.wait(timeout: .now() + interval)
    }
    store?.close()
  }

  func read(_ store: any IncidentStore, force: Bool) {
    do {
      let current = try store.changeStamp()
      guard force || current != stamp else { return }
      stamp = current
      let calls = try store.allCalls()
      let airings = try store.pendingAirings(callID: nil)
      let now =
        simulatedClock ? (calls.map(\.updatedAt).max() ?? Date(timeIntervalSince1970: 0)) : Date()
      publish(IncidentFeed(calls: calls, airings: airings, now: now))
      if problem != nil {
        problem = nil
        report("the incident store is readable again")
      }
    } catch {
      let message = "cannot read the incident store: \(error)"
      if message != problem { report(message) }
      problem = message
      stamp = nil
    }
  }
}
