import Foundation

/// The merged incident EIDO: one document for the whole incident, built from every call.
///
/// Every caller is a person with the role `Caller` and their own call component; the
/// attackers, victims, threats and the place come once, from the merged picture (the latest
/// value of each fact); notes say which calls gave each fact and where callers disagree. The
/// incident tracking id is the incident's, the same for every call. Deterministic: the same
/// calls give the same bytes.
public enum IncidentEIDO {
  /// The EIDO incident tracking id of an incident: the ESInet's when the incident id is one,
  /// else the one the founding call's own records carry (`INC-<call id>`), else one made from
  /// the incident id.
  public static func trackingID(incidentID: String, agency: String) -> String {
    if let given = CallContext.incidentTrackingID(incidentID) { return given }
    let own = incidentID.hasPrefix("INC-") ? String(incidentID.dropFirst(4)) : incidentID
    return EIDOIdentifiers(callID: own, agencyID: agency).incident
  }

  /// The document for `picture`, merged from `calls` (the incident's).
  public static func document(for picture: IncidentPicture, calls: [IncidentCall]) -> EIDODocument {
    let calls = calls.sorted { ($0.startedAt, $0.callID) < ($1.startedAt, $1.callID) }
    let first = calls.first
    let agency = first?.agency ?? CallContext.placeholderAgencyID
    let tracking = trackingID(incidentID: picture.incidentID, agency: agency)
    let determinant =
      picture.determinant
      ?? DeterminantState(code: "UNKNOWN", level: "unknown", levelRank: 0, plan: [], label: "")
    let protocolID = first?.protocolID ?? "incident"
    let protocolVersion = first?.protocolVersion ?? "0"
    func offset(_ date: Date) -> Double { max(0, date.timeIntervalSince(picture.openedAt)) }
    let at = offset(picture.updatedAt)

    // The incident: the merged facts, the place, the notes with their sources.
    var fields: [RecordSnapshot.Field] = []
    if let place = picture.place {
      fields.append(
        RecordSnapshot.Field(
          field: .incidentLocation, source: "location", value: .text(place), text: place,
          updatedAt: 0))
    }
    for fact in picture.facts {
      let question =
        calls.first { $0.callID == fact.latest.calls.last }?.fact(fact.field)?.question
        ?? fact.field.rawValue
      fields.append(
        RecordSnapshot.Field(
          field: fact.field, source: question, value: fact.latest.value, text: fact.latest.text,
          updatedAt: offset(fact.latest.observedAt)))
    }
    var notes: [CallNote] = picture.facts.map { fact in
      var text =
        "\(IncidentPicture.label(fact.field)): \(fact.latest.text), said by "
        + fact.latest.calls.joined(separator: ", ")
      let others = fact.values.filter { $0.key != fact.latest.key }
      if !others.isEmpty {
        text +=
          "; others said "
          + others.map { "\($0.text) (\($0.calls.joined(separator: ", ")))" }
          .joined(separator: "; ")
      }
      return CallNote(at: offset(fact.latest.observedAt), text: text)
    }
    notes += picture.relays.filter { $0.calls.count > 1 }.map {
      CallNote(at: at, text: "relay corroborated by \($0.calls.count) callers: \($0.text)")
    }
    let verifications = picture.verifications.map {
      RecordSnapshot.Verification(
        id: $0.id, confirm: $0.text, evidence: "callers of \(picture.incidentID)",
        status: .pending, unit: nil, raisedAt: at, updatedAt: at)
    }
    let incidentSnapshot = RecordSnapshot(
      sequence: 1, at: at, dispatchPoint: "incident", determinant: determinant,
      determinantUpdatedAt: 0, fields: fields.sorted { $0.field < $1.field }, notes: notes,
      verifications: verifications, callerConnected: true,
      callEnded: !calls.isEmpty && calls.allSatisfy(\.ended))
    let incidentContext = CallContext(
      callID: safeID(picture.incidentID), startedAt: picture.openedAt, agencyID: agency,
      agentID: first?.position ?? "position-1", incidentTrackingID: tracking)
    var document = EIDOEncoder.eido(
      for: incidentSnapshot, context: incidentContext, protocolID: protocolID,
      protocolVersion: protocolVersion)
    // The base document's own caller and call stand for no one: each call brings its own.
    let baseCallers = Set(
      (document.personComponent ?? []).filter {
        $0.personIncidentRoleRegistryText.contains("Caller")
      }.map(\.id))
    document.personComponent = (document.personComponent ?? []).filter {
      !baseCallers.contains($0.id)
    }
    document.callComponent = []
    document.callbackComponent = nil

    // Each call: its caller, call, callback and the caller's own location.
    for call in calls {
      var callFields: [RecordSnapshot.Field] = call.facts.filter {
        IncidentCall.callerFields.contains($0.field)
      }.map {
        RecordSnapshot.Field(
          field: $0.field, source: $0.question, value: $0.value, text: $0.text,
          updatedAt: max(0, $0.observedAt.timeIntervalSince(call.startedAt)))
      }
      if let how = call.howKnown {
        callFields.append(
          RecordSnapshot.Field(
            field: .callerHowKnown, source: "how_known", value: .option(how),
            text: how.replacingOccurrences(of: "_", with: " "), updatedAt: 0))
      }
      let snapshot = RecordSnapshot(
        sequence: 1, at: max(0, call.updatedAt.timeIntervalSince(call.startedAt)),
        dispatchPoint: "incident", determinant: call.determinant ?? determinant,
        determinantUpdatedAt: 0, fields: callFields.sorted { $0.field < $1.field }, notes: [],
        verifications: [], callerConnected: true, callEnded: call.ended)
      let context = CallContext(
        callID: call.callID, startedAt: call.startedAt, agencyID: call.agency,
        agentID: call.position, incidentTrackingID: tracking)
      let own = EIDOEncoder.eido(
        for: snapshot, context: context, protocolID: call.protocolID,
        protocolVersion: call.protocolVersion)
      let persons = (own.personComponent ?? []).filter {
        $0.personIncidentRoleRegistryText.contains("Caller")
      }
      var keptNotes = Set<String>()
      for person in persons { keptNotes.formUnion((person.notesReference ?? []).map(\.ref)) }
      for item in own.callComponent ?? [] {
        keptNotes.formUnion((item.notesReference ?? []).map(\.ref))
      }
      let keptLocations = Set(
        persons.flatMap { $0.locationReference ?? [] }.map(\.ref)
          + (own.callComponent ?? []).flatMap { $0.locationReference ?? [] }.map(\.ref))
      for location in own.locationComponent ?? [] where keptLocations.contains(location.id) {
        keptNotes.formUnion((location.notesReference ?? []).map(\.ref))
      }
      document.personComponent = (document.personComponent ?? []) + persons
      document.callComponent = (document.callComponent ?? []) + (own.callComponent ?? [])
      document.callbackComponent =
        (document.callbackComponent ?? []) + (own.callbackComponent ?? [])
      document.locationComponent =
        (document.locationComponent ?? [])
        + (own.locationComponent ?? []).filter { keptLocations.contains($0.id) }
      document.notesComponent =
        (document.notesComponent ?? [])
        + (own.notesComponent ?? []).filter { keptNotes.contains($0.id) }
      for agent in own.agentComponent ?? []
      where !(document.agentComponent ?? []).contains(where: { $0.id == agent.id }) {
        document.agentComponent = (document.agentComponent ?? []) + [agent]
      }
    }
    if document.callbackComponent?.isEmpty ?? true { document.callbackComponent = nil }
    if document.callComponent?.isEmpty ?? true { document.callComponent = nil }
    if document.personComponent?.isEmpty ?? true { document.personComponent = nil }
    if var incident = document.incidentComponent {
      incident.personReference = document.personComponent.map { $0.map { EIDOReference($0.id) } }
      incident.internalIncidentId = picture.incidentID
      document.incidentComponent = incident
    }
    return document
  }

  /// The document as deterministic JSON bytes.
  public static func json(for picture: IncidentPicture, calls: [IncidentCall]) -> Data {
    EIDOEncoder.encode(document(for: picture, calls: calls))
  }

  /// An incident id as a call id (letters, digits, '-' and '_'), for component ids.
  static func safeID(_ id: String) -> String {
    let mapped = String(
      id.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "-" })
    return String(mapped.prefix(80))
  }
}
