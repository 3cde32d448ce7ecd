import Foundation

/// Builds one EIDO document from one snapshot: the incident, the call, the people, places and
/// notes, with every field of the snapshot placed somewhere.
///
/// Fields with a dedicated home (a location, a person's description, the callback number, the
/// incident type) are taken there and marked used; every field left over at the end becomes a
/// note of its own, so nothing the caller said is lost.
struct EIDOBuilder {
  let snapshot: RecordSnapshot
  let context: CallContext
  let protocolID: String
  let protocolVersion: String
  let responseLevelCount: Int
  /// The response plan's resources in words, by id.
  let resourceLabels: [String: String]
  let ids: EIDOIdentifiers
  let agency: EIDOReference
  let agent: EIDOReference

  var notes: [EIDODocument.Note] = []
  var noteIDs: [String: String] = [:]
  var locations: [EIDODocument.Location] = []
  var persons: [EIDODocument.Person] = []
  var vehicles: [EIDODocument.Vehicle] = []
  var callbacks: [EIDODocument.Callback] = []
  /// Fields placed so far, by `field|source`.
  var used: Set<String> = []

  init(
    snapshot: RecordSnapshot, context: CallContext, protocolID: String, protocolVersion: String,
    responseLevelCount: Int, resourceLabels: [String: String] = [:]
  ) {
    self.resourceLabels = resourceLabels
    self.snapshot = snapshot
    self.context = context
    self.protocolID = protocolID
    self.protocolVersion = protocolVersion
    self.responseLevelCount = responseLevelCount
    ids = EIDOIdentifiers(context: context)
    agency = EIDOReference(context.agencyID)
    agent = EIDOReference(context.agent ?? context.agentID)
  }

  // MARK: - The document

  mutating func build() -> EIDODocument {
    let notLive = addNotLiveNote()
    addDeterminantNote()
    var incidentLocations: [EIDOReference] = []
    incidentLocations +=
      addLocation(
        .incidentLocation, type: "CurrentIncident", tag: "locincident", role: "location/incident"
      ).map { [$0] } ?? []
    incidentLocations += addStagingLocation().map { [$0] } ?? []
    let callerLocation = addCallerLocation()
    let callback = addCallback()
    let caller = addCaller(location: callerLocation, callback: callback)
    addSuspects()
    addVictims()
    if !officerIsCaller { addOfficer() }
    used.insert(key(.incidentType))
    for field in snapshot.fields where !used.contains(key(field)) {
      _ = note(for: field)
    }
    addVerificationNotes()
    addCallTakerNotes()
    let callStateNote = addCallStateNote()
    let incident = incidentComponent(locations: incidentLocations)
    let call = callComponent(
      caller: caller, location: callerLocation, callback: callback, note: callStateNote)
    let start = time(0)
    return EIDODocument(
      id: ids.incident, lastUpdateTimeStamp: time(snapshot.at), updatedByAgencyReference: agency,
      updatedByAgentReference: agent, eidoVersion: "1.0",
      issuingElementIdentification: "callscript.\(context.agencyID)",
      incidentComponent: incident, callComponent: [call], callbackComponent: nonEmpty(callbacks),
      agencyComponent: [
        EIDODocument.Agency(
          id: context.agencyID, lastUpdateTimeStamp: start, updatedByAgencyReference: agency,
          updatedByAgentReference: agent, agencyRoleDescriptionRegistryText: ["CallReceiving"],
          agencyType: ["psap"], notesReference: notLive.map { [$0] })
      ],
      agentComponent: [
        EIDODocument.Agent(
          id: agent.ref, lastUpdateTimeStamp: start, updatedByAgencyReference: agency,
          updatedByAgentReference: agent,
          agentWorkstationPositionIdentification: context.agent == nil ? nil : context.agentID,
          agentRoleRegistryText: ["Call Taking"], agencyReference: agency)
      ],
      notesComponent: nonEmpty(notes), locationComponent: nonEmpty(locations),
      personComponent: nonEmpty(persons), vehicleComponent: nonEmpty(vehicles))
  }

