import Foundation

/// An incident in one line of a list, or offered as a candidate for a new call.
public struct IncidentSummary: Sendable, Hashable {
  public var incidentID: String
  public var place: String?
  public var placeKey: String?
  public var calls: Int
  public var determinant: String?
  public var openedAt: Date
  public var updatedAt: Date

  public init(_ picture: IncidentPicture) {
    incidentID = picture.incidentID
    place = picture.place
    placeKey = picture.placeKey
    calls = picture.callers.count
    determinant = picture.determinant?.code
    openedAt = picture.openedAt
    updatedAt = picture.updatedAt
  }

  /// The summary of a picture stored as JSON (``IncidentPicture/json``); nil when it is not one.
  public init?(pictureJSON text: String) {
    guard let json = JSONValue.parse(Data(text.utf8)), let id = json["incident"]?.string,
      let callers = json["callers"]?.array,
      let opened = json["opened_at"]?.string.flatMap(Transcript.date(from:)),
      let updated = json["updated_at"]?.string.flatMap(Transcript.date(from:))
    else { return nil }
    incidentID = id
    place = json["place"]?.string
    placeKey = json["place_key"]?.string
    calls = callers.count
    determinant = json["determinant"]?["code"]?.string
    openedAt = opened
    updatedAt = updated
  }

  /// The incident in words, like `INC-… Lincoln High School, 4 calls, AA-4`.
  public var text: String {
    var parts = ["\(calls) call\(calls == 1 ? "" : "s")"]
    if let determinant { parts.append(determinant) }
    return "\(incidentID) \(place ?? "(no place yet)"), " + parts.joined(separator: ", ")
  }

  public var json: JSONValue {
    .object([
      "incident": .string(incidentID), "place": place.map { .string($0) } ?? .null,
      "place_key": placeKey.map { .string($0) } ?? .null, "calls": .number(Double(calls)),
      "determinant": determinant.map { .string($0) } ?? .null,
      "opened_at": .string(Transcript.timestamp(openedAt)),
      "updated_at": .string(Transcript.timestamp(updatedAt)),
    ])
  }
}

/// How long an incident stays open to new calls at the same place, by default.
public enum IncidentWindow {
  public static let `default`: TimeInterval = 60 * 60
}

extension IncidentPicture {
  /// What other calls established, in one line for a call-taker's screen, so they do not
  /// re-ask it; nil when no other call is on the incident.
  public func screenLine(for callID: String) -> String? {
    let others = callers.filter { $0.callID != callID }
    guard !others.isEmpty else { return nil }
    var parts = ["INCIDENT \(incidentID): \(callers.count) calls"]
    for fact in facts where fact.field != .incidentKind && fact.field != .incidentOngoing {
      var part = "\(Self.label(fact.field)) \(fact.latest.text)"
      if fact.field == .suspectLocation { part += " at \(Self.clockText(fact.latest.observedAt))" }
      part += " (\(fact.agreeing)"
      if !fact.disagreeing.isEmpty { part += ", \(fact.disagreeing.count) differ" }
      parts.append(part + ")")
    }
    if !verifications.isEmpty { parts.append("VERIFY: \(verifications.count)") }
    return parts.joined(separator: " | ")
  }

  /// The picture for `callscript incidents show`.
  public var lines: [String] {
    var lines = ["INCIDENT \(incidentID)"]
    lines.append("  place: \(place ?? "(none yet)")")
    lines.append(
      "  opened \(Transcript.timestamp(openedAt)), updated \(Transcript.timestamp(updatedAt))")
    if let determinant { lines.append("  determinant: \(determinant.code) \(determinant.label)") }
    lines.append("CALLERS (\(callers.count))")
    for caller in callers {
      let how = caller.howKnown.map { ", \($0.replacingOccurrences(of: "_", with: " "))" } ?? ""
      let state = caller.situation.isEmpty ? "" : ": " + caller.situation.joined(separator: "; ")
      lines.append(
        "  \(caller.callID) at \(caller.position)\(how)\(caller.ended ? ", ended" : "")\(state)")
    }
    lines.append("FACTS")
    for fact in facts {
      var line =
        "  \(Self.label(fact.field)): \(fact.latest.text) "
        + "(\(Self.clockText(fact.latest.observedAt)); \(fact.agreeing) of "
        + "\(fact.values.reduce(0) { $0 + $1.calls.count }) calls: "
        + fact.latest.calls.joined(separator: ", ") + ")"
      let others = fact.values.filter { $0.key != fact.latest.key }
      if !others.isEmpty {
        line +=
          "; differ: "
          + others.map { "\($0.text) (\($0.calls.joined(separator: ", ")))" }
          .joined(separator: "; ")
      }
      lines.append(line)
    }
    if !verifications.isEmpty {
      lines.append("VERIFY")
      lines += verifications.map { "  [\($0.id)] \($0.text)" }
    }
    if !relays.isEmpty {
      lines.append("RELAYS")
      lines += relays.map {
        "  \($0.text) (sent by \($0.sentBy)"
          + ($0.calls.count > 1 ? "; \($0.calls.count) callers" : "")
          + ($0.airedAt == nil ? "; NOT AIRED" : "; aired") + ")"
      }
    }
    return lines
  }

  /// The picture as JSON (docs/incidents.md).
  public var json: JSONValue {
    func value(_ value: Value) -> JSONValue {
      .object([
        "text": .string(value.text), "value": value.value.json,
        "calls": .array(value.calls.map { .string($0) }),
        "first_hand": .number(Double(value.firstHand)), "told": .number(Double(value.told)),
        "observed_at": .string(Transcript.timestamp(value.observedAt)),
      ])
    }
    return .object([
      "incident": .string(incidentID), "place": place.map { .string($0) } ?? .null,
      "place_key": placeKey.map { .string($0) } ?? .null,
      "opened_at": .string(Transcript.timestamp(openedAt)),
      "updated_at": .string(Transcript.timestamp(updatedAt)),
      "determinant": determinant.map {
        .object([
          "code": .string($0.code), "level": .string($0.level), "label": .string($0.label),
        ])
      } ?? .null,
      "callers": .array(
        callers.map {
          .object([
            "call_id": .string($0.callID), "position": .string($0.position),
            "started_at": .string(Transcript.timestamp($0.startedAt)),
            "how_known": $0.howKnown.map { .string($0) } ?? .null,
            "location": $0.location.map { .string($0) } ?? .null,
            "situation": .array($0.situation.map { .string($0) }), "ended": .bool($0.ended),
          ])
        }),
      "facts": .array(
        facts.map {
          .object([
            "field": .string($0.field.rawValue), "latest": value($0.latest),
            "agreeing": .number(Double($0.agreeing)),
            "disagreeing": .array($0.disagreeing.map { .string($0) }),
            "values": .array($0.values.map(value)),
          ])
        }),
      "verifications": .array(
        verifications.map { .object(["id": .string($0.id), "text": .string($0.text)]) }),
      "relays": .array(
        relays.map {
          var relay: [String: JSONValue] = [
            "id": .string($0.id), "text": .string($0.text), "sent_by": .string($0.sentBy),
            "calls": .array($0.calls.map { .string($0) }),
          ]
          if let aired = $0.airedAt { relay["aired_at"] = .string(Transcript.timestamp(aired)) }
          return .object(relay)
        }),
    ])
  }
}
