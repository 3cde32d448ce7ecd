import CallScript

/// How many messages a client may send: a token bucket, with time given.
///
/// A client may send `burst` messages at once and `perSecond` a second after that; a message
/// over the limit is refused (with an STA-024 503) and the connection lives on.
public struct MessageLimit: Sendable {
  public let perSecond: Double
  public let burst: Double
  var tokens: Double
  var last: Double?

  public init(perSecond: Double = 10, burst: Double = 20) {
    self.perSecond = perSecond
    self.burst = burst
    tokens = burst
  }

  /// Whether a message at `now` (seconds, any steady clock) is within the limit; counts it.
  public mutating func take(now: Double) -> Bool {
    if let last { tokens = min(burst, tokens + max(0, now - last) * perSecond) }
    last = now
    guard tokens >= 1 else { return false }
    tokens -= 1
    return true
  }
}

/// The dispatcher's request, on the board's WebSocket, that a relay went on the air.
public struct AiringMessage: Sendable, Hashable {
  public var requestID: String
  public var callID: String
  public var relayID: String
  public var by: String

  /// Reads `{"aired": {"requestId", "call", "relay", "by"?}}`; on failure, why.
  public static func read(_ members: [String: JSONValue]) -> Result<AiringMessage, AiringProblem> {
    guard members.count == 1, case .object(let fields)? = members["aired"] else {
      return .failure(
        AiringProblem(message: "expected {\"aired\": {\"requestId\", \"call\", \"relay\"}}"))
    }
    guard let request = fields["requestId"]?.string, ConveyanceRequest.isID(request),
      let call = fields["call"]?.string, ConveyanceRequest.isID(call),
      let relay = fields["relay"]?.string, ConveyanceRequest.isID(relay)
    else {
      return .failure(
        AiringProblem(
          message: "'aired' needs 'requestId', 'call' and 'relay' (text, 1 to 160 characters)"))
    }
    let by = fields["by"]?.string.map(ConveyanceRequest.clip) ?? "board"
    guard by.count <= 100 else {
      return .failure(AiringProblem(message: "'by' is at most 100 characters"))
    }
    return .success(
      AiringMessage(requestID: request, callID: call, relayID: relay, by: by.isEmpty ? "board" : by)
    )
  }

  /// The reply: `{"airedResponse": {"requestId", "statusCode", "statusText"}}`.
  public static func reply(_ requestID: String, _ status: Int, _ text: String) -> String {
    JSONValue.object([
      "airedResponse": .object([
        "requestId": .string(requestID), "statusCode": .number(Double(status)),
        "statusText": .string(text),
      ])
    ]).canonical
  }
}

/// Why an airing request was refused.
public struct AiringProblem: Error, Sendable, Hashable {
  public var message: String
}
