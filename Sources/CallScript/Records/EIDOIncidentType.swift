/// How a record chooses its EIDO common incident type, a code of the EIDO-IncidentType-Common
/// registry (APCO ANS 2.103.2-2019, table 3.2 of NENA-STA-021.1b).
///
/// The `incident.type` word leads (it is what the determinants follow); the kind of attack
/// (`incident.kind`) and the weapons (`suspect.weapons`) say which code within it. A protocol
/// without an `incident.type` fact is typed by the kind of attack alone.
///
/// | incident.type | code |
/// |---|---|
/// | bomb | `EXPLOS` when an explosion happened or was heard, else `BOMB` |
/// | hostage_barricade | `HOSTAGE` |
/// | active_attack | `ACTSHOOT` with a firearm, else by the kind of attack |
/// | fled, in_custody, suspect_down | `SHOOT` with a firearm, else by the kind of attack |
/// | shots_heard | `SHOOT` |
/// | unconfirmed | `TROUBLE` |
///
/// By the kind of attack: stabbing or a blade `STABBING`, explosion `EXPLOS`, fire `FARSON`,
/// a vehicle or another weapon `NCRASLTWF` (assault with a weapon), anything else `ASSAULT`,
/// nothing known `TROUBLE`.
enum EIDOIncidentType {
  /// Options of `suspect.weapons` that are firearms.
  static let firearms: Set<String> = ["handgun", "long_gun", "shotgun"]

  /// The common incident type code for the facts of `snapshot`.
  static func code(for snapshot: RecordSnapshot) -> String {
    var word: String?
    if case .word(let value)? = snapshot.field(.incidentType)?.value { word = value }
    var kind: String?
    if case .option(let value)? = snapshot.field(.incidentKind)?.value { kind = value }
    var weapons: Set<String> = []
    if case .options(let value)? = snapshot.field(.suspectWeapons)?.value { weapons = value }
    let explosionHeard = snapshot.field(.threatsExplosions)?.value == .yesNo(true)
    let firearm = kind == "shooting" || kind == "shots_heard" || !weapons.isDisjoint(with: firearms)
    switch word {
    case "bomb":
      return kind == "explosion" || explosionHeard ? "EXPLOS" : "BOMB"
    case "hostage_barricade":
      return "HOSTAGE"
    case "active_attack":
      return firearm ? "ACTSHOOT" : byKind(kind, weapons: weapons)
    case "fled", "in_custody", "suspect_down":
      return firearm ? "SHOOT" : byKind(kind, weapons: weapons)
    case "shots_heard":
      return "SHOOT"
    case "unconfirmed":
      return "TROUBLE"
    default:
      if firearm { return "ACTSHOOT" }
      if kind == nil && weapons.isEmpty { return "TROUBLE" }
      return byKind(kind, weapons: weapons)
    }
  }

  /// The code for an attack without a firearm, by its kind and weapons.
  static func byKind(_ kind: String?, weapons: Set<String>) -> String {
    if kind == "explosion" || weapons.contains("explosive") { return "EXPLOS" }
    if kind == "stabbing" || weapons.contains("blade") { return "STABBING" }
    if kind == "fire" { return "FARSON" }
    if kind == "vehicle" || weapons.contains("vehicle") || weapons.contains("other_weapon") {
      return "NCRASLTWF"
    }
    return kind == nil && weapons.isEmpty ? "TROUBLE" : "ASSAULT"
  }
}
