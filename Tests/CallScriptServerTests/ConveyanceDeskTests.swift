import CallScript
import Foundation
import Testing

@testable import CallScriptServer

/// Ids 1, 2, 3… so the desk's replies are known exactly.
final class Counter: @unchecked Sendable {
  // @unchecked Sendable: only touched through the lock.
  let lock = NSLock()
  var value = 0
  func next() -> String {
    lock.withLock {
      value += 1
      return "id-\(value)"
    }
  }
}

func desk() -> ConveyanceDesk {
  let counter = Counter()
  return ConveyanceDesk(makeID: { counter.next() })
}

func subscribe(
  _ request: String = "r1", incident: String? = nil, subscription: String? = nil,
  minRate: Int? = nil, maxRate: Int? = nil, expires: Int? = nil
) -> ConveyanceRequest {
  .subscribe(
    .init(
      requestID: request, incidentID: incident, subscriptionID: subscription, minRate: minRate,
      maxRate: maxRate, expires: expires))
}

func eido(_ text: String) -> JSONValue { .object(["note": .string(text)]) }

/// The EIDOs of an event delivery, nil for other replies.
func notified(_ delivery: ConveyanceDesk.Delivery) -> [JSONValue]? {
  if case .event(_, _, let notification) = delivery.reply { return notification }
  return nil
}

@Suite struct ConveyanceDeskTests {
  @Test func subscribingToAllGetsTheResponseThenTheFullState() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a"), "INC-2": eido("b")], now: 0)
    let out = desk.handle(subscribe(expires: 600), connection: 7, now: 1)
    #expect(out.count == 2)
    #expect(
      out.first?.reply
        == .subscribeResponse(
          requestID: "r1", subscriptionID: "id-1", minRate: nil, maxRate: 0, expires: 600,
          status: 200, text: "OK"))
    #expect(out.last.flatMap(notified) == [eido("a"), eido("b")])
    #expect(out.allSatisfy { $0.connection == 7 })
  }

  @Test func everyChangeIsNotifiedWithTheFullEIDOOfThatIncidentOnly() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a"), "INC-2": eido("b")], now: 0)
    _ = desk.handle(subscribe(), connection: 1, now: 0)
    #expect(desk.update(["INC-1": eido("a"), "INC-2": eido("b")], now: 1).isEmpty)
    let out = desk.update(["INC-1": eido("a2"), "INC-2": eido("b")], now: 2)
    #expect(out.map(notified) == [[eido("a2")]])
  }

  @Test func anIncidentSubscriptionHearsOnlyItsIncident() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a"), "INC-2": eido("b")], now: 0)
    let first = desk.handle(subscribe(incident: "INC-2"), connection: 1, now: 0)
    #expect(first.last.flatMap(notified) == [eido("b")])
    #expect(desk.update(["INC-1": eido("a2"), "INC-2": eido("b")], now: 1).isEmpty)
    #expect(desk.update(["INC-1": eido("a2"), "INC-2": eido("b2")], now: 2).count == 1)
  }

  @Test func anUnknownIncidentIs404() {
    var desk = desk()
    let out = desk.handle(subscribe(incident: "INC-9"), connection: 1, now: 0)
    guard case .subscribeResponse(_, _, _, _, _, let status, _)? = out.first?.reply else {
      Issue.record("expected a subscribeResponse")
      return
    }
    #expect(status == 404)
    #expect(desk.subscriptions.isEmpty)
  }

  @Test func theMaximumRateHoldsChangesBackThenSendsTheLatest() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a")], now: 0)
    _ = desk.handle(subscribe(maxRate: 10), connection: 1, now: 0)
    #expect(desk.update(["INC-1": eido("b")], now: 3).isEmpty)
    #expect(desk.update(["INC-1": eido("c")], now: 6).isEmpty)
    #expect(desk.tick(now: 9.9).isEmpty)
    let out = desk.tick(now: 10)
    #expect(out.map(notified) == [[eido("c")]])
    #expect(desk.tick(now: 15).isEmpty)
  }

  @Test func theMinimumRateSendsTheCurrentStateAgainWhenNothingChanged() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a")], now: 0)
    let first = desk.handle(subscribe(minRate: 30), connection: 1, now: 0)
    guard case .subscribeResponse(_, _, let minRate, _, _, _, _)? = first.first?.reply else {
      Issue.record("expected a subscribeResponse")
      return
    }
    #expect(minRate == 30)
    #expect(desk.tick(now: 29).isEmpty)
    #expect(desk.tick(now: 30).map(notified) == [[eido("a")]])
    #expect(desk.tick(now: 45).isEmpty)
    #expect(desk.tick(now: 60).count == 1)
  }

  @Test func aTooShortMinimumRateIsRaisedAndSaidSo() {
    var desk = desk()
    let out = desk.handle(subscribe(minRate: 1), connection: 1, now: 0)
    guard case .subscribeResponse(_, _, let minRate, _, _, let status, _)? = out.first?.reply else {
      Issue.record("expected a subscribeResponse")
      return
    }
    #expect(status == 200)
    #expect(minRate == ConveyanceDesk.minimumMinRate)
  }

  @Test func aSubscriptionExpiresWithATerminate() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a")], now: 0)
    _ = desk.handle(subscribe(expires: 60), connection: 4, now: 0)
    #expect(desk.tick(now: 59).isEmpty)
    let out = desk.tick(now: 60)
    #expect(
      out == [.init(connection: 4, reply: .terminate(requestID: "id-3", subscriptionID: "id-1"))])
    #expect(desk.subscriptions.isEmpty)
  }

  @Test func aSubscriberBackWithItsIDGetsTheCurrentFullState() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a"), "INC-2": eido("b")], now: 0)
    _ = desk.handle(subscribe(), connection: 1, now: 0)
    desk.disconnected(1)
    // Changes while away go nowhere.
    #expect(desk.update(["INC-1": eido("a2"), "INC-2": eido("b")], now: 5).isEmpty)
    let back = desk.handle(subscribe("r2", subscription: "id-1"), connection: 2, now: 8)
    #expect(back.count == 2)
    #expect(back.allSatisfy { $0.connection == 2 })
    // Every incident, the latest of each: never only what changed.
    #expect(back.last.flatMap(notified) == [eido("a2"), eido("b")])
  }

  @Test func anUnknownSubscriptionIs481() {
    var desk = desk()
    let out = desk.handle(subscribe(subscription: "nope"), connection: 1, now: 0)
    guard case .subscribeResponse(_, _, _, _, _, let status, _)? = out.first?.reply else {
      Issue.record("expected a subscribeResponse")
      return
    }
    #expect(status == 481)
  }

  @Test func unsubscribeEndsItAndOnlyOnItsOwnConnection() {
    var desk = desk()
    _ = desk.handle(subscribe(), connection: 1, now: 0)
    let other = desk.handle(
      .unsubscribe(requestID: "u", subscriptionID: "id-1"), connection: 2, now: 1)
    #expect(
      other.first?.reply
        == .unsubscribeResponse(
          requestID: "u", subscriptionID: "id-1", status: 481,
          text: "no subscription 'id-1' on this connection"))
    let out = desk.handle(
      .unsubscribe(requestID: "u", subscriptionID: "id-1"), connection: 1, now: 1)
    #expect(
      out.first?.reply
        == .unsubscribeResponse(requestID: "u", subscriptionID: "id-1", status: 200, text: "OK"))
    #expect(desk.subscriptions.isEmpty)
  }

  @Test func acknowledgementsClearTheirNotification() {
    var desk = desk()
    _ = desk.update(["INC-1": eido("a")], now: 0)
    let out = desk.handle(subscribe(), connection: 1, now: 0)
    guard case .event(_, let transaction, _)? = out.last?.reply else {
      Issue.record("expected an event")
      return
    }
    #expect(desk.subscriptions["id-1"]?.unacknowledged[transaction] == 0)
    _ = desk.handle(
      .eventResponse(transactionID: transaction, statusCode: 200), connection: 1, now: 1)
    #expect(desk.subscriptions["id-1"]?.unacknowledged.isEmpty == true)
    #expect(desk.acknowledged == 1)
    _ = desk.handle(.eventResponse(transactionID: "stray", statusCode: 200), connection: 1, now: 1)
    #expect(desk.strayAcknowledgements == 1)
  }
}

