import Foundation

extension IncidentCall {
  /// The call as canonical JSON, as the store keeps it (docs/incidents.md).
  public var json: JSONValue {
    var members: [String: JSONValue] = [
      "call_id": .string(callID), "position": .string(position), "agency": .string(agency),
      "protocol": .object(["id": .string(protocolID), "version": .string(protocolVersion)]),
      "started_at": .string(Transcript.timestamp(startedAt)),
      "updated_at": .string(Transcript.timestamp(updatedAt)),
      "events": .number(Double(events)), "incident": .string(incidentID),
      "linked": .bool(linked), "ended": .bool(ended),
      "location": location.map { .string($0) } ?? .null,
      "place_key": placeKey.map { .string($0) } ?? .null,
      "how_known": howKnown.map { .string($0) } ?? .null,
      "facts": .array(
        facts.map {
          .object([
            "field": .string($0.field.rawValue), "question": .string($0.question),
            "value": $0.value.json, "text": .string($0.text),
            "observed_at": .string(Transcript.timestamp($0.observedAt)),
          ])
        }),
      "relays": .array(
        relays.map {
          var relay: [String: JSONValue] = [
            "id": .string($0.id), "text": .string($0.text), "key": .string($0.key),
            "sent_at": .string(Transcript.timestamp($0.sentAt)),
          ]
          if let aired = $0.airedAt { relay["aired_at"] = .string(Transcript.timestamp(aired)) }
          return .object(relay)
        }
      ),
    ]
    // Written only when there is something to say, so calls stored before they existed read
    // the same.
    if lineDropped { members["line_dropped"] = .bool(true) }
    if !pendingVerifications.isEmpty {
      members["pending_verifications"] = .array(pendingVerifications.map { .string($0) })
    }
    if let determinant {
      members["determinant"] = .object([
        "code": .string(determinant.code), "level": .string(determinant.level),
        "level_rank": .number(Double(determinant.levelRank)), "label": .string(determinant.label),
        "plan": .array(determinant.plan.map { .string($0) }),
      ])
    } else {
      members["determinant"] = .null
    }
    return .object(members)
  }

  /// Reads a call back from its JSON; nil when it is not one.
  public init?(json: JSONValue) {
    guard let callID = json["call_id"]?.string, let position = json["position"]?.string,
      let agency = json["agency"]?.string, let protocolID = json["protocol"]?["id"]?.string,
      let protocolVersion = json["protocol"]?["version"]?.string,
      let startedAt = json["started_at"]?.string.flatMap(Transcript.date(from:)),
      let updatedAt = json["updated_at"]?.string.flatMap(Transcript.date(from:)),
      let events = json["events"]?.number, let incident = json["incident"]?.string,
      let linked = json["linked"]?.bool, let ended = json["ended"]?.bool,
      let factItems = json["facts"]?.array, let relayItems = json["relays"]?.array
    else { return nil }
    self.callID = callID
    self.position = position
    self.agency = agency
    self.protocolID = protocolID
    self.protocolVersion = protocolVersion
    self.startedAt = startedAt
    self.updatedAt = updatedAt
    self.events = Int(events)
    incidentID = incident
    self.linked = linked
    self.ended = ended
    location = json["location"]?.string
    placeKey = json["place_key"]?.string
    howKnown = json["how_known"]?.string
    var facts: [Fact] = []
    for item in factItems {
      guard let field = item["field"]?.string.flatMap(RecordField.init(rawValue:)),
        let question = item["question"]?.string,
        let value = item["value"].flatMap(FactValue.init(json:)), let text = item["text"]?.string,
        let observed = item["observed_at"]?.string.flatMap(Transcript.date(from:))
      else { return nil }
      facts.append(
        Fact(field: field, question: question, value: value, text: text, observedAt: observed))
    }
    self.facts = facts
    var relays: [SentRelay] = []
    for item in relayItems {
      guard let id = item["id"]?.string, let text = item["text"]?.string,
        let key = item["key"]?.string,
        let sent = item["sent_at"]?.string.flatMap(Transcript.date(from:))
      else { return nil }
      let aired = item["aired_at"]?.string.flatMap(Transcript.date(from:))
      relays.append(SentRelay(id: id, text: text, key: key, sentAt: sent, airedAt: aired))
    }
    self.relays = relays
    lineDropped = json["line_dropped"]?.bool ?? false
    pendingVerifications = json["pending_verifications"]?.array?.compactMap(\.string) ?? []
    if let item = json["determinant"], case .object = item {
      guard let code = item["code"]?.string, let level = item["level"]?.string,
        let rank = item["level_rank"]?.number, let label = item["label"]?.string
      else { return nil }
      determinant = DeterminantState(
        code: code, level: level, levelRank: Int(rank),
        plan: item["plan"]?.array?.compactMap(\.string) ?? [], label: label)
    } else {
      determinant = nil
    }
  }
}