  func incidentComponent(locations: [EIDOReference]) -> EIDODocument.Incident {
    let determinant = snapshot.determinant
    var status: [String] = []
    if case .word(let word)? = snapshot.field(.incidentType)?.value { status.append(word) }
    if !snapshot.callerConnected && !snapshot.callEnded { status.append("caller-disconnected") }
    let typeFields: [RecordField] = [
      .incidentType, .incidentKind, .suspectWeapons, .threatsExplosions,
    ]
    let updated = typeFields.compactMap { snapshot.field($0)?.updatedAt }
      .reduce(snapshot.determinantUpdatedAt, max)
    return EIDODocument.Incident(
      id: ids.component("incident", role: "incident"), lastUpdateTimeStamp: time(updated),
      updatedByAgencyReference: agency, updatedByAgentReference: agent,
      incidentTypeCommonRegistryText: EIDOIncidentType.code(for: snapshot),
      incidentTypeInternalCode: determinant.code, incidentTypeInternalText: determinant.label,
      incidentStatusCommonRegistryText: ["Active"], incidentStatusInternalText: nonEmpty(status),
      incidentPriorityInternalText: determinant.level,
      incidentCommonPriorityNumber: EIDOEncoder.commonPriority(
        levelRank: determinant.levelRank, levelCount: responseLevelCount),
      internalIncidentId: context.callID, agentReference: [agent],
      locationReference: nonEmpty(locations),
      personReference: nonEmpty(persons.map { EIDOReference($0.id) }),
      vehicleReference: nonEmpty(vehicles.map { EIDOReference($0.id) }),
      notesReference: nonEmpty(notes.map { EIDOReference($0.id) }))
  }

  func callComponent(
    caller: EIDOReference, location: EIDOReference?, callback: EIDOReference?,
    note: EIDOReference?
  ) -> EIDODocument.Call {
    let onLine = snapshot.callerConnected && !snapshot.callEnded
    var updated = [RecordField.callerCallback, .callerLocation]
      .compactMap { snapshot.field($0)?.updatedAt }.reduce(0, max)
    if !onLine { updated = max(updated, snapshot.at) }
    // A dropped line is a state of the caller, not of the call: the call stays answered (the
    // call-taker calls back) until it is ended; the incident status and a note say so.
    return EIDODocument.Call(
      id: ids.call, lastUpdateTimeStamp: time(updated), updatedByAgencyReference: agency,
      updatedByAgentReference: agent, standardPrimaryCallType: "emergency",
      localCallType: protocolID, direction: "incoming", callStartTimestamp: time(0),
      answerDate: time(0), callStateRegistryText: snapshot.callEnded ? "callEnd" : "callAnswered",
      callBackReference: callback, agentReference: [agent],
      locationReference: location.map { [$0] },
      personReference: [caller], notesReference: note.map { [$0] })
  }

  // MARK: - Places and the callback number

  /// A location component for a known location field; nil (and the field left for a note) when
  /// the field is missing or not a real answer.
  mutating func addLocation(
    _ field: RecordField, type: String, tag: String, role: String, prefix: String? = nil,
    notes: [EIDOReference] = []
  ) -> EIDOReference? {
    guard let entry = snapshot.field(field), case .text(let text) = entry.value else { return nil }
    used.insert(key(entry))
    return addPlace(
      text, at: entry.updatedAt, type: type, tag: tag, role: role, prefix: prefix, notes: notes)
  }

