import Foundation
import Testing

@testable import CallScript

/// Records read as a CAD would read them against NENA-STA-021.1b (issue 16).
@Suite("Records: what a CAD reading the standard expects")
struct RecordsStandardTests {
  static let live = RecordsTestCall.context

  static func context(_ change: (inout CallContext) -> Void) -> CallContext {
    var context = live
    change(&context)
    return context
  }

  // MARK: - 1. Identifiers

  @Test("the ESInet's incident tracking id and call id are used when given")
  func esinetIdentifiers() throws {
    let call = try RecordsTestCall.dispatched()
    let context = Self.context {
      $0.incidentTrackingID = "urn:emergency:uid:incidentid:a56e556d871:esrp.state.pa.us"
      $0.callIdentifier = "urn:emergency:uid:callid:c0ffee01:bcf.state.pa.us"
    }
    let eido = EIDOEncoder.eido(
      for: try #require(call.last), context: context, callProtocol: call.session.callProtocol)
    #expect(eido.id == "urn:emergency:uid:incidentid:a56e556d871:esrp.state.pa.us")
    #expect(eido.callComponent?.first?.id == "urn:emergency:uid:callid:c0ffee01:bcf.state.pa.us")
    let caller = eido.personComponent?.first {
      $0.personIncidentRoleRegistryText.contains("Caller")
    }
    #expect(caller?.callIdentifier == ["urn:emergency:uid:callid:c0ffee01:bcf.state.pa.us"])
  }

  @Test("ids made locally, with none from the ESInet, say they are local")
  func localIdentifiers() throws {
    let call = try RecordsTestCall.dispatched()
    let eido = call.eido(try #require(call.last))
    #expect(eido.id.hasPrefix("urn:emergency:uid:incidentid:local"))
    #expect(eido.callComponent?.first?.id.hasPrefix("urn:emergency:uid:callid:local") == true)
  }

  @Test(
    "only identifiers of the NENA form are taken",
    arguments: [
      ("urn:emergency:uid:incidentid:abc123:psap.example.gov", true),
      ("URN:emergency:uid:incidentid:0:police.state.pa.us", true),
      ("urn:emergency:uid:incidentid::psap.example.gov", false),
      ("urn:emergency:uid:incidentid:abc-123:psap.example.gov", false),
      ("urn:emergency:uid:callid:abc123:psap.example.gov", false),
      ("abc123", false),
    ])
  func identifierForm(text: String, accepted: Bool) {
    #expect((CallContext.incidentTrackingID(text) != nil) == accepted)
  }

  // MARK: - 2. Agent and agency

  @Test("an i3 agent id is the agent, with the position as its workstation")
  func agentAndWorkstation() throws {
    let call = try RecordsTestCall.dispatched()
    let context = Self.context {
      $0.agentID = "position-7"
      $0.agent = "tjones@psap.example-county.example.us"
    }
    let eido = EIDOEncoder.eido(
      for: try #require(call.last), context: context, callProtocol: call.session.callProtocol)
    let agent = try #require(eido.agentComponent?.first)
    #expect(agent.id == "tjones@psap.example-county.example.us")
    #expect(agent.agentWorkstationPositionIdentification == "position-7")
    #expect(eido.updatedByAgentReference == EIDOReference("tjones@psap.example-county.example.us"))
    // Without one, the context's agent id stands alone, with no workstation.
    let plain = call.eido(try #require(call.last)).agentComponent?.first
    #expect(plain?.id == RecordsTestCall.context.agentID)
    #expect(plain?.agentWorkstationPositionIdentification == nil)
  }

  @Test("records of the placeholder agency say they are not from a live center")
  func placeholderAgency() throws {
    let call = try RecordsTestCall.dispatched()
    let context = Self.context { $0.agencyID = CallContext.placeholderAgencyID }
    let eido = EIDOEncoder.eido(
      for: try #require(call.last), context: context, callProtocol: call.session.callProtocol)
    let notLive = try #require(
      eido.notesComponent?.first { $0.notesActionComments.contains("data-not-live") })
    #expect(notLive.notesActionComments.contains("NOT FROM A LIVE 911 CENTER"))
    #expect(eido.agencyComponent.first?.notesReference == [EIDOReference(notLive.id)])
    #expect(eido.incidentComponent?.notesReference?.first == EIDOReference(notLive.id))
    // A configured agency's records carry no such note.
    let live = call.eido(try #require(call.last))
    #expect(
      live.notesComponent?.contains { $0.notesActionComments.contains("data-not-live") } == false)
    #expect(live.agencyComponent.first?.notesReference == nil)
  }

  @Test(
    "conveyance to a CAD refuses records of an agency that is not a live center",
    arguments: [
      ("psap.callscript.example", false), ("psap.county.test", false),
      ("psap.example-county.example.us", true), ("psap.allegheny.pa.us", true),
    ])
  func conveyance(agency: String, conveyed: Bool) throws {
    let call = try RecordsTestCall.dispatched()
    let context = Self.context { $0.agencyID = agency }
    let eido = EIDOEncoder.eido(
      for: try #require(call.last), context: context, callProtocol: call.session.callProtocol)
    switch RecordConveyance.check(eido) {
    case .success: #expect(conveyed)
    case .failure(let refusal):
      #expect(!conveyed)
      #expect(refusal.agencyID == agency)
      #expect(refusal.description.contains("not from a live center"))
    }
  }

  // MARK: - 3. People

  @Test("a second attacker refuted by a unit is no longer a person")
  func refutedSecondAttacker() throws {
    let count: RecordsSnapshots.Entry = (
      .suspectCount, "attacker_count", .count(low: 2, high: 2), "2"
    )
    let description: RecordsSnapshots.Entry = (
      .suspectDescription, "d", .text("tall man"), "tall man"
    )
    func suspects(_ status: VerificationStatus) -> Int {
      let verification = RecordSnapshot.Verification(
        id: "second_attacker", confirm: "Confirm", evidence: "one caller", status: status,
        unit: "1A12", raisedAt: 5, updatedAt: 40)
      let eido = RecordsSnapshots.eido(
        RecordsSnapshots.make([count, description], verifications: [verification]))
      return (eido.personComponent ?? []).filter {
        $0.personIncidentRoleRegistryText == ["Suspect"]
      }
      .count
    }
    #expect(suspects(.pending) == 2)
    #expect(suspects(.confirmed) == 2)
    #expect(suspects(.refuted) == 1)
  }

  @Test("no suspect person without something known about them, and none empty")
  func noEmptySuspects() throws {
    let unknownCount = RecordsSnapshots.eido(
      RecordsSnapshots.make([(.suspectCount, "attacker_count", .unknown, "unknown")]))
    #expect(
      unknownCount.personComponent?.contains { $0.personIncidentRoleRegistryText == ["Suspect"] }
        == false)
    let onlyPlace = RecordsSnapshots.eido(
      RecordsSnapshots.make([(.suspectLocation, "attacker_location", .text("gym"), "gym")]))
    let suspect = try #require(
      onlyPlace.personComponent?.first { $0.personIncidentRoleRegistryText == ["Suspect"] })
    #expect(suspect.ncPersonComponent?.description?.map(\.value) == ["Attacker; not described"])
    for snapshot in RecordsSnapshots.edgeCases {
      for person in RecordsSnapshots.eido(snapshot).personComponent ?? []
      where !person.personIncidentRoleRegistryText.contains("Caller") {
        #expect(person.ncPersonComponent?.description?.isEmpty == false)
      }
    }
  }

  // MARK: - 4. Vehicle

  @Test("the vehicle is linked to the attacker who uses it and to the direction of travel")
  func vehicleLinked() throws {
    let eido = RecordsSnapshots.eido(
      RecordsSnapshots.make([
        (.suspectVehicle, "vehicle", .text("white van"), "white van"),
        (.suspectDirection, "attacker_direction", .text("north on Main"), "north on Main"),
      ]))
    let vehicle = try #require(eido.vehicleComponent?.first)
    let suspect = try #require(
      eido.personComponent?.first { $0.personIncidentRoleRegistryText == ["Suspect"] })
    let vehicleNotes = try #require(vehicle.notesReference)
    #expect(vehicleNotes.count == 2)
    let link = try #require(vehicleNotes.first)
    #expect(suspect.notesReference?.contains(link) == true)
    let linkText = try #require(eido.notesComponent?.first { $0.id == link.ref })
    #expect(linkText.notesActionComments.contains("data-person=\"\(suspect.id)\""))
    #expect(linkText.notesActionComments.contains("Vehicle used by the attacker: white van"))
    let direction = try #require(eido.notesComponent?.first { $0.id == vehicleNotes.last?.ref })
    #expect(direction.notesActionComments.contains("Attacker heading: north on Main"))
    #expect(suspect.notesReference?.contains(EIDOReference(direction.id)) == true)
  }

  // MARK: - 5. Locations

  @Test("every location of every test call has a PIDF-LO civic address")
  func everyLocationByValue() throws {
    let call = try RecordsTestCall.schoolShooting()
    for record in call.records {
      for location in call.eido(record).locationComponent ?? [] {
        let pidf = try #require(location.locationByValue, "\(location.id)")
        #expect(pidf.contains("<ca:civicAddress xml:lang=\"en\">"))
      }
    }
  }

  @Test("the agency's settings give every address its country, state, county and city")
  func agencyDefaults() throws {
    let call = try RecordsTestCall.dispatched()
    let settings = try AgencySettings(
      json: Data(
        #"{"country": "us", "state": "PA", "county": "Example County", "city": "Exampleton"}"#.utf8)
    )
    let context = Self.context { $0.agencySettings = settings }
    let eido = EIDOEncoder.eido(
      for: try #require(call.last), context: context, callProtocol: call.session.callProtocol)
    let pidf = try #require(eido.locationComponent?.first?.locationByValue)
    #expect(
      pidf.contains(
        "<ca:country>US</ca:country><ca:A1>PA</ca:A1><ca:A2>Example County</ca:A2>"
          + "<ca:A3>Exampleton</ca:A3><ca:PRD>N</ca:PRD><ca:RD>Broad</ca:RD>"))
    #expect(throws: AgencySettingsError.self) {
      try AgencySettings(json: Data(#"{"country": "USA"}"#.utf8))
    }
    #expect(throws: AgencySettingsError.self) { try AgencySettings(json: Data("[1]".utf8)) }
    // A misspelt member is named, never ignored; a member that is not text is refused.
    #expect(
      throws: AgencySettingsError(
        message: "agency settings: unknown member 'contry'; did you mean 'country'?")
    ) { try AgencySettings(json: Data(#"{"contry": "US"}"#.utf8)) }
    #expect(throws: AgencySettingsError(message: "agency settings: 'state' must be text")) {
      try AgencySettings(json: Data(#"{"state": 5}"#.utf8))
    }
    #expect(
      try AgencySettings(json: Data(#"{"country": "US", "city": null}"#.utf8))
        == AgencySettings(country: "US"))
  }

  @Test(
    "intersections are the first street and the other as an intersecting street",
    arguments: [
      ("Main Street farmers market, Main and 5th", "Main", "5th"),
      ("corner of Elm St & 3rd Ave", "Elm", "3rd"),
      ("the van crashed into the pharmacy window at Main and 6th", "Main", "6th"),
    ])
  func intersection(text: String, first: String, second: String) throws {
    let eido = RecordsSnapshots.eido(
      RecordsSnapshots.make([(.incidentLocation, "location", .text(text), text)]))
    let location = try #require(eido.locationComponent?.first)
    #expect(location.locationByValue?.contains("<ca:RD>\(first)</ca:RD>") == true)
    #expect(location.intersectingStreetByValue?.count == 1)
    #expect(location.intersectingStreetByValue?.first?.contains("<ca:RD>\(second)</ca:RD>") == true)
  }

  @Test(
    "a stretch of street, or words without two streets, is no intersection",
    arguments: [
      "all along Main between 5th and 6th", "cats and dogs", "the mall", "100 Main St and more",
    ])
  func notIntersection(text: String) throws {
    let eido = RecordsSnapshots.eido(
      RecordsSnapshots.make([(.incidentLocation, "location", .text(text), text)]))
    #expect(eido.locationComponent?.first?.intersectingStreetByValue == nil)
  }

  @Test("a floor before the street address is the floor, not part of the name")
  func floorBeforeStreet() throws {
    let address = try #require(
      CivicAddress(recognizing: "Harmon Insurance, 3rd floor, 900 Commerce Street"))
    #expect(address.name == "Harmon Insurance")
    #expect(address.floor == "3")
    let free = CivicAddress(describing: "room 216, second floor, science wing")
    #expect(
      free.elements.map { "\($0.tag)=\($0.value)" } == ["LOC=science wing", "FLR=2", "ROOM=216"])
  }

  @Test("a response plan with a staging area gives a staging location, not the incident's address")
  func staging() throws {
    let call = try RecordsTestCall.dispatched()
    let eido = call.eido(try #require(call.last))
    let staging = try #require(
      eido.locationComponent?.first { $0.locationTypeDescriptionRegistryText == "Staging" })
    #expect(eido.incidentComponent?.locationReference?.contains(EIDOReference(staging.id)) == true)
    #expect(staging.locationDescriptionText?.contains("incident command sets it") == true)
    #expect(staging.locationByValue?.contains("Broad") == false)
    // No staging area in the plan: no staging location.
    let none = RecordsSnapshots.eido(RecordsSnapshots.make([]))
    #expect(none.locationComponent == nil)
  }

  // MARK: - 6. Notes

  @Test("notes are append-only: a changed fact is a new note, and no text names internal ids")
  func appendOnlyNotes() throws {
    let call = try RecordsTestCall.schoolShooting()
    let documents = call.records.map(call.eido)
    var seen: [String: String] = [:]
    var statusNotes: Set<String> = []
    for document in documents {
      for note in document.notesComponent ?? [] {
        let content = note.notesActionComments + note.lastUpdateTimeStamp
        #expect(seen[note.id, default: content] == content)
        seen[note.id] = content
        if note.notesActionComments.contains("data-field=\"suspect.status\"") {
          statusNotes.insert(note.id)
        }
        // Words for people: no "(source: …)", no question or dispatch point ids.
        let words = note.notesActionComments.replacingOccurrences(
          of: "<[^>]*>", with: " ", options: .regularExpression)
        for id in ["(source:", "first_dispatch", "attacker_count", "ems_mci", "rtf,"] {
          #expect(!words.contains(id), "\(words)")
        }
      }
    }
    // "Attacker now" changed from continuing to barricaded: two notes, two ids.
    #expect(statusNotes.count == 2)
  }

  // MARK: - The transcript header carries the context

  @Test("the header keeps incident id, call identifier, agent and settings, and only when set")
  func headerContext() throws {
    let plain = Transcript.Header(
      protocolID: "p", protocolVersion: "1", protocolHash: String(repeating: "a", count: 64),
      context: Self.live, language: "en", clock: "simulated")
    let plainLine = Transcript.headerLine(plain).line
    for key in ["incident_id", "call_identifier", "\"agent\"", "agency_settings"] {
      #expect(!plainLine.contains(key))
    }
    var full = plain
    full.context.incidentTrackingID = "urn:emergency:uid:incidentid:abc:esrp.example.gov"
    full.context.callIdentifier = "urn:emergency:uid:callid:def:esrp.example.gov"
    full.context.agent = "tjones@psap.example.gov"
    full.context.agencySettings = AgencySettings(country: "US", state: "PA")
    let line = Transcript.headerLine(full).line
    let json = try #require(JSONValue.parse(Data(line.utf8)))
    #expect(TranscriptReader.parseHeader(json)?.context == full.context)
  }
}
