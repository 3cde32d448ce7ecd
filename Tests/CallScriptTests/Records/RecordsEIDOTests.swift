import Foundation
import Testing

@testable import CallScript

@Suite("Records: EIDO documents from calls on the built-in protocol")
struct RecordsEIDOTests {
  @Test("the first record, after two answers, is an active shooter at the given place")
  func firstRecord() throws {
    let call = try RecordsTestCall.dispatched()
    #expect(call.records.count == 1)
    let eido = call.eido(try #require(call.last))
    let incident = try #require(eido.incidentComponent)
    #expect(incident.incidentTypeCommonRegistryText == "ACTSHOOT")
    #expect(incident.incidentTypeInternalCode == "AA-4")
    #expect(incident.incidentPriorityInternalText == "critical")
    #expect(incident.incidentCommonPriorityNumber == 10)
    #expect(incident.incidentStatusCommonRegistryText == ["Active"])
    #expect(incident.incidentStatusInternalText == ["active_attack"])
    #expect(eido.eidoVersion == "1.0")
    #expect(eido.id.hasPrefix("urn:emergency:uid:incidentid:"))
    let location = try #require(eido.locationComponent?.first)
    #expect(incident.locationReference?.first == EIDOReference(location.id))
    #expect(location.locationTypeDescriptionRegistryText == "CurrentIncident")
    #expect(
      location.locationDescriptionText
        == "Exampleton High School, 1400 N. Broad St, east wing, 2nd floor")
    let pidf = try #require(location.locationByValue)
    #expect(pidf.contains("<ca:HNO>1400</ca:HNO>"))
    #expect(pidf.contains("<ca:RD>Broad</ca:RD><ca:STS>Street</ca:STS>"))
    let caller = try #require(eido.personComponent?.first)
    #expect(caller.personIncidentRoleRegistryText == ["Caller"])
    let callComponent = try #require(eido.callComponent?.first)
    #expect(caller.callIdentifier == [callComponent.id])
    #expect(callComponent.callStateRegistryText == "callAnswered")
    #expect(callComponent.callStartTimestamp == "2025-03-04T15:14:31.000Z")
    #expect(callComponent.localCallType == "active-attack")
  }

  @Test("the incident type is ACTSHOOT for a shooting and HOSTAGE once the attacker barricades")
  func incidentTypeFollowsTheSituation() throws {
    var call = try RecordsTestCall.dispatched()
    func type(_ call: RecordsTestCall) throws -> String? {
      call.eido(try #require(call.last)).incidentComponent?.incidentTypeCommonRegistryText
    }
    #expect(try type(call) == "ACTSHOOT")
    try call.answer("still_happening", .yesNo(false))
    try call.answer("situation", .option("barricade"))
    #expect(try type(call) == "HOSTAGE")
    #expect(
      call.eido(try #require(call.last)).incidentComponent?.incidentTypeInternalCode == "AA-2")
    try call.answer("situation", .option("fled_vehicle"))
    #expect(try type(call) == "SHOOT")
    try call.answer("situation", .option("continuing"))
    #expect(try type(call) == "ACTSHOOT")
    try call.answer("device_seen", .yesNo(true))
    #expect(try type(call) == "BOMB")
  }

  @Test(
    "the kind of attack picks the common incident type",
    arguments: [
      ("shooting", "ACTSHOOT"), ("stabbing", "STABBING"), ("vehicle", "NCRASLTWF"),
      ("explosion", "EXPLOS"), ("fire", "FARSON"), ("other", "ASSAULT"),
      ("shots_heard", "ACTSHOOT"),
    ])
  func kindOfAttack(kind: String, code: String) throws {
    let call = try RecordsTestCall.dispatched(kind: kind)
    let eido = call.eido(try #require(call.last))
    #expect(eido.incidentComponent?.incidentTypeCommonRegistryText == code)
  }

  @Test("the attacker is a suspect with their description, armor, weapons and last position")
  func suspect() throws {
    let call = try RecordsTestCall.schoolShooting()
    let eido = call.eido(try #require(call.last))
    let suspects = (eido.personComponent ?? []).filter {
      $0.personIncidentRoleRegistryText == ["Suspect"]
    }
    #expect(suspects.count == 1)
    let suspect = try #require(suspects.first)
    let description = suspect.ncPersonComponent?.description?.map(\.value) ?? []
    #expect(
      description == [
        "Male, black hoodie, tan backpack", "Attacker's weapons: Rifle",
        "Body armor or bag: Body armor",
      ])
    let notes = try notes(of: suspect.notesReference, in: eido)
    #expect(!notes.contains { $0.contains("Attacker's weapons") })
    #expect(notes.contains { $0.contains("Attacker heading: toward the gym") })
    #expect(notes.contains { $0.contains("Attacker now: Attacker shut in or holding people") })
    let place = try #require(
      eido.locationComponent?.first { $0.id == suspect.locationReference?.first?.ref })
    #expect(place.locationTypeDescriptionRegistryText == "Other")
    #expect(
      place.locationDescriptionText
        == "Attacker's last known location: 2nd floor hallway outside room 214")
  }

  @Test("a caller who is a plain-clothes officer is one person, with duty, clothes and place")
  func plainClothesOfficer() throws {
    let call = try RecordsTestCall.schoolShooting()
    let eido = call.eido(try #require(call.last))
    let people = eido.personComponent ?? []
    #expect(!people.contains { $0.personIncidentRoleRegistryText.contains("InvolvedPerson") })
    let caller = try #require(people.first { $0.personIncidentRoleRegistryText.contains("Caller") })
    #expect(
      caller.ncPersonComponent?.description?.map(\.value) == [
        "Caller in a safe place: no", "Caller can talk: yes", "How the caller knows: Saw it",
        "Caller is a police officer: yes", "Officer's duty: Police on duty in plain clothes",
        "Officer wearing: grey hoodie, jeans, badge on a chain", "Officer armed: yes",
      ])
    // One place for the one person: the later answer (the caller's spot, at 117 s), with the
    // earlier (the officer's location, at 67 s) as a note on it.
    #expect(caller.locationReference?.count == 1)
    let places = (eido.locationComponent ?? []).filter {
      $0.locationTypeDescriptionRegistryText == "Caller"
    }
    #expect(places.count == 1)
    let place = try #require(places.first)
    #expect(caller.locationReference == [EIDOReference(place.id)])
    #expect(place.locationDescriptionText == "room 210, under the desks")
    #expect(
      try notes(of: place.notesReference, in: eido) == [
        "<p data-field=\"officer.location\" data-source=\"officer_location\">Officer's location: "
          + "room 210, door locked</p>"
      ])
    #expect(!(eido.locationComponent ?? []).contains { $0.id.contains("locofficer") })
  }

