/// What a protocol can read of its call's incident: `incident.<fact>` in expressions, the
/// latest value the *other* calls of the incident gave for a fact of the merged picture.
///
/// The values reach a call as `incident_facts` events in its transcript (see
/// ``SessionEvent/incidentFacts(incident:facts:)``), so a replay, `verify` or a review reads
/// them from the transcript alone, never from a store. A name is unknown (`unanswered`) while
/// no other call of the call's incident gave the fact.
public enum IncidentFact {
  /// What names of incident facts start with in expressions.
  public static let prefix = "incident."

  /// The number of other calls on the incident, a count: `incident.calls >= 2`.
  public static let calls = "calls"

  /// The merged picture's facts by the name expressions read them with (without the prefix).
  ///
  /// A name has the type of the protocol's own question (or derived fact) that fills the same
  /// record field; a protocol that fills no such field cannot read it.
  public static let fields: [(name: String, field: RecordField)] = [
    ("attacker_count", .suspectCount), ("attacker_location", .suspectLocation),
    ("attacker_direction", .suspectDirection), ("attacker_status", .suspectStatus),
    ("weapons", .suspectWeapons), ("armor", .suspectArmor),
    ("attacker_description", .suspectDescription), ("vehicle", .suspectVehicle),
    ("victims_count", .victimsCount), ("victims_location", .victimsLocation),
    ("injuries", .victimsInjuries), ("devices", .threatsDevices),
    ("explosions", .threatsExplosions), ("other_locations", .threatsOtherLocations),
    ("hidden_groups", .sceneHiddenGroups), ("entry_points", .sceneEntryPoints),
    ("locked_doors", .sceneLockedDoors), ("people_estimate", .scenePeopleEstimate),
    ("officers_on_scene", .officerOnScene), ("kind", .incidentKind),
    ("ongoing", .incidentOngoing),
  ]

  /// The record field a fact name (without the prefix) reads; nil for `calls` and unknown names.
  public static func field(named name: String) -> RecordField? {
    fields.first { $0.name == name }?.field
  }

  /// Whether `name` (without the prefix) is an incident fact.
  public static func isName(_ name: String) -> Bool {
    name == calls || field(named: name) != nil
  }

  /// Whether a value can be held by a name of `type`: a count for a count, an option id for a
  /// `one_of`…; values another protocol gave in another shape are not carried.
  public static func fits(_ value: FactValue, _ type: ValueType) -> Bool {
    switch (value, type) {
    case (.yesNo, .yesNo), (.option, .oneOf), (.options, .manyOf), (.count, .count),
      (.text, .text), (.condition, .condition), (.word, .word):
      true
    default: false
    }
  }

  /// The values a call sees: for each name it reads (without the prefix, with its type), the
  /// latest value (by observation time) the other calls of its incident gave, merged as the
  /// incident picture merges them; names no other call gave are left out.
  public static func values(
    for callID: String, incident: String, calls: [IncidentCall],
    reading names: [(name: String, type: ValueType)]
  ) -> [String: FactValue] {
    let others = calls.filter { $0.callID != callID && $0.incidentID == incident }
    guard !others.isEmpty else { return [:] }
    let picture = IncidentPicture.merge(incidentID: incident, calls: others)
    var values: [String: FactValue] = [:]
    for (name, type) in names {
      if name == Self.calls {
        values[name] = .count(low: others.count, high: others.count)
      } else if let field = field(named: name), let fact = picture.fact(field),
        fits(fact.latest.value, type)
      {
        values[name] = fact.latest.value
      }
    }
    return values
  }
}

extension IncidentFact {
  /// An incident fact a protocol reads: its name (without the prefix), slot and type.
  public struct Reading: Sendable, Hashable {
    public var name: String
    public var slot: Int
    public var type: ValueType
  }
}

extension IncidentFact {
  /// The values in words, by name: `attacker_count 2, weapons handgun`; `none` when empty.
  public static func text(_ facts: [String: FactValue]) -> String {
    guard !facts.isEmpty else { return "none" }
    return facts.keys.sorted().map { name in
      "\(name) \(FactText.render(facts[name] ?? .unanswered) { $0 })"
    }.joined(separator: ", ")
  }
}
