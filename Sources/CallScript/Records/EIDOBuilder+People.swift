/// The people of the record: the caller, the attackers, the people hurt, an officer on scene.
extension EIDOBuilder {
  /// Attacker person components written at most, however many are reported.
  static let maximumSuspects = 10

  /// The caller, always present.
  ///
  /// A person with the role `Caller` (and `Witness` when they saw or heard the attack), with
  /// their safety, speech and source in the description.
  mutating func addCaller(location: EIDOReference?, callback: EIDOReference?) -> EIDOReference {
    var roles = ["Caller"]
    if case .option(let how)? = snapshot.field(.callerHowKnown)?.value,
      how == "saw" || how == "heard"
    {
      roles.append("Witness")
    }
    var description: [EIDOText] = []
    for field in [RecordField.callerSafety, .callerCanSpeak, .callerHowKnown] {
      if let entry = take(field) { description.append(EIDOText(labelled(entry))) }
    }
    var references: [EIDOReference] = []
    if let entry = snapshot.field(.callerPeopleWith) { references.append(note(for: entry)) }
    let id = ids.component("caller", role: "person/caller")
    let fields = RecordField.allCases.filter { $0.rawValue.hasPrefix("caller.") }
    persons.append(
      EIDODocument.Person(
        id: id, lastUpdateTimeStamp: time(updated(fields)), updatedByAgencyReference: agency,
        updatedByAgentReference: agent, personIncidentRoleRegistryText: roles,
        callIdentifier: [ids.call], ncPersonComponent: details(description),
        callBackReference: callback, locationReference: location.map { [$0] },
        notesReference: nonEmpty(references)))
    return EIDOReference(id)
  }

  /// One person with the role `Suspect` per attacker reported.
  ///
  /// At least one when anything is known about them, at most ``maximumSuspects``. The first
  /// carries the description, armor, last known location and the notes on weapons, direction,
  /// status and count; the others are placeholders that keep their ids as the count changes. A
  /// vehicle becomes a suspect vehicle.
  mutating func addSuspects() {
    let fields = RecordField.allCases.filter { $0.rawValue.hasPrefix("suspect.") }
    let others = fields.filter { $0 != .suspectCount && snapshot.field($0) != nil }
    let countEntry = snapshot.field(.suspectCount)
    var count = 1
    if case .count(let low, _)? = countEntry?.value {
      if low == 0 && others.isEmpty { return }
      count = min(max(low, 1), Self.maximumSuspects)
    } else if others.isEmpty && countEntry == nil {
      return
    }
    var references: [EIDOReference] = []
    let countNote = countEntry.map { note(for: $0) }
    for field in [RecordField.suspectWeapons, .suspectDirection, .suspectStatus] {
      if let entry = snapshot.field(field) { references.append(note(for: entry)) }
    }
    var placeNotes: [EIDOReference] = []
    for field in [RecordField.suspectLastSeen, .suspectLocationSource] {
      if let entry = snapshot.field(field) { placeNotes.append(note(for: entry)) }
    }
    let location = addLocation(
      .suspectLocation, type: "Other", tag: "locsuspect", role: "location/suspect",
      prefix: label(.suspectLocation), notes: placeNotes)
    var description: [EIDOText] = []
    if let entry = take(.suspectDescription) {
      if case .text(let text) = entry.value {
        description.append(EIDOText(text))
      } else {
        description.append(EIDOText(labelled(entry)))
      }
    }
    if let entry = take(.suspectArmor) { description.append(EIDOText(labelled(entry))) }
    addSuspectVehicle()
    persons.append(
      EIDODocument.Person(
        id: ids.component("suspect1", role: "person/suspect/1"),
        lastUpdateTimeStamp: time(updated(fields)), updatedByAgencyReference: agency,
        updatedByAgentReference: agent, personIncidentRoleRegistryText: ["Suspect"],
        callIdentifier: nil, ncPersonComponent: details(description), callBackReference: nil,
        locationReference: location.map { [$0] },
        notesReference: nonEmpty((countNote.map { [$0] } ?? []) + references + placeNotes)))
    guard count > 1, let countEntry else { return }
    for number in 2...count {
      persons.append(
        EIDODocument.Person(
          id: ids.component("suspect\(number)", role: "person/suspect/\(number)"),
          lastUpdateTimeStamp: time(countEntry.updatedAt), updatedByAgencyReference: agency,
          updatedByAgentReference: agent, personIncidentRoleRegistryText: ["Suspect"],
          callIdentifier: nil,
          ncPersonComponent: details([
            EIDOText("Attacker \(number) of \(countEntry.text) reported; not described apart")
          ]), callBackReference: nil, locationReference: nil,
          notesReference: countNote.map { [$0] }))
    }
  }

