import Foundation
import Testing

@testable import CallScript

/// Snapshots built by hand, for cases a call on the built-in protocol does not reach easily.
enum RecordsSnapshots {
  typealias Entry = (field: RecordField, source: String, value: FactValue, text: String)

  static func make(
    _ entries: [Entry], at: Double = 60, callerConnected: Bool = true, callEnded: Bool = false,
    verifications: [RecordSnapshot.Verification] = [], notes: [CallNote] = []
  ) -> RecordSnapshot {
    RecordSnapshot(
      sequence: 1, at: at, dispatchPoint: "first_dispatch",
      determinant: DeterminantState(
        code: "AA-7", level: "emergency", levelRank: 1, plan: ["patrol"],
        label: "Other attack on people", overrideReason: nil),
      determinantUpdatedAt: 10,
      fields: entries.enumerated().map { index, entry in
        RecordSnapshot.Field(
          field: entry.field, source: entry.source, value: entry.value, text: entry.text,
          updatedAt: Double(10 + index))
      }, notes: notes, verifications: verifications, callerConnected: callerConnected,
      callEnded: callEnded)
  }

  static func eido(_ snapshot: RecordSnapshot) -> EIDODocument {
    EIDOEncoder.eido(
      for: snapshot, context: RecordsTestCall.context, protocolID: "test", protocolVersion: "1")
  }

  static func json(_ snapshot: RecordSnapshot) -> Data {
    EIDOEncoder.document(
      for: snapshot, context: RecordsTestCall.context, protocolID: "test", protocolVersion: "1")
  }

  /// Odd but possible snapshots: unknown answers, refusals, no incident type, markup in text.
  static var edgeCases: [RecordSnapshot] {
    [
      make([]),
      make([
        (.incidentLocation, "location", .unknown, "unknown"),
        (.callerCallback, "callback", .refused, "refused"),
        (.suspectCount, "attacker_count", .count(low: 0, high: 0), "0"),
        (.victimsCount, "victim_count", .unknown, "unknown"),
        (.officerOnScene, "caller_officer", .yesNo(false), "no"),
      ]),
      make(
        [
          (
            .incidentLocation, "location", .text("12 Main & 3rd\u{7} St, <b>back</b>"),
            "12 Main & 3rd St, <b>back</b>"
          ),
          (.suspectDescription, "desc", .text("6'2\" \"Red\" cap"), "6'2\" \"Red\" cap"),
          (.suspectCount, "attacker_count", .count(low: 25, high: nil), "25 or more"),
          (
            .suspectVehicle, "vehicle", .text("white van, plate ABC<123>"),
            "white van, plate ABC<123>"
          ),
          (.note, "odd_one", .text("a & b < c"), "a & b < c"),
          (.note, "another_one", .yesNo(true), "yes"),
          (.officerDescription, "officer_description", .text("blue jacket"), "blue jacket"),
          (.victimsInjuries, "victim_injuries", .text("burns"), "burns"),
        ], callerConnected: false,
        verifications: [
          RecordSnapshot.Verification(
            id: "x", confirm: "Check <this>", evidence: "said so", status: .refuted, unit: "2B7",
            raisedAt: 5, updatedAt: 50)
        ], notes: [CallNote(at: 30, text: "caller <whispering> & scared")]),
    ]
  }
}

