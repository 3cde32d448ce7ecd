/// A field of the dispatch record that an answer or derived fact fills.
///
/// The protocol names these in `fills:`; the records stage maps each onto the
/// NENA EIDO document. The vocabulary is fixed by callscript so that every
/// protocol's records mean the same thing to a CAD system.
public enum RecordField: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
  case incidentLocation = "incident.location"
  case incidentKind = "incident.kind"
  case incidentType = "incident.type"
  case incidentOngoing = "incident.ongoing"
  case callerCallback = "caller.callback"
  case callerLocation = "caller.location"
  case callerSafety = "caller.safety"
  case callerPeopleWith = "caller.people_with"
  case callerCanSpeak = "caller.can_speak"
  case callerHowKnown = "caller.how_known"
  case suspectCount = "suspect.count"
  case suspectLocation = "suspect.location"
  case suspectLocationSource = "suspect.location_source"
  case suspectLastSeen = "suspect.last_seen"
  case suspectDirection = "suspect.direction"
  case suspectDescription = "suspect.description"
  case suspectWeapons = "suspect.weapons"
  case suspectArmor = "suspect.armor"
  case suspectVehicle = "suspect.vehicle"
  case suspectStatus = "suspect.status"
  case victimsCount = "victims.count"
  case victimsLocation = "victims.location"
  case victimsInjuries = "victims.injuries"
  case scenePeopleEstimate = "scene.people_estimate"
  case sceneHiddenGroups = "scene.hidden_groups"
  case sceneEntryPoints = "scene.entry_points"
  case sceneLockedDoors = "scene.locked_doors"
  case threatsDevices = "threats.devices"
  case threatsExplosions = "threats.explosions"
  case threatsOtherLocations = "threats.other_locations"
  case officerOnScene = "officer.on_scene"
  case officerDuty = "officer.duty"
  case officerDescription = "officer.description"
  case officerArmed = "officer.armed"
  case officerLocation = "officer.location"
  case note = "note"

  /// Whether the field reports the attack itself (attackers, victims, threats, the place),
  /// as opposed to the caller's own situation; a changed report of such a field is verified.
  public var isReportedFact: Bool {
    switch rawValue.prefix(while: { $0 != "." }) {
    case "suspect", "victims", "threats", "officer": true
    default: self == .incidentLocation || self == .incidentKind
    }
  }

  /// Whether a change of the field changes the response.
  ///
  /// Those fields say where units go (the incident, the attacker's position and heading, where
  /// people are hurt, attacks elsewhere), what kind of incident they go to (its type and kind,
  /// weapons, the attacker's status, a device or an explosion) or how big it is (how many
  /// attackers, how many hurt). A record goes out at once for such a change; others wait for
  /// the record interval (docs/records.md, "When a record goes out").
  public var changesResponse: Bool {
    switch self {
    case .incidentLocation, .suspectLocation, .suspectDirection, .victimsLocation,
      .threatsOtherLocations, .incidentType, .incidentKind, .suspectWeapons, .suspectStatus,
      .threatsDevices, .threatsExplosions, .suspectCount, .victimsCount:
      true
    default: false
    }
  }

  public static func < (lhs: RecordField, rhs: RecordField) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