  @Test("an officer on scene who is not the caller stays a person of their own")
  func officerNotCaller() throws {
    let snapshot = RecordsSnapshots.make([
      (.officerOnScene, "witness_officer", .yesNo(true), "yes"),
      (.officerLocation, "witness_officer_at", .text("lobby"), "lobby"),
    ])
    let eido = RecordsSnapshots.eido(snapshot)
    let officer = try #require(
      eido.personComponent?.first { $0.personIncidentRoleRegistryText == ["InvolvedPerson"] })
    #expect(
      officer.ncPersonComponent?.description?.map(\.value) == ["Police officer on scene: yes"])
    #expect(officer.locationReference?.count == 1)
  }

  @Test("the people hurt are one victim person each, with the count as a note")
  func victims() throws {
    let call = try RecordsTestCall.schoolShooting()
    let eido = call.eido(try #require(call.last))
    let victims = (eido.personComponent ?? []).filter {
      $0.personIncidentRoleRegistryText == ["Victim"]
    }
    // "2-3" hurt: the two known for sure, each a person.
    #expect(victims.count == 2)
    #expect(
      victims.compactMap { $0.ncPersonComponent?.description?.first?.value } == [
        "Person hurt or killed, 1 of 2-3 reported", "Person hurt or killed, 2 of 2-3 reported",
      ])
    #expect(
      victims.first?.ncPersonComponent?.injury?.first?.description.map(\.value) == [
        "one bleeding from the leg, one not moving"
      ])
    let place = try #require(victims.first?.locationReference)
    #expect(victims.allSatisfy { $0.locationReference == place })
    let count = try notes(of: victims.last?.notesReference, in: eido)
    #expect(count.count == 1 && count[0].contains("People hurt or killed: 2-3"))
  }

  @Test(
    "a count of people hurt makes that many victims, up to ten",
    arguments: [(5, nil, 5), (2, 3, 2), (1, 1, 1), (0, 0, 0), (40, nil, 10)] as [(Int, Int?, Int)])
  func victimCount(low: Int, high: Int?, persons: Int) {
    let text = high.map { $0 == low ? "\(low)" : "\(low)-\($0)" } ?? "\(low) or more"
    let snapshot = RecordsSnapshots.make([
      (.victimsCount, "victim_count", .count(low: low, high: high), text)
    ])
    let eido = RecordsSnapshots.eido(snapshot)
    let victims = (eido.personComponent ?? []).filter {
      $0.personIncidentRoleRegistryText == ["Victim"]
    }
    #expect(victims.count == persons)
  }

  @Test("every component keeps its id from the first record to the last")
  func stableIDs() throws {
    let call = try RecordsTestCall.schoolShooting()
    let documents = call.records.map(call.eido)
    let first = try #require(documents.first)
    let last = try #require(documents.last)
    #expect(first.id == last.id)
    #expect(first.incidentComponent?.id == last.incidentComponent?.id)
    #expect(first.callComponent?.first?.id == last.callComponent?.first?.id)
    #expect(first.personComponent?.first?.id == last.personComponent?.first?.id)
    #expect(first.locationComponent?.first?.id == last.locationComponent?.first?.id)
    // The suspect keeps one id in every record from the one that first describes them.
    var suspectIDs: Set<String> = []
    var idsByNote: [String: String] = [:]
    for document in documents {
      for person in document.personComponent ?? []
      where person.personIncidentRoleRegistryText == ["Suspect"] {
        suspectIDs.insert(person.id)
      }
      // Notes are append-only: the same id always has the same words and time.
      for note in document.notesComponent ?? [] {
        let content = note.notesActionComments + note.lastUpdateTimeStamp
        if let known = idsByNote[note.id] { #expect(known == content) }
        idsByNote[note.id] = content
      }
    }
    #expect(suspectIDs.count == 1)
    // Ids are unique within a document and follow the NENA form.
    for document in documents {
      let ids = recordsAllIDs(document)
      #expect(Set(ids).count == ids.count)
      let agency = RecordsTestCall.context.agencyID
      for id in ids where id.hasPrefix("urn:emergency:uid:eidodatacomponent:") {
        let unique = id.dropFirst("urn:emergency:uid:eidodatacomponent:".count)
          .dropLast(agency.count + 1)
        #expect(id.hasSuffix(":" + agency))
        #expect(unique.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
      }
    }
  }

  @Test("ids differ between calls")
  func idsPerCall() throws {
    var other = try RecordsTestCall.dispatched()
    other.context.callID = "another-call"
    let call = try RecordsTestCall.dispatched()
    let one = call.eido(try #require(call.last))
    let two = other.eido(try #require(other.last))
    let context = RecordsTestCall.context
    #expect(
      Set(recordsAllIDs(one)).intersection(recordsAllIDs(two)) == [
        context.agencyID, context.agentID,
      ])
  }

  @Test("the same snapshot and context give the same bytes, call after call")
  func deterministic() throws {
    let one = try RecordsTestCall.schoolShooting()
    let two = try RecordsTestCall.schoolShooting()
    #expect(one.records.count == two.records.count)
    for (a, b) in zip(one.records, two.records) {
      #expect(one.json(a) == two.json(b))
      #expect(one.json(a) == one.json(a))
    }
    let record = try #require(one.last)
    let decoded = try JSONDecoder().decode(EIDODocument.self, from: one.json(record))
    #expect(decoded == one.eido(record))
    let text = String(decoding: one.json(record), as: UTF8.self)
    #expect(!text.contains("\n"))
    #expect(!text.contains("\\/"))
  }

  @Test("every recorded fact appears in the document, and notes name their answer")
  func everyFactPlaced() throws {
    let call = try RecordsTestCall.schoolShooting()
    let record = try #require(call.last)
    let json = try JSONSerialization.jsonObject(with: call.json(record))
    let strings = recordsAllStrings(json).joined(separator: "\n")
    for field in record.fields where field.field != .incidentType {
      #expect(
        strings.contains(Escaped.markup(field.text)) || strings.contains(field.text),
        "\(field.field.rawValue) from \(field.source) is missing")
    }
    let eido = call.eido(record)
    for field in record.fields where field.field == .note {
      #expect(
        eido.notesComponent?.contains {
          $0.notesActionComments.contains("data-source=\"\(field.source)\"")
            && !$0.notesActionComments.contains("(source:")
        } == true)
    }
  }

  @Test("components carry the time their own facts last changed")
  func timestamps() throws {
    let call = try RecordsTestCall.schoolShooting()
    let record = try #require(call.last)
    let eido = call.eido(record)
    let start = RecordsTestCall.context.startedAt
    func stamp(_ offset: Double) -> String {
      EIDOTimestamp.string(start.addingTimeInterval(offset))
    }
    #expect(eido.lastUpdateTimeStamp == stamp(record.at))
    let location = try #require(record.field(.incidentLocation))
    #expect(eido.locationComponent?.first?.lastUpdateTimeStamp == stamp(location.updatedAt))
    let callback = try #require(record.field(.callerCallback))
    #expect(eido.callbackComponent?.first?.lastUpdateTimeStamp == stamp(callback.updatedAt))
    #expect(eido.incidentComponent?.lastUpdateTimeStamp == stamp(record.determinantUpdatedAt))
    let note = try #require(record.notes.first)
    #expect(
      eido.notesComponent?.contains {
        $0.lastUpdateTimeStamp == stamp(note.at) && $0.notesActionComments.contains("gunfire")
      } == true)
  }

  @Test("verifications are notes with their status and the unit that confirmed them")
  func verifications() throws {
    let call = try RecordsTestCall.schoolShooting()
    let eido = call.eido(try #require(call.last))
    let notes = eido.notesComponent?.map(\.notesActionComments) ?? []
    let confirmed = try #require(
      notes.first { $0.contains("data-verification=\"active_attack_exists\"") })
    #expect(confirmed.contains("data-status=\"confirmed\""))
    #expect(confirmed.contains("Status: confirmed by 1A12"))
    let pending = try #require(
      notes.first { $0.contains("data-verification=\"officer_identity\"") })
    #expect(pending.contains("Status: pending"))
  }

  @Test("the call's state follows the caller's line and the end of the call")
  func callState() throws {
    var call = try RecordsTestCall.dispatched()
    func state(_ call: RecordsTestCall) throws -> (String?, [String]) {
      let eido = call.eido(try #require(call.last))
      let callComponent = eido.callComponent?.first
      let texts = try self.notes(of: callComponent?.notesReference, in: eido)
      return (callComponent?.callStateRegistryText, texts)
    }
    try call.apply(.disconnect)
    var (text, notes) = try state(call)
    // A dropped line is a state of the caller, not the end of the call.
    #expect(text == "callAnswered")
    #expect(notes.count == 1 && notes[0].contains("data-call-state=\"disconnected\""))
    let dropped = call.eido(try #require(call.last)).incidentComponent
    #expect(dropped?.incidentStatusInternalText?.contains("caller-disconnected") == true)
    try call.apply(.callback)
    (text, notes) = try state(call)
    #expect(text == "callAnswered")
    #expect(notes.isEmpty)
    try call.apply(.end)
    (text, notes) = try state(call)
    #expect(text == "callEnd")
    #expect(notes.count == 1 && notes[0].contains("The call has ended."))
  }

  @Test("an override reason and the response plan are in the determinant note")
  func determinantNote() throws {
    var call = try RecordsTestCall.dispatched(kind: "stabbing")
    try call.apply(.override(code: "AA-3", reason: "caller hears screaming from several rooms"))
    let eido = call.eido(try #require(call.last))
    #expect(eido.incidentComponent?.incidentTypeInternalCode == "AA-3")
    #expect(eido.incidentComponent?.incidentCommonPriorityNumber == 10)
    let note = try #require(
      eido.notesComponent?.first { $0.notesActionComments.contains("data-determinant") })
    #expect(note.notesActionComments.contains("data-determinant=\"AA-3\""))
    #expect(
      note.notesActionComments.contains(
        "Raised by the call-taker: caller hears screaming from several rooms"))
    #expect(
      note.notesActionComments.contains(
        "Response plan: Every available patrol unit, emergency response, to find and stop the "
          + "attacker; Patrol supervisor to take incident command"))
    #expect(note.notesActionComments.contains("Call-taking protocol active-attack "))
    #expect(!note.notesActionComments.contains(">first_dispatch"))
  }

  // MARK: - Helpers

  func notes(of references: [EIDOReference]?, in eido: EIDODocument) throws -> [String] {
    try (references ?? []).map { reference in
      try #require(eido.notesComponent?.first { $0.id == reference.ref }).notesActionComments
    }
  }
}

/// Every component id in a document.
func recordsAllIDs(_ eido: EIDODocument) -> [String] {
  var ids = [eido.incidentComponent?.id].compactMap { $0 }
  ids += (eido.callComponent ?? []).map(\.id) + (eido.callbackComponent ?? []).map(\.id)
  ids += (eido.callbackComponent ?? []).compactMap(\.updatedCbn?.id)
  ids += eido.agencyComponent.map(\.id) + (eido.agentComponent ?? []).map(\.id)
  ids += (eido.notesComponent ?? []).map(\.id) + (eido.locationComponent ?? []).map(\.id)
  ids += (eido.personComponent ?? []).map(\.id) + (eido.vehicleComponent ?? []).map(\.id)
  return ids
}

/// Every string in a JSON value, keys left out.
func recordsAllStrings(_ value: Any) -> [String] {
  switch value {
  case let text as String: [text]
  case let array as [Any]: array.flatMap(recordsAllStrings)
  case let object as [String: Any]: object.values.flatMap(recordsAllStrings)
  default: []
  }
}
