import CallScript
import Foundation

/// A message a subscriber sends over the NENA STA-024 WebSocket, read and checked.
///
/// Only the subscriber's kinds are taken (`subscribe`, `unsubscribe`, `eventResponse`,
/// `terminateResponse`); anything else is refused with the STA-024 response that fits, and the
/// connection lives on.
public enum ConveyanceRequest: Sendable, Hashable {
  /// A new subscription (no `subscriptionId`), or a subscriber coming back with the one it had.
  public struct Subscribe: Sendable, Hashable {
    public var requestID: String
    /// The incident subscribed to; nil for every incident.
    public var incidentID: String?
    /// The subscription asked back after a reconnect.
    public var subscriptionID: String?
    /// Seconds after the last notification after which one must be sent (even unchanged).
    public var minRate: Int?
    /// Seconds to wait at least between two notifications.
    public var maxRate: Int?
    /// Seconds the subscription should last.
    public var expires: Int?
  }

  case subscribe(Subscribe)
  case unsubscribe(requestID: String, subscriptionID: String)
  /// The subscriber acknowledged the notification `transactionID`.
  case eventResponse(transactionID: String, statusCode: Int)
  case terminateResponse(requestID: String, subscriptionID: String, statusCode: Int)
}

/// What the notifier sends: each case one STA-024 message (`ConveyanceReply/json`).
public enum ConveyanceReply: Sendable, Hashable {
  case subscribeResponse(
    requestID: String, subscriptionID: String?, minRate: Int?, maxRate: Int?, expires: Int?,
    status: Int, text: String)
  case unsubscribeResponse(requestID: String, subscriptionID: String, status: Int, text: String)
  /// A notification: the full EIDO of each incident it carries.
  case event(subscriptionID: String, transactionID: String, notification: [JSONValue])
  case terminate(requestID: String, subscriptionID: String)
  /// The generic STA-024 response to a message the notifier does not take: 501.
  case notImplemented(requestID: String)

  /// The message as JSON: an object with exactly one member naming its kind.
  public var json: JSONValue {
    switch self {
    case .subscribeResponse(
      let requestID, let subscriptionID, let minRate, let maxRate, let expires, let status,
      let text):
      var body: [String: JSONValue] = [
        "requestId": .string(requestID), "statusCode": .number(Double(status)),
        "statusText": .string(text),
      ]
      if let subscriptionID { body["subscriptionId"] = .string(subscriptionID) }
      if let minRate { body["minRate"] = .number(Double(minRate)) }
      if let maxRate { body["maxRate"] = .number(Double(maxRate)) }
      if let expires { body["expires"] = .number(Double(expires)) }
      return .object(["subscribeResponse": .object(body)])
    case .unsubscribeResponse(let requestID, let subscriptionID, let status, let text):
      return .object([
        "unsubscribeResponse": .object([
          "requestId": .string(requestID), "subscriptionId": .string(subscriptionID),
          "statusCode": .number(Double(status)), "statusText": .string(text),
        ])
      ])
    case .event(let subscriptionID, let transactionID, let notification):
      return .object([
        "event": .object([
          "subscriptionId": .string(subscriptionID), "transactionId": .string(transactionID),
          "notification": .array(notification),
        ])
      ])
    case .terminate(let requestID, let subscriptionID):
      return .object([
        "terminate": .object([
          "requestId": .string(requestID), "subscriptionId": .string(subscriptionID),
        ])
      ])
    case .notImplemented(let requestID):
      // The schema defines `response` twice (responseObject: statusCode/statusText, and
      // responseToRequestObject: responseCode/responseText); this one satisfies both.
      return .object([
        "response": .object([
          "requestId": .string(requestID), "statusCode": .number(501),
          "statusText": .string("Not implemented"), "responseCode": .number(501),
          "responseText": .string("Not implemented"),
        ])
      ])
    }
  }

  /// The message as the text sent on the WebSocket.
  public var text: String { json.canonical }
}

extension ConveyanceRequest {
  /// Longest message taken from a subscriber, in bytes; a longer one is refused with 413.
  public static let maximumSize = 65_536
  /// Longest id (request, subscription, transaction, incident) taken, in characters.
  public static let maximumID = 160

