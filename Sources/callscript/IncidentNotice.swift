import CallScript
import Foundation

/// What the incident store tells the call-taker, in every frontend's words.
enum IncidentNotice {
  /// Open incidents at the same place: the call-taker links the call or says it is new.
  case candidates([IncidentSummary])
  /// What the other calls of the incident established (one line).
  case picture(String, IncidentPicture)
  /// The call joined an incident (or left one).
  case linked(String, calls: Int)
  /// A relay another call already sent for the incident: not sent again, corroborated.
  case corroborated(RelayMessage, sentBy: String, callers: Int)
  /// The store could not be written (or read): the call goes on.
  case storeProblem(String)
  /// The store works again and has the whole call.
  case storeBack(String)
  /// What the other calls established, as the protocol reads it, now in the transcript (an
  /// `incident_facts` event).
  case facts(incident: String, [String: FactValue])

  var lines: [String] {
    switch self {
    case .candidates(let incidents):
      incidents.map {
        "Possible same incident: \($0.text) — /link \($0.incidentID) or /new"
      }
    case .picture(let line, _): [line]
    case .linked(let incident, let calls):
      ["INCIDENT this call is on \(incident) (\(calls) call\(calls == 1 ? "" : "s"))"]
    case .corroborated(let relay, let sentBy, let callers):
      [
        "RELAY already sent for the incident by \(sentBy), not sent again; corroborated "
          + "(\(callers) callers): \(relay.text)"
      ]
    case .storeProblem(let message):
      [
        "STORE \(message); the call goes on (the transcript has every event), the store "
          + "catches up when it is back"
      ]
    case .storeBack(let message): ["STORE \(message)"]
    case .facts(let incident, let facts):
      ["INCIDENT FACTS from the other calls of \(incident): \(IncidentFact.text(facts))"]
    }
  }

  var json: JSONValue {
    switch self {
    case .candidates(let incidents):
      .object([
        "type": .string("incident_candidates"), "incidents": .array(incidents.map(\.json)),
      ])
    case .picture(let line, let picture):
      .object(["type": .string("incident"), "line": .string(line), "picture": picture.json])
    case .linked(let incident, let calls):
      .object([
        "type": .string("incident_linked"), "incident": .string(incident),
        "calls": .number(Double(calls)),
      ])
    case .corroborated(let relay, let sentBy, let callers):
      .object([
        "type": .string("relay_corroborated"), "id": .string(relay.id), "text": .string(relay.text),
        "sent_by": .string(sentBy), "callers": .number(Double(callers)),
      ])
    case .storeProblem(let message):
      .object(["type": .string("store"), "ok": .bool(false), "message": .string(message)])
    case .storeBack(let message):
      .object(["type": .string("store"), "ok": .bool(true), "message": .string(message)])
    case .facts(let incident, let facts):
      .object([
        "type": .string("incident_facts"), "incident": .string(incident),
        "facts": .object(facts.mapValues(\.json)),
      ])
    }
  }
}
