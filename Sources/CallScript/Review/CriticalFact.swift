/// A fact responding units must have, followed by the review from received to relayed.
///
/// Each is read from the record fields the protocol's questions fill (`fills:`), so the review
/// works for any protocol that uses callscript's record vocabulary. The list follows the
/// guidance's "What must reach responding units" and the Uvalde lesson: measure the time from
/// "fact received" to "fact relayed", and flag facts never relayed.
public enum CriticalFact: String, CaseIterable, Sendable, Hashable, Codable {
  case location
  case attackConfirmed = "attack_confirmed"
  case attackerLocation = "attacker_location"
  case attackerCount = "attacker_count"
  case weapons
  case victims
  case secondaryThreats = "secondary_threats"
  case officerOnScene = "officer_on_scene"

  /// The record fields that carry the fact; an answer filling any of them makes it known.
  public var fields: [RecordField] {
    switch self {
    case .location: [.incidentLocation]
    case .attackConfirmed: [.incidentKind]
    case .attackerLocation: [.suspectLocation]
    case .attackerCount: [.suspectCount]
    case .weapons: [.suspectWeapons]
    case .victims: [.victimsCount, .victimsLocation]
    case .secondaryThreats: [.threatsDevices, .threatsExplosions, .threatsOtherLocations]
    case .officerOnScene:
      [.officerOnScene, .officerDuty, .officerDescription, .officerArmed, .officerLocation]
    }
  }

  /// The fact in words, for reports.
  public var title: String {
    switch self {
    case .location: "location"
    case .attackConfirmed: "attack confirmed"
    case .attackerLocation: "attacker location"
    case .attackerCount: "attacker count"
    case .weapons: "weapons"
    case .victims: "victims"
    case .secondaryThreats: "secondary threats"
    case .officerOnScene: "officer on scene"
    }
  }
}
