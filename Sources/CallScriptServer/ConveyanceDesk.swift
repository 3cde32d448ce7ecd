import CallScript
import Foundation

/// The STA-024 subscriptions and what each must be sent, as a pure function of requests,
/// incident changes and time.
///
/// Time is given (seconds on any steady clock), never read, so every rule (minimum and maximum
/// rates, expiry, the full state on a return) is tested to the second. The server wraps it
/// with the sockets.
public struct ConveyanceDesk: Sendable {
  /// One subscription: to one incident or to all, with its negotiated rates.
  public struct Subscription: Sendable, Hashable {
    public var id: String
    /// nil: every incident.
    public var incidentID: String?
    /// Seconds after the last notification after which the current state is sent again.
    public var minRate: Int?
    /// Seconds to wait at least between two notifications.
    public var maxRate: Int
    public var expires: Int
    public var expiresAt: Double
    /// The connection it is delivered on; nil while the subscriber is away.
    public var connection: Int?
    public var lastSentAt: Double?
    /// The version of each incident last sent.
    public var sent: [String: Int] = [:]
    /// Notifications not acknowledged yet, by transaction id, with when they went.
    public var unacknowledged: [String: Double] = [:]
  }

  /// A message for a connection.
  public struct Delivery: Sendable, Hashable {
    public var connection: Int
    public var reply: ConveyanceReply
  }

  /// Subscriptions last this long unless asked otherwise, and at most `maximumExpires`.
  public static let defaultExpires = 3600
  public static let maximumExpires = 86_400
  public static let minimumExpires = 10
  /// A `minRate` below this is raised to it (a full EIDO every second would be noise).
  public static let minimumMinRate = 5
  public static let maximumSubscriptions = 1000
  /// Unacknowledged notifications kept per subscription (the oldest are forgotten).
  public static let maximumUnacknowledged = 64

  public private(set) var subscriptions: [String: Subscription] = [:]
  /// Each incident's current EIDO and its version (raised on every change).
  public private(set) var incidents: [String: (eido: JSONValue, version: Int)] = [:]
  /// Acknowledgements received, and those naming no notification awaiting one.
  public private(set) var acknowledged = 0
  public private(set) var strayAcknowledgements = 0
  let makeID: @Sendable () -> String

  /// `makeID` gives globally unique ids (subscriptions, transactions, terminate requests).
  public init(makeID: @escaping @Sendable () -> String) {
    self.makeID = makeID
  }

  /// Takes the incidents' current EIDOs.
  ///
  /// Those that differ from before get a new version and are notified as the rates allow.
  /// Incidents missing from `current` are forgotten.
  public mutating func update(_ current: [String: JSONValue], now: Double) -> [Delivery] {
    var next: [String: (eido: JSONValue, version: Int)] = [:]
    for (id, eido) in current {
      if let known = incidents[id] {
        next[id] = known.eido == eido ? known : (eido, known.version + 1)
      } else {
        next[id] = (eido, 1)
      }
    }
    incidents = next
    return tick(now: now)
  }

  /// What falls due at `now`: notifications allowed by the maximum rate, the current state
  /// again when the minimum rate says so, and the end of expired subscriptions.
  public mutating func tick(now: Double) -> [Delivery] {
    var out: [Delivery] = []
    for id in subscriptions.keys.sorted() {
      guard var subscription = subscriptions[id] else { continue }
      if now >= subscription.expiresAt {
        if let connection = subscription.connection {
          out.append(
            Delivery(
              connection: connection,
              reply: .terminate(requestID: makeID(), subscriptionID: subscription.id)))
        }
        subscriptions[id] = nil
        continue
      }
      guard let connection = subscription.connection else { continue }
      let scope = self.scope(of: subscription)
      let changed = scope.filter { subscription.sent[$0] != incidents[$0]?.version }
      let since = subscription.lastSentAt.map { now - $0 }
      var send: [String] = []
      if !changed.isEmpty, since.map({ $0 >= Double(subscription.maxRate) }) ?? true {
        send = changed
      } else if let minRate = subscription.minRate, let since, since >= Double(minRate),
        !scope.isEmpty
      {
        send = scope
      }
      guard !send.isEmpty else { continue }
      out.append(notify(&subscription, incidents: send, connection: connection, now: now))
      subscriptions[id] = subscription
    }
    return out
  }

