/// The notes of the record: one per field without a better place, the determinant, each
/// verification, each call-taker note and the state of the line. Notes are HTML fragments
/// whose `data-` attributes name what they came from, so a program can read them too.
///
/// Receivers keep notes as an append-only narrative, so a note never changes under its id:
/// a note's id is made from what it is about and when that last changed, and a new fact
/// (or a new state of a verification, the determinant or the line) is a new note.
extension EIDOBuilder {
  /// The note for a field (made once), marked as placed.
  mutating func note(for field: RecordSnapshot.Field) -> EIDOReference {
    let fieldKey = key(field)
    used.insert(fieldKey)
    if let id = noteIDs[fieldKey] { return EIDOReference(id) }
    let id = ids.component(
      "note", role: "note/\(field.field.rawValue)/\(field.source)/\(revision(field.updatedAt))")
    noteIDs[fieldKey] = id
    let secondHand = isSecondHand(field.field)
    let html =
      "<p data-field=\"\(escape(field.field.rawValue))\" data-source=\"\(escape(field.source))\""
      + (secondHand ? " data-report=\"second-hand\">" : ">")
      + "\(escape(labelled(field)))\(secondHand ? Self.secondHandMark : "")</p>"
    appendNote(id: id, at: field.updatedAt, html: html)
    return EIDOReference(id)
  }

  /// What second-hand facts are marked with, in notes and descriptions.
  static let secondHandMark = " (second-hand: the caller was told)"

  /// Whether `field` is a fact about the attack that the caller only heard from someone else:
  /// the caller's `how_known` is `told` (the built-in protocol's option) and the field is
  /// about the attackers, the people hurt or other threats.
  func isSecondHand(_ field: RecordField) -> Bool {
    guard snapshot.field(.callerHowKnown)?.value == .option("told") else { return false }
    return ["suspect.", "victims.", "threats."].contains { field.rawValue.hasPrefix($0) }
  }

  /// The part of a note's role that changes with its content: the call-clock time of the
  /// change in milliseconds.
  func revision(_ offset: Double) -> String {
    String(Int64((offset * 1000).rounded()))
  }

  /// For an agency that is not a live center (the placeholder agency, an example domain), a
  /// note saying so, referenced by the agency and the incident.
  mutating func addNotLiveNote() -> EIDOReference? {
    guard !context.isLiveCenter else { return nil }
    let id = ids.component("notlive", role: "note/not-live")
    appendNote(
      id: id, at: 0,
      html: "<p data-not-live=\"\(escape(context.agencyID))\">NOT FROM A LIVE 911 CENTER: "
        + "made by callscript for agency \(escape(context.agencyID)), a placeholder or example "
        + "agency (training, testing or a demonstration). Do not dispatch on it.</p>")
    return EIDOReference(id)
  }

  /// The determinant in force, its response plan, any override reason and the protocol.
  mutating func addDeterminantNote() {
    let determinant = snapshot.determinant
    let id = ids.component(
      "note", role: "note/determinant/\(revision(snapshot.determinantUpdatedAt))")
    var html =
      "<p data-determinant=\"\(escape(determinant.code))\""
      + " data-level=\"\(escape(determinant.level))\">"
      + "Determinant \(escape(determinant.code)) (\(escape(determinant.level))): "
      + "\(escape(determinant.label))</p>"
    if !plan.isEmpty {
      html += "<p>Response plan: \(escape(plan.joined(separator: "; ")))</p>"
    }
    if let reason = determinant.overrideReason {
      html += "<p>Raised by the call-taker: \(escape(reason))</p>"
    }
    html +=
      "<p data-dispatch-point=\"\(escape(snapshot.dispatchPoint))\">Call-taking protocol "
      + "\(escape(protocolID)) \(escape(protocolVersion))</p>"
    appendNote(id: id, at: snapshot.determinantUpdatedAt, html: html)
  }

