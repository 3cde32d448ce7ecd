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
    #expect(incident.locationReference == [EIDOReference(location.id)])
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
    #expect(description == ["Male, black hoodie, tan backpack", "Body armor or bag: Body armor"])
    let notes = try notes(of: suspect.notesReference, in: eido)
    #expect(notes.contains { $0.contains("Attacker's weapons: Rifle (source: weapons)") })
    #expect(notes.contains { $0.contains("Attacker heading: toward the gym") })
    #expect(notes.contains { $0.contains("Attacker now: Attacker shut in or holding people") })
    let place = try #require(
      eido.locationComponent?.first { $0.id == suspect.locationReference?.first?.ref })
    #expect(place.locationTypeDescriptionRegistryText == "Other")
    #expect(
      place.locationDescriptionText
        == "Attacker's last known location: 2nd floor hallway outside room 214")
  }

  @Test("a plain-clothes officer on scene is a person with a description, weapon and place")
  func plainClothesOfficer() throws {
    let call = try RecordsTestCall.schoolShooting()
    let eido = call.eido(try #require(call.last))
    let officer = try #require(
      eido.personComponent?.first { $0.personIncidentRoleRegistryText == ["InvolvedPerson"] })
    #expect(
      officer.ncPersonComponent?.description?.map(\.value) == [
        "Police officer on scene: yes", "Officer's duty: On duty in plain clothes",
        "Officer wearing: grey hoodie, jeans, badge on a chain", "Officer armed: yes",
      ])
    let place = try #require(
      eido.locationComponent?.first { $0.id == officer.locationReference?.first?.ref })
    #expect(place.locationDescriptionText == "Officer's location: room 210, door locked")
    #expect(eido.incidentComponent?.personReference?.contains(EIDOReference(officer.id)) == true)
  }

  @Test("the people hurt are one victim person with the count, injuries and place")
  func victims() throws {
    let call = try RecordsTestCall.schoolShooting()
    let eido = call.eido(try #require(call.last))
    let victims = try #require(
      eido.personComponent?.first { $0.personIncidentRoleRegistryText == ["Victim"] })
    #expect(victims.ncPersonComponent?.description?.map(\.value) == ["People hurt or killed: 2-3"])
    #expect(
      victims.ncPersonComponent?.injury?.first?.description.map(\.value) == [
        "one bleeding from the leg, one not moving"
      ])
    #expect(victims.locationReference?.count == 1)
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
      for note in document.notesComponent ?? [] {
        let head = String(note.notesActionComments.prefix { $0 != ">" })
        if let known = idsByNote[head] { #expect(known == note.id) }
        idsByNote[head] = note.id
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
        strings.contains(MarkupText.escape(field.text)) || strings.contains(field.text),
        "\(field.field.rawValue) from \(field.source) is missing")
    }
    let eido = call.eido(record)
    for field in record.fields where field.field == .note {
      #expect(
        eido.notesComponent?.contains {
          $0.notesActionComments.contains("data-source=\"\(field.source)\"")
            && $0.notesActionComments.contains("(source: \(field.source))")
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
    #expect(text == "callEnd")
    #expect(notes.count == 1 && notes[0].contains("data-call-state=\"disconnected\""))
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
    #expect(note.notesActionComments.contains("Response plan: patrol, supervisor"))
    #expect(note.notesActionComments.contains("Protocol active-attack "))
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