  /// A location component for a place given in words.
  ///
  /// `locationByValue` is always a PIDF-LO civic address, as NENA-STA-021 asks of every
  /// location: the street address when one is recognised, else the building, floor, unit and
  /// room found and the other words as `LOC`, with the agency's country and state. An
  /// intersection ("Main and 5th") is the first street there and the second in
  /// `intersectingStreetByValue`.
  mutating func addPlace(
    _ text: String, at offset: Double, type: String, tag: String, role: String,
    prefix: String? = nil, notes: [EIDOReference] = []
  ) -> EIDOReference {
    let id = ids.component(tag, role: role)
    let stamp = time(offset)
    let settings = context.agencySettings
    var address = CivicAddress(recognizing: text) ?? CivicAddress(describing: text)
    var intersecting: [String]?
    if address.houseNumber == nil, let (first, second) = CivicAddress.intersection(in: text) {
      address = CivicAddress(street: first)
      address.additional = text
      intersecting = [
        CivicAddress(street: second).located(in: settings).pidf(
          entity: "pres:\(tag)x.\(ids.callKey)@\(context.agencyID)",
          tupleID: tag + "x" + ids.callKey, timestamp: stamp)
      ]
    }
    let pidf = address.located(in: settings).pidf(
      entity: "pres:\(tag).\(ids.callKey)@\(context.agencyID)", tupleID: tag + ids.callKey,
      timestamp: stamp)
    locations.append(
      EIDODocument.Location(
        id: id, lastUpdateTimeStamp: stamp, updatedByAgencyReference: agency,
        updatedByAgentReference: agent, locationTypeDescriptionRegistryText: type,
        locationByValue: pidf, locationDescriptionText: prefix.map { "\($0): \(text)" } ?? text,
        intersectingStreetByValue: intersecting, notesReference: nonEmpty(notes)))
    return EIDOReference(id)
  }

  /// The caller's location; for a caller who is a police officer, the latest of where they
  /// said they are (`caller.location`, `officer.location`), the other as a note on it.
  mutating func addCallerLocation() -> EIDOReference? {
    guard officerIsCaller, let officerPlace = snapshot.field(.officerLocation),
      case .text = officerPlace.value
    else {
      return addLocation(.callerLocation, type: "Caller", tag: "loccaller", role: "location/caller")
    }
    guard let callerPlace = snapshot.field(.callerLocation), case .text = callerPlace.value else {
      return addLocation(
        .officerLocation, type: "Caller", tag: "loccaller", role: "location/caller")
    }
    let (latest, earlier) =
      officerPlace.updatedAt >= callerPlace.updatedAt
      ? (RecordField.officerLocation, callerPlace) : (.callerLocation, officerPlace)
    let earlierNote = note(for: earlier)
    return addLocation(
      latest, type: "Caller", tag: "loccaller", role: "location/caller", notes: [earlierNote])
  }

  /// A `Staging` location when the response plan sends units to a staging area.
  ///
  /// The call does not say where that is: incident command sets it. The location says so in
  /// words, and its civic address holds only the agency's area, so that no unit is sent to
  /// stage at the incident's own address.
  mutating func addStagingLocation() -> EIDOReference? {
    let staging = plan.filter { $0.localizedCaseInsensitiveContains("staging") }
    guard !staging.isEmpty else { return nil }
    let text =
      "Staging area, not given on the call (incident command sets it, outside the danger "
      + "zone), for: \(staging.joined(separator: "; "))"
    let id = ids.component("locstaging", role: "location/staging")
    let stamp = time(snapshot.determinantUpdatedAt)
    var address = CivicAddress(describing: "")
    address.additional = "Staging area set by incident command"
    locations.append(
      EIDODocument.Location(
        id: id, lastUpdateTimeStamp: stamp, updatedByAgencyReference: agency,
        updatedByAgentReference: agent, locationTypeDescriptionRegistryText: "Staging",
        locationByValue: address.located(in: context.agencySettings).pidf(
          entity: "pres:locstaging.\(ids.callKey)@\(context.agencyID)",
          tupleID: "locstaging" + ids.callKey, timestamp: stamp),
        locationDescriptionText: text, intersectingStreetByValue: nil, notesReference: nil))
    return EIDOReference(id)
  }