  /// The attacker's vehicle, when it was described.
  mutating func addSuspectVehicle() {
    guard let entry = snapshot.field(.suspectVehicle), case .text(let text) = entry.value else {
      return
    }
    used.insert(key(entry))
    let stamp = time(entry.updatedAt)
    vehicles.append(
      EIDODocument.Vehicle(
        id: ids.component("vehicle1", role: "vehicle/suspect/1"), lastUpdateTimeStamp: stamp,
        updatedByAgencyReference: agency, updatedByAgentReference: agent,
        vehicleRelationshipType: ["SuspectVehicle"], vehicleRelationshipTimeStamp: stamp,
        ncVehicleComponent: EIDODocument.VehicleDetails(description: [EIDOText(text)]),
        notesReference: nil))
  }

  /// The people hurt, as one person with the role `Victim`.
  ///
  /// It has how many, their injuries and where they are; only when someone is hurt (a count of
  /// none stays a note).
  mutating func addVictims() {
    var hurt = false
    if case .count(let low, _)? = snapshot.field(.victimsCount)?.value, low >= 1 { hurt = true }
    for field in [RecordField.victimsLocation, .victimsInjuries] {
      if case .text? = snapshot.field(field)?.value { hurt = true }
    }
    guard hurt else { return }
    var description: [EIDOText] = []
    if let entry = take(.victimsCount) { description.append(EIDOText(labelled(entry))) }
    var injuries: [EIDODocument.Injury]?
    if let entry = snapshot.field(.victimsInjuries), case .text(let text) = entry.value {
      used.insert(key(entry))
      injuries = [EIDODocument.Injury(description: [EIDOText(text)])]
    }
    let location = addLocation(
      .victimsLocation, type: "Other", tag: "locvictims", role: "location/victims",
      prefix: label(.victimsLocation))
    let fields = RecordField.allCases.filter { $0.rawValue.hasPrefix("victims.") }
    persons.append(
      EIDODocument.Person(
        id: ids.component("victims", role: "person/victims"),
        lastUpdateTimeStamp: time(updated(fields)), updatedByAgencyReference: agency,
        updatedByAgentReference: agent, personIncidentRoleRegistryText: ["Victim"],
        callIdentifier: nil,
        ncPersonComponent: EIDODocument.PersonDetails(
          description: nonEmpty(description), injury: injuries),
        callBackReference: nil, locationReference: location.map { [$0] }, notesReference: nil))
  }

  /// A police officer on scene (often in plain clothes or off duty) as a person.
  ///
  /// The role is `InvolvedPerson`; the description has duty, clothing and whether they are
  /// armed, and the location where they are, so that arriving units do not take them for the
  /// attacker.
  mutating func addOfficer() {
    let onScene = snapshot.field(.officerOnScene)?.value
    let detailFields: [RecordField] = [
      .officerDuty, .officerDescription, .officerArmed, .officerLocation,
    ]
    let anyKnown = detailFields.contains { snapshot.field($0)?.value.isKnown ?? false }
    guard onScene == .yesNo(true) || (onScene != .yesNo(false) && anyKnown) else { return }
    var description: [EIDOText] = []
    for field in [RecordField.officerOnScene, .officerDuty, .officerDescription, .officerArmed] {
      if let entry = take(field) { description.append(EIDOText(labelled(entry))) }
    }
    let location = addLocation(
      .officerLocation, type: "Other", tag: "locofficer", role: "location/officer",
      prefix: label(.officerLocation))
    let fields = RecordField.allCases.filter { $0.rawValue.hasPrefix("officer.") }
    persons.append(
      EIDODocument.Person(
        id: ids.component("officer", role: "person/officer"),
        lastUpdateTimeStamp: time(updated(fields)), updatedByAgencyReference: agency,
        updatedByAgentReference: agent, personIncidentRoleRegistryText: ["InvolvedPerson"],
        callIdentifier: nil, ncPersonComponent: details(description),
        callBackReference: nil, locationReference: location.map { [$0] }, notesReference: nil))
  }

  /// The snapshot's entry for `field`, marked as placed.
  mutating func take(_ field: RecordField) -> RecordSnapshot.Field? {
    guard let entry = snapshot.field(field) else { return nil }
    used.insert(key(entry))
    return entry
  }

  /// NIEM person details with a description, or nil when there is none.
  func details(_ description: [EIDOText]) -> EIDODocument.PersonDetails? {
    description.isEmpty ? nil : EIDODocument.PersonDetails(description: description, injury: nil)
  }
}
