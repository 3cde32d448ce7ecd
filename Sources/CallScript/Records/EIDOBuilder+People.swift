/// The people of the record: the caller, the attackers, the people hurt, an officer on scene.
extension EIDOBuilder {
  /// Attacker person components written at most, however many are reported.
  static let maximumSuspects = 10
  /// Victim person components written at most, however many are reported.
  static let maximumVictims = 10

  /// Attacker, victim and officer groups of fields, by prefix.
  func fields(_ prefix: String) -> [RecordField] {
    RecordField.allCases.filter { $0.rawValue.hasPrefix(prefix) }
  }

  /// The caller, always present.
  ///
  /// A person with the role `Caller` (and `Witness` when they saw or heard the attack), with
  /// their safety, speech and source in the description. A caller who is a police officer is
  /// the same person: their duty, clothing and weapon are lines of the same description.
  mutating func addCaller(location: EIDOReference?, callback: EIDOReference?) -> EIDOReference {
    var roles = ["Caller"]
    if case .option(let how)? = snapshot.field(.callerHowKnown)?.value,
      how == "saw" || how == "heard"
    {
      roles.append("Witness")
    }
    var description: [EIDOText] = []
    var lines: [RecordField] = [.callerSafety, .callerCanSpeak, .callerHowKnown]
    var fields = fields("caller.")
    if officerIsCaller {
      lines += [.officerOnScene, .officerDuty, .officerDescription, .officerArmed]
      fields += self.fields("officer.")
    }
    for field in lines {
      guard let entry = take(field) else { continue }
      description.append(
        EIDOText(
          field == .officerOnScene ? "Caller is a police officer: \(entry.text)" : labelled(entry)))
    }
    var references: [EIDOReference] = []
    if let entry = snapshot.field(.callerPeopleWith) { references.append(note(for: entry)) }
    let id = ids.component("caller", role: "person/caller")
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
  /// At least one when anything is known about them, at most ``maximumSuspects``; only one
  /// when a unit refuted a second attacker (the verification `second_attacker`). The first
  /// carries the description, armor, weapons, last known location and the notes on direction,
  /// status and count; the others say which attacker they are and keep their ids as the count
  /// changes. A vehicle becomes a suspect vehicle linked to the first.
  mutating func addSuspects() {
    let fields = fields("suspect.")
    let others = fields.filter { $0 != .suspectCount && snapshot.field($0) != nil }
    let countEntry = snapshot.field(.suspectCount)
    var count = 1
    if case .count(let low, _)? = countEntry?.value {
      if low == 0 && others.isEmpty { return }
      count = min(max(low, 1), Self.maximumSuspects)
    } else if others.isEmpty {
      // No count in numbers (unknown, refused) and nothing else: no one to describe.
      return
    }
    let refuted = snapshot.verifications.contains {
      $0.id == "second_attacker" && $0.status == .refuted
    }
    if refuted { count = 1 }
    let firstID = ids.component("suspect1", role: "person/suspect/1")
    var references: [EIDOReference] = []
    let countNote = countEntry.map { note(for: $0) }
    for field in [RecordField.suspectDirection, .suspectStatus] {
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
    if let entry = take(.suspectWeapons) { description.append(EIDOText(labelled(entry))) }
    if let entry = take(.suspectArmor) { description.append(EIDOText(labelled(entry))) }
    if description.isEmpty {
      description.append(
        EIDOText(
          (count > 1 ? "Attacker 1 of \(count); not described" : "Attacker; not described")
            + (isSecondHand(.suspectCount) ? Self.secondHandMark : "")))
    }
    if let link = addSuspectVehicle(user: firstID, direction: references.first) {
      references.append(link)
    }
    persons.append(
      EIDODocument.Person(
        id: firstID, lastUpdateTimeStamp: time(updated(fields)),
        updatedByAgencyReference: agency, updatedByAgentReference: agent,
        personIncidentRoleRegistryText: ["Suspect"], callIdentifier: nil,
        ncPersonComponent: details(description), callBackReference: nil,
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
            EIDOText(
              "Attacker \(number) of \(countEntry.text) reported; not described apart"
                + (isSecondHand(.suspectCount) ? Self.secondHandMark : ""))
          ]), callBackReference: nil, locationReference: nil,
          notesReference: countNote.map { [$0] }))
    }
  }

  /// The attacker's vehicle, when it was described, linked to the attacker who uses it.
  ///
  /// The standard has no reference between a vehicle and a person, so the link is a note
  /// that both reference ("Vehicle used by the attacker"); the vehicle also references the
  /// note on the direction of travel. Returns the link note.
  mutating func addSuspectVehicle(user: String, direction: EIDOReference?) -> EIDOReference? {
    guard let entry = snapshot.field(.suspectVehicle), case .text(let text) = entry.value else {
      return nil
    }
    used.insert(key(entry))
    let stamp = time(entry.updatedAt)
    let vehicleID = ids.component("vehicle1", role: "vehicle/suspect/1")
    let link = ids.component(
      "note", role: "note/vehicle-user/1/1/\(revision(entry.updatedAt))")
    appendNote(
      id: link, at: entry.updatedAt,
      html: "<p data-vehicle=\"\(escape(vehicleID))\" data-person=\"\(escape(user))\">"
        + "Vehicle used by the attacker: \(escape(text))</p>")
    vehicles.append(
      EIDODocument.Vehicle(
        id: vehicleID, lastUpdateTimeStamp: stamp,
        updatedByAgencyReference: agency, updatedByAgentReference: agent,
        vehicleRelationshipType: ["SuspectVehicle"], vehicleRelationshipTimeStamp: stamp,
        ncVehicleComponent: EIDODocument.VehicleDetails(description: [EIDOText(text)]),
        notesReference: [EIDOReference(link)] + (direction.map { [$0] } ?? [])))
    return EIDOReference(link)
  }

  /// The people hurt: one person with the role `Victim` per person hurt or killed.
  ///
  /// As many as the count's lower bound (`2-3` is 2, `5 or more` is 5), at most
  /// ``maximumVictims``; one when only injuries or a place are known. The count in words is a
  /// note referenced by each; the first carries the injuries as described; all reference
  /// where people are hurt. None when no one is hurt (a count of none stays a note).
  mutating func addVictims() {
    var count = 0
    if case .count(let low, _)? = snapshot.field(.victimsCount)?.value { count = low }
    for field in [RecordField.victimsLocation, .victimsInjuries] {
      if case .text? = snapshot.field(field)?.value { count = max(count, 1) }
    }
    guard count >= 1 else { return }
    count = min(count, Self.maximumVictims)
    let countNote = snapshot.field(.victimsCount).map { note(for: $0) }
    var injuries: [EIDODocument.Injury]?
    if let entry = snapshot.field(.victimsInjuries), case .text(let text) = entry.value {
      used.insert(key(entry))
      injuries = [EIDODocument.Injury(description: [EIDOText(text)])]
    }
    let location = addLocation(
      .victimsLocation, type: "Other", tag: "locvictims", role: "location/victims",
      prefix: label(.victimsLocation))
    let countText = snapshot.field(.victimsCount)?.text
    let updated = time(updated(fields("victims.")))
    for number in 1...count {
      let description =
        (countText.map { "Person hurt or killed, \(number) of \($0) reported" }
          ?? "Person hurt or killed") + (isSecondHand(.victimsCount) ? Self.secondHandMark : "")
      persons.append(
        EIDODocument.Person(
          id: ids.component(
            number == 1 ? "victims" : "victim\(number)",
            role: number == 1 ? "person/victims" : "person/victim/\(number)"),
          lastUpdateTimeStamp: updated, updatedByAgencyReference: agency,
          updatedByAgentReference: agent, personIncidentRoleRegistryText: ["Victim"],
          callIdentifier: nil,
          ncPersonComponent: EIDODocument.PersonDetails(
            description: [EIDOText(description)], injury: number == 1 ? injuries : nil),
          callBackReference: nil, locationReference: location.map { [$0] },
          notesReference: countNote.map { [$0] }))
    }
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
