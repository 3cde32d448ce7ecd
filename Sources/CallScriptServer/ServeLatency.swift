#if Server
import CallScript
import CallScriptStore
import Foundation
import HummingbirdWSClient
import Logging

/// Change → notification latency of `callscript serve` (`callscript-bench --serve`).
///
/// Starts the server on a loopback port over a new SQLite store, connects `subscribers`
/// STA-024 clients subscribed to one incident, then saves `changes` updates of a call through
/// another store connection, as a `take` process does. For each change and subscriber: the
/// time from the start of the save to the arrival of the notification. One change at a time
/// (the next once every subscriber has been told, or after 2 s), at irregular intervals so the
/// store's polling is not in step with the writes.
public enum ServeLatency {
  public struct Result: Sendable {
    /// Milliseconds, one per notification received.
    public var latencies: [Double]
    /// Notifications not received within 2 s.
    public var missed: Int
  }

  /// Arrival times of the `event` messages, per subscriber.
  final class Arrivals: @unchecked Sendable {
    // @unchecked Sendable: every field goes through the lock.
    let lock = NSLock()
    var events: [[ContinuousClock.Instant]]
    var connected = 0
    init(_ count: Int) { events = Array(repeating: [], count: count) }
    func counts() -> [Int] { lock.withLock { events.map(\.count) } }
  }

  /// `update(k)` is the call after its k-th change (k from 0): each must change the incident.
  public static func measure(
    subscribers: Int, changes: Int, poll: Double = 0.05,
    update: @escaping @Sendable (Int) -> IncidentCall
  ) async throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "callscript-serve-latency-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let location = folder.appendingPathComponent("incidents.sqlite").path
    let writer = try IncidentStores.open(location)
    defer { writer.close() }
    let incident = try writer.save(update(0)).incidentID

    let ready = AsyncStream<Int>.makeStream()
    let server = Task {
      do {
        try await ConveyanceServer.run(
          .init(
            store: location, host: "127.0.0.1", port: 0, token: nil, simulatedClock: false,
            poll: poll),
          report: { _ in }, listening: { ready.continuation.yield($0) })
      } catch {
        ready.continuation.yield(-1)
      }
    }
    defer { server.cancel() }
    var port = -1
    for await given in ready.stream {
      port = given
      break
    }
    guard port > 0 else { throw IncidentStoreError("the server did not start") }

    let arrivals = Arrivals(subscribers)
    var logger = Logger(label: "callscript.bench.subscriber")
    logger.logLevel = .critical
    let subscribe =
      #"{"subscribe":{"requestId":"bench","requestType":"EIDO","requestSubType":"single","incidentId":"\#(incident)"}}"#
    var clients: [Task<Void, Never>] = []
    for index in 0..<subscribers {
      let quiet = logger
      clients.append(
        Task {
          _ = try? await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/sta024", configuration: .init(maxFrameSize: 16 << 20),
            logger: quiet
          ) { inbound, outbound, _ in
            try await outbound.write(.text(subscribe))
            for try await message in inbound.messages(maxSize: 16 << 20) {
              let at = ContinuousClock.now
              guard case .text(let text) = message, text.hasPrefix(#"{"event""#) else { continue }
              arrivals.lock.withLock { arrivals.events[index].append(at) }
            }
          }
        })
    }
    defer { for client in clients { client.cancel() } }
    // Every subscriber has its first notification (the current state).
    let deadline = ContinuousClock.now + .seconds(30)
    while arrivals.counts().contains(0) {
      guard ContinuousClock.now < deadline else {
        throw IncidentStoreError("not every subscriber was told the current state within 30 s")
      }
      try await Task.sleep(for: .milliseconds(10))
    }

    var result = Result(latencies: [], missed: 0)
    var generator = SystemRandomNumberGenerator()
    for k in 1...max(1, changes) {
      let before = arrivals.counts()
      let call = update(k)
      let start = ContinuousClock.now
      _ = try writer.save(call)
      let limit = start + .seconds(2)
      while ContinuousClock.now < limit, zip(arrivals.counts(), before).contains(where: <=) {
        try await Task.sleep(for: .milliseconds(1))
      }
      let seen = arrivals.lock.withLock { arrivals.events }
      for (index, events) in seen.enumerated() {
        if events.count > before[index] {
          let (seconds, attoseconds) = (events[before[index]] - start).components
          result.latencies.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
        } else {
          result.missed += 1
        }
      }
      try await Task.sleep(for: .milliseconds(Int.random(in: 20...120, using: &generator)))
    }
    return result
  }
}
#endif