  /// The callback number the caller gave, when it holds a usable number.
  mutating func addCallback() -> EIDOReference? {
    guard let entry = snapshot.field(.callerCallback), case .text(let text) = entry.value,
      let uri = Self.telURI(text, agency: context.agencyID)
    else { return nil }
    used.insert(key(entry))
    let stamp = time(entry.updatedAt)
    let id = ids.component("callback", role: "callback/caller")
    callbacks.append(
      EIDODocument.Callback(
        id: id, lastUpdateTimeStamp: stamp, updatedByAgencyReference: agency,
        updatedByAgentReference: agent,
        updatedCbn: EIDODocument.UpdatedCallbackNumber(
          id: ids.component("cbn", role: "callback/caller/number"), lastUpdateTimeStamp: stamp,
          updatedByAgencyReference: agency, updatedByAgentReference: agent,
          updatedCbnIdentifierUri: uri,
          updatedCbnCallerDescription: "Given by the caller: \(text) (source: \(entry.source))")))
    return EIDOReference(id)
  }

  /// A `tel:` URI (RFC 3966) for a number typed as the caller said it, or nil.
  ///
  /// The number is the first run of digits and `+-(). ` in the text, 3 to 15 digits. A number
  /// with a leading `+` is global; any other is local to the agency (`phone-context`), when the
  /// agency id is a domain name.
  static func telURI(_ text: String, agency agencyID: String) -> String? {
    guard let start = text.firstIndex(where: { $0 == "+" || ($0.isASCII && $0.isNumber) })
    else { return nil }
    let run = text[start...].prefix { ($0.isASCII && $0.isNumber) || "+-(). ".contains($0) }
    let digits = run.filter { $0.isASCII && $0.isNumber }
    guard (3...15).contains(digits.count) else { return nil }
    if run.first == "+" { return "tel:+\(digits)" }
    return isDomainName(agencyID) ? "tel:\(digits);phone-context=\(agencyID)" : "tel:\(digits)"
  }

  /// Whether `text` is a domain name as RFC 3966 allows in `phone-context`.
  static func isDomainName(_ text: String) -> Bool {
    let labels = text.split(separator: ".", omittingEmptySubsequences: false)
    guard let top = labels.last, let first = top.first, first.isASCII, first.isLetter else {
      return false
    }
    return labels.allSatisfy { label in
      !label.isEmpty && label.first != "-" && label.last != "-"
        && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
  }

  // MARK: - Helpers

  /// The response plan in words.
  var plan: [String] {
    snapshot.determinant.plan.map { resourceLabels[$0] ?? $0 }
  }

  /// Whether the officer of `officer.*` is the caller: `officer.on_scene` was answered by a
  /// question about the caller (its id starts with `caller`, as the built-in `caller_officer`).
  var officerIsCaller: Bool {
    snapshot.field(.officerOnScene).map { $0.source.hasPrefix("caller") } ?? false
  }

  /// The wall-clock timestamp of a call-clock offset.
  func time(_ offset: Double) -> String {
    EIDOTimestamp.string(context.date(at: offset))
  }

  func key(_ field: RecordSnapshot.Field) -> String {
    "\(field.field.rawValue)|\(field.source)"
  }

  /// The key of the snapshot's entry for `field`, or of nothing.
  func key(_ field: RecordField) -> String {
    snapshot.field(field).map(key) ?? "\(field.rawValue)|"
  }

  /// The latest change among `fields`, or 0.
  func updated(_ fields: [RecordField]) -> Double {
    fields.compactMap { snapshot.field($0)?.updatedAt }.reduce(0, max)
  }

  /// nil for an empty array, so it is left out of the JSON.
  func nonEmpty<Element>(_ array: [Element]) -> [Element]? {
    array.isEmpty ? nil : array
  }
}