@Suite("Records: EIDO mapping rules")
struct RecordsMappingTests {
  @Test(
    "incident type rules",
    arguments: [
      ("active_attack", "shooting", [], false, "ACTSHOOT"),
      ("active_attack", "other", ["handgun"], false, "ACTSHOOT"),
      ("active_attack", "stabbing", [], false, "STABBING"),
      ("active_attack", "other", ["blade"], false, "STABBING"),
      ("active_attack", "vehicle", [], false, "NCRASLTWF"),
      ("active_attack", "fire", [], false, "FARSON"),
      ("active_attack", "other", [], false, "ASSAULT"),
      ("bomb", "shooting", ["explosive"], false, "BOMB"),
      ("bomb", "shooting", [], true, "EXPLOS"),
      ("bomb", "explosion", [], false, "EXPLOS"),
      ("hostage_barricade", "stabbing", [], false, "HOSTAGE"),
      ("fled", "shooting", [], false, "SHOOT"),
      ("in_custody", "stabbing", [], false, "STABBING"),
      ("suspect_down", "shooting", [], false, "SHOOT"),
      ("shots_heard", "shots_heard", [], false, "SHOOT"),
      ("unconfirmed", "", [], false, "TROUBLE"),
      ("", "shooting", [], false, "ACTSHOOT"),
      ("", "stabbing", [], false, "STABBING"),
      ("", "", [], false, "TROUBLE"),
      ("something_new", "fire", [], false, "FARSON"),
    ] as [(String, String, [String], Bool, String)])
  func incidentType(word: String, kind: String, weapons: [String], explosion: Bool, code: String) {
    var entries: [RecordsSnapshots.Entry] = []
    if !word.isEmpty { entries.append((.incidentType, "incident_type", .word(word), word)) }
    if !kind.isEmpty { entries.append((.incidentKind, "what_happening", .option(kind), kind)) }
    if !weapons.isEmpty {
      entries.append((.suspectWeapons, "weapons", .options(Set(weapons)), "weapons"))
    }
    if explosion { entries.append((.threatsExplosions, "explosion_heard", .yesNo(true), "yes")) }
    let snapshot = RecordsSnapshots.make(entries)
    #expect(EIDOIncidentType.code(for: snapshot) == code)
    #expect(
      RecordsSnapshots.eido(snapshot).incidentComponent?.incidentTypeCommonRegistryText == code)
  }

  @Test(
    "common priority from the response level",
    arguments: [(0, 3, 6), (1, 3, 8), (2, 3, 10), (0, 1, 10), (0, 7, 0), (3, 3, 10)])
  func priority(rank: Int, count: Int, expected: Int) {
    #expect(EIDOEncoder.commonPriority(levelRank: rank, levelCount: count) == expected)
  }

  @Test(
    "callback numbers become tel URIs",
    arguments: [
      ("(555) 010-4477", "psap.example.gov", "tel:5550104477;phone-context=psap.example.gov"),
      ("+1 555 010 4477", "psap.example.gov", "tel:+15550104477"),
      ("555-010-4477 ext 12", "psap.example.gov", "tel:5550104477;phone-context=psap.example.gov"),
      ("cell: 555.0104", "psap.example.gov", "tel:5550104;phone-context=psap.example.gov"),
      ("5550104477", "PSAP 7", "tel:5550104477"),
      ("no phone", "psap.example.gov", nil),
      ("12", "psap.example.gov", nil),
    ] as [(String, String, String?)])
  func telURI(text: String, agency: String, uri: String?) {
    #expect(EIDOBuilder.telURI(text, agency: agency) == uri)
  }

  @Test(
    "timestamps are RFC 3339 UTC with milliseconds",
    arguments: [
      (0, "1970-01-01T00:00:00.000Z"),
      (1_741_101_271.5, "2025-03-04T15:14:31.500Z"),
      (1_709_164_800, "2024-02-29T00:00:00.000Z"),
      (-0.001, "1969-12-31T23:59:59.999Z"),
      (951_782_400, "2000-02-29T00:00:00.000Z"),
      (-1e15, "0000-01-01T00:00:00.000Z"),
      (1e15, "9999-12-31T23:59:59.999Z"),
      (Double.nan, "1970-01-01T00:00:00.000Z"),
    ] as [(Double, String)])
  func timestamp(seconds: Double, text: String) {
    #expect(EIDOTimestamp.string(Date(timeIntervalSince1970: seconds)) == text)
  }

  @Test("unknown and refused answers are notes, not empty structure")
  func unknownAnswers() throws {
    let eido = RecordsSnapshots.eido(RecordsSnapshots.edgeCases[1])
    #expect(eido.locationComponent == nil)
    #expect(eido.callbackComponent == nil)
    #expect(eido.personComponent?.map(\.personIncidentRoleRegistryText) == [["Caller"]])
    let notes = eido.notesComponent?.map(\.notesActionComments) ?? []
    #expect(notes.contains { $0.contains(">Incident location: unknown</p>") })
    #expect(notes.contains { $0.contains(">Callback number: refused</p>") })
    #expect(notes.contains { $0.contains("Attackers reported: 0") })
    #expect(notes.contains { $0.contains("People hurt or killed: unknown") })
    let caller = eido.personComponent?.first?.ncPersonComponent?.description?.map(\.value)
    #expect(caller == ["Caller is a police officer: no"])
  }

  @Test("markup in answers is escaped and control characters replaced by U+FFFD")
  func escaping() throws {
    let eido = RecordsSnapshots.eido(RecordsSnapshots.edgeCases[2])
    let notes = eido.notesComponent?.map(\.notesActionComments) ?? []
    #expect(notes.contains { $0.contains(">Odd one: a &amp; b &lt; c</p>") })
    #expect(
      notes.contains { $0.contains("<p data-source=\"call-taker\">caller &lt;whispering&gt;") })
    #expect(notes.contains { $0.contains("Verify on arrival: Check &lt;this&gt;") })
    #expect(notes.contains { $0.contains("Status: refuted by 2B7") })
    let pidf = try #require(eido.locationComponent?.first?.locationByValue)
    // The one markup escape (Escaped.markup) replaces what SafeText forbids.
    #expect(pidf.contains("<ca:RD>Main &amp; 3rd\u{FFFD}</ca:RD>"))
    #expect(!pidf.contains("\u{7}"))
    // Text outside markup stays as given.
    #expect(pidf.contains("<ca:LOC>&lt;b&gt;back&lt;/b&gt;</ca:LOC>"))
    #expect(
      eido.locationComponent?.first?.locationDescriptionText == "12 Main & 3rd\u{7} St, <b>back</b>"
    )
  }

  @Test("many attackers reported: one suspect person each, up to ten")
  func manySuspects() throws {
    let eido = RecordsSnapshots.eido(RecordsSnapshots.edgeCases[2])
    let suspects = (eido.personComponent ?? []).filter {
      $0.personIncidentRoleRegistryText == ["Suspect"]
    }
    #expect(suspects.count == EIDOBuilder.maximumSuspects)
    #expect(
      suspects[1].ncPersonComponent?.description?.first?.value
        == "Attacker 2 of 25 or more reported; not described apart")
    #expect(eido.vehicleComponent?.first?.vehicleRelationshipType == ["SuspectVehicle"])
    #expect(
      eido.vehicleComponent?.first?.ncVehicleComponent?.description.first?.value
        == "white van, plate ABC<123>")
    // Without "on scene", details of an officer still make an officer person.
    #expect(
      eido.personComponent?.contains { $0.personIncidentRoleRegistryText == ["InvolvedPerson"] }
        == true)
    // Injuries alone make a victim person.
    #expect(
      eido.personComponent?.contains { $0.personIncidentRoleRegistryText == ["Victim"] } == true)
  }

  @Test("a snapshot with nothing but the determinant still makes a complete document")
  func emptySnapshot() throws {
    let eido = RecordsSnapshots.eido(RecordsSnapshots.edgeCases[0])
    #expect(eido.incidentComponent?.incidentTypeCommonRegistryText == "TROUBLE")
    #expect(eido.incidentComponent?.incidentCommonPriorityNumber == 8)
    #expect(eido.personComponent?.count == 1)
    #expect(eido.notesComponent?.count == 1)
    #expect(eido.callComponent?.first?.callStateRegistryText == "callAnswered")
  }
}
