import Foundation

/// What one call brings to its incident: where it is, what the caller said and when it was true, the relays it sent.
///
/// A pure function of the call's session and context, so the store rebuilt from transcripts
/// holds exactly what the live calls wrote.
public struct IncidentCall: Sendable, Hashable {
  /// One fact a caller gave, with when it was seen or heard.
  public struct Fact: Sendable, Hashable {
    public var field: RecordField
    /// The question that holds it.
    public var question: String
    public var value: FactValue
    /// The value in words.
    public var text: String
    /// When it was true (``Session/observedAt(_:)`` on the wall clock).
    public var observedAt: Date
  }

  /// A relay the call sent, with the key that tells the same content from another call.
  public struct SentRelay: Sendable, Hashable {
    public var id: String
    public var text: String
    public var key: String
    /// When the call (last) sent it.
    public var sentAt: Date
    /// When dispatch put it on the air (an `aired` event), nil while not aired.
    public var airedAt: Date? = nil
  }

  public var callID: String
  public var position: String
  public var agency: String
  /// The protocol the call was taken with.
  public var protocolID: String
  public var protocolVersion: String
  public var startedAt: Date
  /// The wall time of the call's latest event.
  public var updatedAt: Date
  /// How many transcript events this reflects: a store never goes back to fewer.
  public var events: Int
  /// The incident the call belongs to: the one it was linked to, the one CAD gave, or its own.
  public var incidentID: String
  /// True when the call-taker linked it (`link`), not only CAD or its own.
  public var linked: Bool
  /// The incident place as the caller gave it, and its comparison key.
  public var location: String?
  public var placeKey: String?
  /// How the caller knows (`saw`, `heard`, `told`…), the `caller.how_known` option.
  public var howKnown: String?
  public var facts: [Fact]
  public var relays: [SentRelay]
  public var determinant: DeterminantState?
  public var ended: Bool
  /// The caller's line dropped and was not reached again.
  public var lineDropped = false
  /// What units were asked to verify and have not confirmed or refuted yet.
  public var pendingVerifications: [String] = []

  /// The incident id a call has when nothing links it elsewhere: `INC-<call id>`.
  public static func ownIncident(callID: String) -> String { "INC-\(callID)" }

  /// The facts merged across calls: what units care about.
  ///
  /// The caller's own situation stays per call (see ``IncidentPicture/Caller``).
  public static let mergedFields: [RecordField] = [
    .suspectCount, .suspectLocation, .suspectDirection, .suspectStatus, .suspectWeapons,
    .suspectArmor, .suspectDescription, .suspectVehicle, .victimsCount, .victimsLocation,
    .victimsInjuries, .threatsDevices, .threatsExplosions, .threatsOtherLocations,
    .sceneHiddenGroups, .sceneEntryPoints, .sceneLockedDoors, .scenePeopleEstimate,
    .officerOnScene, .incidentKind, .incidentOngoing,
  ]

  /// Per-caller facts kept with each caller: where they are and how they are.
  public static let callerFields: [RecordField] = [
    .callerLocation, .callerSafety, .callerPeopleWith, .callerCanSpeak, .callerCallback,
  ]

  /// The call as its session and context stand now.
  public init(session: Session, context: CallContext) {
    callID = context.callID
    position = context.agentID
    agency = context.agencyID
    protocolID = session.callProtocol.id
    protocolVersion = session.callProtocol.version
    startedAt = context.startedAt
    updatedAt = context.date(at: session.now)
    events = session.eventCount
    linked = session.linkedIncident != nil
    incidentID =
      session.linkedIncident ?? context.incidentTrackingID
      ?? Self.ownIncident(callID: context.callID)
    let wanted = Set(Self.mergedFields + Self.callerFields + [.incidentLocation, .callerHowKnown])
    var byField: [RecordField: Fact] = [:]
    for fact in session.knownFacts {
      guard let field = fact.field, wanted.contains(field), fact.answeredAt != nil,
        let slot = session.callProtocol.slotsByName[fact.id]
      else { continue }
      let observed = session.observedAt(slot) ?? fact.answeredAt ?? 0
      let entry = Fact(
        field: field, question: fact.id, value: fact.value, text: fact.text,
        observedAt: context.date(at: observed))
      if let other = byField[field], other.observedAt > entry.observedAt { continue }
      byField[field] = entry
    }
    location = byField[.incidentLocation]?.text
    placeKey = location.map(IncidentPlace.key).flatMap { $0.isEmpty ? nil : $0 }
    if case .option(let how)? = byField[.callerHowKnown]?.value {
      howKnown = how
    } else {
      howKnown = nil
    }
    facts = byField.values.filter { $0.field != .incidentLocation && $0.field != .callerHowKnown }
      .sorted { $0.field < $1.field }
    relays = session.callProtocol.relays.enumerated().compactMap { index, relay in
      session.sent.relays[index].flatMap { sent in
        sent.text.map {
          SentRelay(
            id: relay.id, text: $0, key: Self.relayKey(id: relay.id, text: $0),
            sentAt: context.date(at: sent.at),
            airedAt: session.sent.relaysAired[index].map { context.date(at: $0) })
        }
      }
    }.sorted { $0.id < $1.id }
    determinant = session.determinant
    ended = session.ended
    lineDropped = !session.callerConnected
    pendingVerifications = session.sent.verificationOrder.compactMap { id in
      session.sent.verifications[id].flatMap { $0.status == .pending ? $0.confirm : nil }
    }
  }

  /// A fact of the call, if it gave one.
  public func fact(_ field: RecordField) -> Fact? { facts.first { $0.field == field } }

  /// Whether the caller saw or heard it themselves.
  public var isFirstHand: Bool { howKnown == "saw" || howKnown == "heard" }

  /// What makes two relays the same content: the relay and its words without clock times
  /// ("14:02", "3 min ago"), which differ from caller to caller for the same fact.
  public static func relayKey(id: String, text: String) -> String {
    let units: Set<String> = ["min", "mins", "minute", "minutes", "sec", "secs", "seconds", "ago"]
    let tokens = text.lowercased().split(separator: " ").map {
      $0.trimmingCharacters(in: .punctuationCharacters)
    }
    var words: [String] = []
    for (index, word) in tokens.enumerated() {
      let next = index + 1 < tokens.count ? tokens[index + 1] : ""
      if word.contains(":"), word.allSatisfy({ $0.isNumber || $0 == ":" }) { continue }
      if units.contains(word) { continue }
      if !word.isEmpty, word.allSatisfy(\.isNumber), units.contains(next) { continue }
      words.append(word)
    }
    return id + "|" + words.filter { !$0.isEmpty }.joined(separator: " ")
  }

  /// The value's comparison key: option ids, counts, or text without case and punctuation.
  public static func valueKey(_ value: FactValue) -> String {
    switch value {
    case .text(let text): "text:" + IncidentPlace.key(text)
    default: value.json.canonical
    }
  }
}