@Suite struct ConveyanceRequestTests {
  @Test(arguments: [
    ("not json", "response"),
    ("[1,2]", "response"),
    (#"{"subscribe":{"requestId":"a"},"x":1}"#, "response"),
    (#"{"event":{"subscriptionId":"s","transactionId":"t"}}"#, "response"),
    (#"{"subscribe":{"requestId":"a"}}"#, "subscribeResponse"),
    (#"{"subscribe":{"requestId":"a","requestType":"EIDO","minRate":-3}}"#, "subscribeResponse"),
    (#"{"subscribe":{"requestId":"a","requestType":"EIDO","minRate":1.5}}"#, "subscribeResponse"),
    (
      #"{"subscribe":{"requestId":"a","requestType":"EIDO","qualFilter":"x"}}"#, "subscribeResponse"
    ),
    (#"{"subscribe":{"requestId":"a","requestType":"EIDO","bogus":1}}"#, "subscribeResponse"),
    (#"{"subscribe":{"requestId":"","requestType":"EIDO"}}"#, "subscribeResponse"),
    (#"{"unsubscribe":{"requestId":"a"}}"#, "unsubscribeResponse"),
    (#"{"eventResponse":{"transactionId":"t"}}"#, "response"),
  ])
  func badMessagesGetTheReplyThatFits(text: String, kind: String) {
    guard case .failure(let reply) = ConveyanceRequest.read(text) else {
      Issue.record("\(text) was taken")
      return
    }
    guard case .object(let members) = reply.json else {
      Issue.record("not an object")
      return
    }
    #expect(Array(members.keys) == [kind])
  }

  @Test func anOversizeMessageIs413() {
    let text = #"{"subscribe":{"requestId":""# + String(repeating: "x", count: 70_000) + #""}}"#
    guard
      case .failure(.subscribeResponse(_, _, _, _, _, let status, _)) = ConveyanceRequest.read(text)
    else {
      Issue.record("expected a subscribeResponse")
      return
    }
    #expect(status == 413)
  }

  @Test func aGoodSubscribeIsRead() throws {
    let text =
      #"{"subscribe":{"requestId":"a","requestType":"EIDO","requestSubType":"single","incidentId":"INC-1","minRate":30,"maxRate":2,"expires":600}}"#
    let request = try ConveyanceRequest.read(text).get()
    #expect(
      request
        == .subscribe(
          .init(
            requestID: "a", incidentID: "INC-1", subscriptionID: nil, minRate: 30, maxRate: 2,
            expires: 600)))
  }

  @Test func theLimitAllowsABurstThenTheRate() {
    var limit = MessageLimit(perSecond: 2, burst: 3)
    var taken: [Bool] = []
    for now in [0, 0, 0, 0, 0.4, 0.6] { taken.append(limit.take(now: now)) }
    #expect(taken == [true, true, true, false, false, true])
  }
}
