#if Server
import CallScript
import CallScriptStore
import Foundation

/// The server's live state: the STA-024 desk, the board's feed, and every open connection's
/// outgoing queue.
///
/// Each connection has its own bounded queue drained by its own task, so a slow subscriber
/// never holds up the others; when its queue is full the oldest messages go (every notification
/// carries the full EIDO, so the newest one is never partial).
actor ConveyanceHub {
  var desk: ConveyanceDesk
  var feed = IncidentFeed()
  var boardText = #"{"board":{"incidents":[]}}"#
  var connections: [Int: AsyncStream<String>.Continuation] = [:]
  var boards: Set<Int> = []
  var nextConnection = 1
  let started = ContinuousClock.now

  init() {
    desk = ConveyanceDesk(makeID: { UUID().uuidString.lowercased() })
  }

  /// Seconds since the server started: the desk's clock.
  var now: Double {
    let elapsed = ContinuousClock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }

  /// Opens a connection; its messages come out of the returned stream.
  func connect(board: Bool) -> (Int, AsyncStream<String>) {
    let id = nextConnection
    nextConnection += 1
    let (stream, continuation) = AsyncStream<String>.makeStream(
      bufferingPolicy: .bufferingNewest(256))
    connections[id] = continuation
    if board {
      boards.insert(id)
      continuation.yield(boardText)
    }
    return (id, stream)
  }

  func disconnect(_ id: Int) {
    connections[id]?.finish()
    connections[id] = nil
    boards.remove(id)
    desk.disconnected(id)
  }

  func send(_ text: String, to connection: Int) {
    connections[connection]?.yield(text)
  }

  func deliver(_ deliveries: [ConveyanceDesk.Delivery]) {
    for delivery in deliveries { send(delivery.reply.text, to: delivery.connection) }
  }

  /// A subscriber's message, already read.
  func handle(_ request: ConveyanceRequest, from connection: Int) {
    deliver(desk.handle(request, connection: connection, now: now))
  }

  /// A new feed from the store: notifications and the board.
  func publish(_ feed: IncidentFeed) {
    self.feed = feed
    deliver(desk.update(feed.eidos, now: now))
    let text = JSONValue.object(["board": feed.board]).canonical
    guard text != boardText else { return }
    boardText = text
    for id in boards { send(text, to: id) }
  }

  /// Rates and expiries.
  func tick() {
    deliver(desk.tick(now: now))
  }

  /// The words of a relay on the board, to check an airing against.
  func relayText(call: String, relay: String) -> String? {
    guard case .array(let incidents)? = feed.board["incidents"] else { return nil }
    for incident in incidents {
      for item in incident["relays"]?.array ?? []
      where item["call"]?.string == call && item["id"]?.string == relay {
        return item["text"]?.string
      }
    }
    return nil
  }

  /// Ends every subscription and closes every queue (the server stops).
  func shutDown() {
    deliver(desk.terminateAll())
    for continuation in connections.values { continuation.finish() }
  }

  /// Counts for the health page and the benchmark.
  func counts() -> JSONValue {
    .object([
      "connections": .number(Double(connections.count)),
      "boards": .number(Double(boards.count)),
      "subscriptions": .number(Double(desk.subscriptions.count)),
      "incidents": .number(Double(desk.incidents.count)),
      "acknowledged": .number(Double(desk.acknowledged)),
    ])
  }
}
#endif