  /// Reads a subscriber's message; on failure, the STA-024 reply that refuses it.
  public static func read(_ text: String) -> Result<ConveyanceRequest, ConveyanceReply> {
    guard text.utf8.count <= maximumSize else {
      return .failure(
        .subscribeResponse(
          requestID: "", subscriptionID: nil, minRate: nil, maxRate: nil, expires: nil,
          status: 413, text: "message of \(text.utf8.count) bytes; at most \(maximumSize) taken"))
    }
    guard let json = JSONValue.parse(Data(text.utf8), maxDepth: 8),
      case .object(let members) = json, members.count == 1, let (kind, body) = members.first,
      case .object(let fields) = body
    else { return .failure(.notImplemented(requestID: "")) }
    let requestID = fields["requestId"]?.string.map(clip) ?? ""
    func bad(_ problem: String) -> Result<ConveyanceRequest, ConveyanceReply> {
      .failure(
        .subscribeResponse(
          requestID: requestID, subscriptionID: nil, minRate: nil, maxRate: nil, expires: nil,
          status: 400, text: problem))
    }
    switch kind {
    case "subscribe":
      let known: Set<String> = [
        "requestId", "requestType", "requestSubType", "requestAccepts", "qualFilter",
        "qualFilterEvalPeriod", "minRate", "maxRate", "subscriptionId", "incidentId", "unitId",
        "expires",
      ]
      if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
        return bad("unknown member '\(clip(unknown))'")
      }
      guard let id = fields["requestId"]?.string, isID(id) else {
        return bad("'requestId' must be text of 1 to \(maximumID) characters")
      }
      for name in [
        "requestType", "requestSubType", "requestAccepts", "subscriptionId", "incidentId",
      ]
      where fields[name] != nil && fields[name]?.string == nil {
        return bad("'\(name)' must be text")
      }
      func integer(_ name: String) -> Result<Int?, ConveyanceReply> {
        guard let value = fields[name] else { return .success(nil) }
        guard let number = value.number, number == number.rounded(), number >= 0,
          number <= 31_536_000
        else {
          return .failure(
            .subscribeResponse(
              requestID: id, subscriptionID: nil, minRate: nil, maxRate: nil, expires: nil,
              status: 400, text: "'\(name)' must be a whole number of seconds from 0"))
        }
        return .success(Int(number))
      }
      var rates: [Int?] = []
      for name in ["minRate", "maxRate", "expires"] {
        switch integer(name) {
        case .success(let value): rates.append(value)
        case .failure(let reply): return .failure(reply)
        }
      }
      if fields["qualFilter"] != nil || fields["qualFilterEvalPeriod"] != nil {
        return bad("qualFilter is not supported; subscribe to an incidentId or to all")
      }
      if fields["unitId"] != nil || fields["requestSubType"]?.string == "resource" {
        return bad("resource subscriptions are not supported")
      }
      let subscriptionID = fields["subscriptionId"]?.string
      if subscriptionID == nil, fields["requestType"]?.string != "EIDO" {
        return bad("a new subscription needs requestType 'EIDO'")
      }
      if let accepts = fields["requestAccepts"]?.string, !accepts.lowercased().contains("json") {
        return .failure(
          .subscribeResponse(
            requestID: id, subscriptionID: nil, minRate: nil, maxRate: nil, expires: nil,
            status: 406, text: "only application/emergency.eido+json is sent"))
      }
      let incidentID = fields["incidentId"]?.string
      for value in [subscriptionID, incidentID] {
        if let value, !isID(value) {
          return bad("ids are text of 1 to \(maximumID) characters")
        }
      }
      return .success(
        .subscribe(
          Subscribe(
            requestID: id, incidentID: incidentID, subscriptionID: subscriptionID,
            minRate: rates[0], maxRate: rates[1], expires: rates[2])))
    case "unsubscribe":
      guard let id = fields["requestId"]?.string, isID(id),
        let subscription = fields["subscriptionId"]?.string, isID(subscription)
      else {
        return .failure(
          .unsubscribeResponse(
            requestID: requestID, subscriptionID: fields["subscriptionId"]?.string.map(clip) ?? "",
            status: 400, text: "'unsubscribe' needs 'requestId' and 'subscriptionId' (text)"))
      }
      return .success(.unsubscribe(requestID: id, subscriptionID: subscription))
    case "eventResponse":
      guard let transaction = fields["transactionId"]?.string, isID(transaction),
        let code = fields["statusCode"]?.number, code == code.rounded(), code >= 100, code < 600
      else { return .failure(.notImplemented(requestID: requestID)) }
      return .success(.eventResponse(transactionID: transaction, statusCode: Int(code)))
    case "terminateResponse":
      guard let id = fields["requestId"]?.string, isID(id),
        let subscription = fields["subscriptionId"]?.string, isID(subscription),
        let code = fields["statusCode"]?.number, code == code.rounded()
      else { return .failure(.notImplemented(requestID: requestID)) }
      return .success(
        .terminateResponse(requestID: id, subscriptionID: subscription, statusCode: Int(code)))
    default:
      return .failure(.notImplemented(requestID: requestID))
    }
  }

  static func isID(_ text: String) -> Bool {
    !text.isEmpty && text.count <= maximumID
      && SafeText.isClean(text)
  }

  static func clip(_ text: String) -> String {
    var kept = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where !SafeText.isForbidden(scalar) {
      if kept.count == maximumID { break }
      kept.append(scalar)
    }
    return String(kept)
  }
}

/// A reply that refuses a message is what reading it fails with.
extension ConveyanceReply: Error {}
