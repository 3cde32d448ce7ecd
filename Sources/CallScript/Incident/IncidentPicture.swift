import Foundation

/// One incident as every call on it tells it: for each fact units care about, the latest value
/// by observation time, which calls said each value, how many agree and who disagrees; the
/// conflicts as verification prompts; the relays sent for the incident, each once.
///
/// A pure function of the incident's calls (``merge(incidentID:calls:)``): the store keeps it
/// beside the calls, and a rebuild from transcripts gives the same picture.
public struct IncidentPicture: Sendable, Hashable {
  /// One value of a fact and the calls that gave it.
  public struct Value: Sendable, Hashable {
    public var text: String
    public var key: String
    public var value: FactValue
    /// The calls that said it, oldest first.
    public var calls: [String]
    /// How many of them saw or heard it themselves.
    public var firstHand: Int
    /// How many were told by someone else.
    public var told: Int
    /// The latest time a call said it was true.
    public var observedAt: Date
  }

  /// A fact of the incident.
  public struct Fact: Sendable, Hashable {
    public var field: RecordField
    /// The value with the latest observation time.
    public var latest: Value
    /// Every value given, most calls first.
    public var values: [Value]

    /// How many calls agree with the latest value.
    public var agreeing: Int { latest.calls.count }
    /// The calls that said something else.
    public var disagreeing: [String] {
      values.filter { $0.key != latest.key }.flatMap(\.calls).sorted()
    }
  }

  /// A caller of the incident and their own situation.
  public struct Caller: Sendable, Hashable {
    public var callID: String
    public var position: String
    public var startedAt: Date
    public var howKnown: String?
    public var location: String?
    /// The caller's own facts (where they are, whether safe), in words.
    public var situation: [String]
    public var ended: Bool
  }

  /// A relay sent for the incident: the first call's words, and every call that said it.
  public struct Relay: Sendable, Hashable {
    public var id: String
    public var key: String
    public var text: String
    /// The call that sent it; later calls with the same content corroborate it.
    public var sentBy: String
    public var calls: [String]
    /// When dispatch first put it on the air, from any of its calls; nil while not aired.
    public var airedAt: Date? = nil
  }

  /// What units must verify because callers disagree.
  public struct Verification: Sendable, Hashable {
    public var id: String
    public var text: String
  }

  public var incidentID: String
  /// The place as the first call gave it, and its key.
  public var place: String?
  public var placeKey: String?
  public var openedAt: Date
  public var updatedAt: Date
  /// The highest determinant of any call.
  public var determinant: DeterminantState?
  public var callers: [Caller]
  public var facts: [Fact]
  public var verifications: [Verification]
  public var relays: [Relay]

  /// Attacker positions seen first-hand this close together (seconds) at different places
  /// raise a "possible second attacker" verification.
  public static let secondAttackerWindow: TimeInterval = 120

  /// The fact, if any call gave it.
  public func fact(_ field: RecordField) -> Fact? { facts.first { $0.field == field } }

  /// Merges the calls of one incident.
  public static func merge(incidentID: String, calls unsorted: [IncidentCall]) -> IncidentPicture {
    let calls = unsorted.sorted { ($0.startedAt, $0.callID) < ($1.startedAt, $1.callID) }
    let first = calls.first
    var picture = IncidentPicture(
      incidentID: incidentID, place: calls.lazy.compactMap(\.location).first,
      placeKey: calls.lazy.compactMap(\.placeKey).first,
      openedAt: first?.startedAt ?? Date(timeIntervalSince1970: 0),
      updatedAt: calls.map(\.updatedAt).max() ?? Date(timeIntervalSince1970: 0),
      determinant: calls.compactMap(\.determinant).max { $0.levelRank < $1.levelRank },
      callers: [], facts: [], verifications: [], relays: [])
    picture.callers = calls.map { call in
      Caller(
        callID: call.callID, position: call.position, startedAt: call.startedAt,
        howKnown: call.howKnown, location: call.fact(.callerLocation)?.text,
        situation: IncidentCall.callerFields.compactMap { field in
          call.fact(field).map { "\(label(field)): \($0.text)" }
        }, ended: call.ended)
    }
    for field in IncidentCall.mergedFields {
      var values: [String: Value] = [:]
      for call in calls {
        guard let fact = call.fact(field), fact.value.isKnown else { continue }
        let key = IncidentCall.valueKey(fact.value)
        var value =
          values[key]
          ?? Value(
            text: fact.text, key: key, value: fact.value, calls: [], firstHand: 0, told: 0,
            observedAt: fact.observedAt)
        value.calls.append(call.callID)
        if call.isFirstHand { value.firstHand += 1 }
        if call.howKnown == "told" { value.told += 1 }
        if fact.observedAt >= value.observedAt {
          value.observedAt = fact.observedAt
          value.text = fact.text
          value.value = fact.value
        }
        values[key] = value
      }
      guard
        let latest = values.values.max(by: {
          ($0.observedAt, $0.calls.count, $1.key) < ($1.observedAt, $1.calls.count, $0.key)
        })
      else { continue }
      let ordered = values.values.sorted {
        ($1.calls.count, $0.key) < ($0.calls.count, $1.key)
      }
      picture.facts.append(Fact(field: field, latest: latest, values: ordered))
    }
    picture.verifications = conflicts(picture.facts) + secondAttacker(calls)
    var relays: [String: Relay] = [:]
    var relayOrder: [String] = []
    let sent = calls.flatMap { call in call.relays.map { (call: call.callID, relay: $0) } }
      .sorted { ($0.relay.sentAt, $0.call) < ($1.relay.sentAt, $1.call) }
    for (callID, relay) in sent {
      if relays[relay.key] == nil {
        relays[relay.key] = Relay(
          id: relay.id, key: relay.key, text: relay.text, sentBy: callID, calls: [])
        relayOrder.append(relay.key)
      }
      relays[relay.key]?.calls.append(callID)
      if let aired = relay.airedAt, relays[relay.key]?.airedAt.map({ aired < $0 }) ?? true {
        relays[relay.key]?.airedAt = aired
      }
    }
    picture.relays = relayOrder.compactMap { relays[$0] }
    return picture
  }