  /// One note per verification: what to confirm on arrival, what the report rests on, and
  /// where it stands (pending, or confirmed or refuted by a unit).
  mutating func addVerificationNotes() {
    for verification in snapshot.verifications {
      var status = verification.status.rawValue
      if verification.status != .pending, let unit = verification.unit {
        status += " by \(unit)"
      }
      let html =
        "<p data-verification=\"\(escape(verification.id))\""
        + " data-status=\"\(verification.status.rawValue)\">"
        + "Verify on arrival: \(escape(verification.confirm))</p>"
        + "<p>Report rests on: \(escape(verification.evidence))</p>"
        + "<p>Status: \(escape(status))</p>"
      appendNote(
        id: ids.component(
          "note",
          role: "note/verification/\(verification.id)/\(revision(verification.updatedAt))"),
        at: verification.updatedAt, html: html)
    }
  }

  /// The call-taker's free notes, in the order written.
  mutating func addCallTakerNotes() {
    for (index, note) in snapshot.notes.enumerated() {
      appendNote(
        id: ids.component("note", role: "note/call-taker/\(index + 1)"), at: note.at,
        html: "<p data-source=\"call-taker\">\(escape(note.text))</p>")
    }
  }

  /// A note on the call when the caller is no longer on the line.
  mutating func addCallStateNote() -> EIDOReference? {
    let text: String
    let state: String
    if snapshot.callEnded {
      (state, text) = ("ended", "The call has ended.")
    } else if !snapshot.callerConnected {
      (state, text) = ("disconnected", "The caller's line dropped; the call is not closed.")
    } else {
      return nil
    }
    let id = ids.component("note", role: "note/call-state/\(state)")
    appendNote(id: id, at: snapshot.at, html: "<p data-call-state=\"\(state)\">\(text)</p>")
    return EIDOReference(id)
  }

  mutating func appendNote(id: String, at offset: Double, html: String) {
    notes.append(
      EIDODocument.Note(
        id: id, lastUpdateTimeStamp: time(offset), updatedByAgencyReference: agency,
        updatedByAgentReference: agent, notesActionComments: html, agentReference: agent))
  }

  /// "Label: value in words".
  func labelled(_ field: RecordSnapshot.Field) -> String {
    let name =
      field.field == .note
      ? capitalizedFirst(field.source.replacingOccurrences(of: "_", with: " "))
      : label(field.field)
    return "\(name): \(field.text)"
  }

  func escape(_ text: String) -> String {
    Escaped.markup(text)
  }

  /// What a field is, in a few words, for notes and descriptions.
  func label(_ field: RecordField) -> String {
    switch field {
    case .incidentLocation: "Incident location"
    case .incidentKind: "What is happening"
    case .incidentType: "Incident type"
    case .incidentOngoing: "Still happening"
    case .callerCallback: "Callback number"
    case .callerLocation: "Caller's location"
    case .callerSafety: "Caller in a safe place"
    case .callerPeopleWith: "People with the caller"
    case .callerCanSpeak: "Caller can talk"
    case .callerHowKnown: "How the caller knows"
    case .suspectCount: "Attackers reported"
    case .suspectLocation: "Attacker's last known location"
    case .suspectLocationSource: "Attacker's location reported by"
    case .suspectLastSeen: "Attacker last seen or heard"
    case .suspectDirection: "Attacker heading"
    case .suspectDescription: "Attacker's description"
    case .suspectWeapons: "Attacker's weapons"
    case .suspectArmor: "Body armor or bag"
    case .suspectVehicle: "Attacker's vehicle"
    case .suspectStatus: "Attacker now"
    case .victimsCount: "People hurt or killed"
    case .victimsLocation: "Where people are hurt"
    case .victimsInjuries: "Injuries"
    case .scenePeopleEstimate: "People at the location"
    case .sceneHiddenGroups: "People hiding"
    case .sceneEntryPoints: "Suggested way in"
    case .sceneLockedDoors: "Doors locked or blocked"
    case .threatsDevices: "Possible explosive device seen"
    case .threatsExplosions: "Explosion heard"
    case .threatsOtherLocations: "Attacks reported elsewhere"
    case .officerOnScene: "Police officer on scene"
    case .officerDuty: "Officer's duty"
    case .officerDescription: "Officer wearing"
    case .officerArmed: "Officer armed"
    case .officerLocation: "Officer's location"
    case .note: "Note"
    }
  }
}

/// `text` with its first character uppercased.
private func capitalizedFirst(_ text: String) -> String {
  text.prefix(1).uppercased() + text.dropFirst()
}