  /// Handles a subscriber's request on `connection`.
  public mutating func handle(_ request: ConveyanceRequest, connection: Int, now: Double)
    -> [Delivery]
  {
    switch request {
    case .subscribe(let asked):
      return subscribe(asked, connection: connection, now: now)
    case .unsubscribe(let requestID, let subscriptionID):
      guard let subscription = subscriptions[subscriptionID],
        subscription.connection == connection
      else {
        return [
          Delivery(
            connection: connection,
            reply: .unsubscribeResponse(
              requestID: requestID, subscriptionID: subscriptionID, status: 481,
              text: "no subscription '\(subscriptionID)' on this connection"))
        ]
      }
      subscriptions[subscriptionID] = nil
      return [
        Delivery(
          connection: connection,
          reply: .unsubscribeResponse(
            requestID: requestID, subscriptionID: subscriptionID, status: 200, text: "OK"))
      ]
    case .eventResponse(let transactionID, _):
      for (id, subscription) in subscriptions
      where subscription.unacknowledged[transactionID] != nil {
        subscriptions[id]?.unacknowledged[transactionID] = nil
        acknowledged += 1
        return []
      }
      strayAcknowledgements += 1
      return []
    case .terminateResponse:
      return []
    }
  }

  /// The subscriber on `connection` went away: its subscriptions wait for it until they expire.
  public mutating func disconnected(_ connection: Int) {
    for (id, subscription) in subscriptions where subscription.connection == connection {
      subscriptions[id]?.connection = nil
    }
  }

  /// Ends every subscription (the server stops): a terminate for each connected one.
  public mutating func terminateAll() -> [Delivery] {
    let out = subscriptions.values.sorted { $0.id < $1.id }.compactMap { subscription in
      subscription.connection.map {
        Delivery(
          connection: $0, reply: .terminate(requestID: makeID(), subscriptionID: subscription.id))
      }
    }
    subscriptions = [:]
    return out
  }

  // MARK: - Inside

  func scope(of subscription: Subscription) -> [String] {
    if let incident = subscription.incidentID {
      return incidents[incident] == nil ? [] : [incident]
    }
    return incidents.keys.sorted()
  }

  mutating func notify(
    _ subscription: inout Subscription, incidents ids: [String], connection: Int, now: Double
  ) -> Delivery {
    let transaction = makeID()
    var documents: [JSONValue] = []
    for id in ids {
      guard let incident = incidents[id] else { continue }
      documents.append(incident.eido)
      subscription.sent[id] = incident.version
    }
    subscription.lastSentAt = now
    subscription.unacknowledged[transaction] = now
    if subscription.unacknowledged.count > Self.maximumUnacknowledged,
      let oldest = subscription.unacknowledged.min(by: { $0.value < $1.value })?.key
    {
      subscription.unacknowledged[oldest] = nil
    }
    return Delivery(
      connection: connection,
      reply: .event(
        subscriptionID: subscription.id, transactionID: transaction, notification: documents))
  }

  mutating func subscribe(
    _ asked: ConveyanceRequest.Subscribe, connection: Int, now: Double
  ) -> [Delivery] {
    func refuse(_ status: Int, _ text: String) -> [Delivery] {
      [
        Delivery(
          connection: connection,
          reply: .subscribeResponse(
            requestID: asked.requestID, subscriptionID: asked.subscriptionID, minRate: nil,
            maxRate: nil, expires: nil, status: status, text: text))
      ]
    }
    var subscription: Subscription
    if let id = asked.subscriptionID {
      // A subscriber coming back: same subscription, this connection, the full state again.
      guard var known = subscriptions[id] else {
        return refuse(481, "no subscription '\(id)' (expired or never made)")
      }
      if let incident = asked.incidentID, incident != known.incidentID {
        return refuse(400, "subscription '\(id)' is not for incident '\(incident)'")
      }
      known.connection = connection
      known.sent = [:]
      known.lastSentAt = nil
      subscription = known
    } else {
      if let incident = asked.incidentID, incidents[incident] == nil {
        return refuse(404, "no incident '\(incident)'")
      }
      guard subscriptions.count < Self.maximumSubscriptions else {
        return refuse(503, "too many subscriptions; try again later")
      }
      subscription = Subscription(
        id: makeID(), incidentID: asked.incidentID, minRate: nil, maxRate: 0,
        expires: Self.defaultExpires, expiresAt: 0, connection: connection)
    }
    if let minRate = asked.minRate {
      subscription.minRate = minRate == 0 ? nil : max(minRate, Self.minimumMinRate)
    }
    if let maxRate = asked.maxRate { subscription.maxRate = min(maxRate, 3600) }
    if let minRate = subscription.minRate, minRate < subscription.maxRate {
      subscription.minRate = subscription.maxRate
    }
    if let expires = asked.expires {
      subscription.expires = min(max(expires, Self.minimumExpires), Self.maximumExpires)
    }
    subscription.expiresAt = now + Double(subscription.expires)
    var out = [
      Delivery(
        connection: connection,
        reply: .subscribeResponse(
          requestID: asked.requestID, subscriptionID: subscription.id,
          minRate: subscription.minRate, maxRate: subscription.maxRate,
          expires: subscription.expires, status: 200, text: "OK"))
    ]
    let scope = self.scope(of: subscription)
    if !scope.isEmpty {
      out.append(notify(&subscription, incidents: scope, connection: connection, now: now))
    }
    subscriptions[subscription.id] = subscription
    return out
  }
}