  /// Facts whose disagreement units must resolve: counts and what the attacker carries.
  ///
  /// A position or a status changes as the attack goes on, so a different later value there is
  /// news, not a conflict.
  static let conflictFields: Set<RecordField> = [
    .suspectCount, .suspectWeapons, .suspectArmor, .suspectVehicle, .victimsCount,
    .threatsDevices, .threatsExplosions,
  ]

  static func conflicts(_ facts: [Fact]) -> [Verification] {
    facts.filter { conflictFields.contains($0.field) && $0.values.count > 1 }.map { fact in
      let parts = fact.values.map { value -> String in
        let count = "\(value.calls.count) call\(value.calls.count == 1 ? "" : "s")"
        let told = value.told == value.calls.count ? ", was told" : ""
        return "\(value.text) (\(count)\(told))"
      }
      return Verification(
        id: "callers_disagree_\(fact.field.rawValue.replacingOccurrences(of: ".", with: "_"))",
        text: "Callers disagree on \(label(fact.field)): " + parts.joined(separator: " vs "))
    }
  }

  /// Two first-hand callers placing the attacker at different places at about the same time.
  static func secondAttacker(_ calls: [IncidentCall]) -> [Verification] {
    let seen = calls.filter(\.isFirstHand).compactMap { call in
      call.fact(.suspectLocation).flatMap { fact in
        fact.value.isKnown ? (call: call.callID, fact: fact) : nil
      }
    }
    for (index, one) in seen.enumerated() {
      for other in seen[(index + 1)...] {
        guard
          abs(one.fact.observedAt.timeIntervalSince(other.fact.observedAt)) <= secondAttackerWindow,
          IncidentCall.valueKey(one.fact.value) != IncidentCall.valueKey(other.fact.value)
        else { continue }
        return [
          Verification(
            id: "possible_second_attacker",
            text: "Possible second attacker: seen at \(one.fact.text) (\(one.call), "
              + "\(clockText(one.fact.observedAt))) and at \(other.fact.text) (\(other.call), "
              + "\(clockText(other.fact.observedAt))) by callers who saw or heard it; verify, "
              + "do not count")
        ]
      }
    }
    return []
  }

  /// A field's name in words: `suspect.count` is "attackers".
  public static func label(_ field: RecordField) -> String {
    switch field {
    case .suspectCount: "attackers"
    case .suspectLocation: "attacker position"
    case .suspectDirection: "attacker direction"
    case .suspectStatus: "attacker status"
    case .suspectWeapons: "weapons"
    case .suspectArmor: "armor"
    case .suspectDescription: "attacker description"
    case .suspectVehicle: "vehicle"
    case .victimsCount: "victims"
    case .victimsLocation: "victims where"
    case .victimsInjuries: "injuries"
    case .threatsDevices: "devices"
    case .threatsExplosions: "explosions"
    case .threatsOtherLocations: "other attack sites"
    case .sceneHiddenGroups: "hidden groups"
    case .sceneEntryPoints: "entry points"
    case .sceneLockedDoors: "locked doors"
    case .scenePeopleEstimate: "people on scene"
    case .officerOnScene: "officers on scene"
    case .incidentKind: "kind"
    case .incidentOngoing: "ongoing"
    case .callerLocation: "where"
    case .callerSafety: "safety"
    case .callerPeopleWith: "people with"
    case .callerCanSpeak: "can speak"
    case .callerCallback: "callback"
    default: field.rawValue
    }
  }

  /// A wall time as `14:02:07Z`.
  public static func clockText(_ date: Date) -> String {
    let stamp = Transcript.timestamp(date)
    guard let tee = stamp.firstIndex(of: "T") else { return stamp }
    return String(stamp[stamp.index(after: tee)...].prefix(8)) + "Z"
  }
}
