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
    responseLevelCount: Int
  ) {
    self.snapshot = snapshot
    self.context = context
    self.protocolID = protocolID
    self.protocolVersion = protocolVersion
    self.responseLevelCount = responseLevelCount
    ids = EIDOIdentifiers(callID: context.callID, agencyID: context.agencyID)
    agency = EIDOReference(context.agencyID)
    agent = EIDOReference(context.agentID)
  }

  // MARK: - The document

  mutating func build() -> EIDODocument {
    addDeterminantNote()
    let incidentLocation = addLocation(
      .incidentLocation, type: "CurrentIncident", tag: "locincident", role: "location/incident")
    let callerLocation = addLocation(
      .callerLocation, type: "Caller", tag: "loccaller", role: "location/caller")
    let callback = addCallback()
    let caller = addCaller(location: callerLocation, callback: callback)
    addSuspects()
    addVictims()
    addOfficer()
    used.insert(key(.incidentType))
    for field in snapshot.fields where !used.contains(key(field)) {
      _ = note(for: field)
    }
    addVerificationNotes()
    addCallTakerNotes()
    let callStateNote = addCallStateNote()
    let incident = incidentComponent(location: incidentLocation)
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
          agencyType: ["psap"])
      ],
      agentComponent: [
        EIDODocument.Agent(
          id: context.agentID, lastUpdateTimeStamp: start, updatedByAgencyReference: agency,
          updatedByAgentReference: agent, agentRoleRegistryText: ["Call Taking"],
          agencyReference: agency)
      ],
      notesComponent: nonEmpty(notes), locationComponent: nonEmpty(locations),
      personComponent: nonEmpty(persons), vehicleComponent: nonEmpty(vehicles))
  }

  func incidentComponent(location: EIDOReference?) -> EIDODocument.Incident {
    let determinant = snapshot.determinant
    var status: [String]?
    if case .word(let word)? = snapshot.field(.incidentType)?.value { status = [word] }
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
      incidentStatusCommonRegistryText: ["Active"], incidentStatusInternalText: status,
      incidentPriorityInternalText: determinant.level,
      incidentCommonPriorityNumber: EIDOEncoder.commonPriority(
        levelRank: determinant.levelRank, levelCount: responseLevelCount),
      internalIncidentId: context.callID, agentReference: [agent],
      locationReference: location.map { [$0] },
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
    return EIDODocument.Call(
      id: ids.call, lastUpdateTimeStamp: time(updated), updatedByAgencyReference: agency,
      updatedByAgentReference: agent, standardPrimaryCallType: "emergency",
      localCallType: protocolID, direction: "incoming", callStartTimestamp: time(0),
      answerDate: time(0), callStateRegistryText: onLine ? "callAnswered" : "callEnd",
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
    let id = ids.component(tag, role: role)
    let stamp = time(entry.updatedAt)
    let pidf = CivicAddress(recognizing: text).map {
      $0.pidf(
        entity: "pres:\(tag).\(ids.callKey)@\(context.agencyID)", tupleID: tag + ids.callKey,
        timestamp: stamp)
    }
    locations.append(
      EIDODocument.Location(
        id: id, lastUpdateTimeStamp: stamp, updatedByAgencyReference: agency,
        updatedByAgentReference: agent, locationTypeDescriptionRegistryText: type,
        locationByValue: pidf, locationDescriptionText: prefix.map { "\($0): \(text)" } ?? text,
        notesReference: nonEmpty(notes)))
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
