/// What the call has sent so far, a part of ``Session``: the dispatch point reached, the
/// instructions given, the relays sent (and when dispatch aired them), the verifications raised
/// and the EMS and fire resources sent.
///
/// Every instruction is given once; a relay keeps the inputs it was sent on, so it goes out
/// again only when one of them changes, and new words go on the air again; a verification is
/// raised once by id and updated in place, and goes out with the next outcome
/// (``takeUpdates()``).
struct SentEffects: Sendable {
  /// A relay as it went out.
  struct RelayState: Sendable {
    /// The text as units got it; nil until a step's outcome is rendered.
    var text: String?
    var inputs: [FactValue]
    var at: Double
    /// True once the call-taker went back to correct an answer it reads (`/back`), until it is
    /// sent again: units got it marked withdrawn (``Session/withdrawnMark``).
    var withdrawn = false
  }

  /// A verification as raised, and what units said of it.
  struct VerificationState: Sendable {
    var id: String
    var confirm: String
    var evidence: String
    var inputs: [FactValue]
    var status: VerificationStatus = .pending
    var unit: String?
    var unitNote: String?
    var raisedAt: Double
    var updatedAt: Double
    /// Raised by the engine for conflicting answers, not by the protocol.
    var isConflict = false
  }

  /// The first dispatch point reached, nil before.
  private(set) var dispatchPoint: String?
  /// Each relay as it last went out, by index; nil while never sent.
  private(set) var relays: [RelayState?]
  /// When dispatch put each relay on the air (call-clock seconds), nil while not aired.
  private(set) var relaysAired: [Double?]
  /// Whether each instruction was given, by index (``instructionsGiven`` by id, with times).
  private(set) var instructionGiven: [Bool]
  /// Instructions given, with the time.
  private(set) var instructionsGiven: [String: Double] = [:]
  private(set) var verifications: [String: VerificationState] = [:]
  /// The ids of ``verifications`` in the order raised.
  private(set) var verificationOrder: [String] = []
  /// Verifications raised or changed since the last outcome.
  private var pendingUpdates: [VerificationPrompt] = []
  /// EMS and fire resources sent so far (see ``Session/medicalPart()``).
  private(set) var medicalSent: [String] = []

  init(relays: Int, instructions: Int) {
    self.relays = Array(repeating: nil, count: relays)
    relaysAired = Array(repeating: nil, count: relays)
    instructionGiven = Array(repeating: false, count: instructions)
  }

  /// Notes the first dispatch point reached.
  mutating func reach(dispatchPoint id: String) {
    dispatchPoint = id
  }

  /// Notes the instruction at `index` (with `id`) as given at `time`.
  mutating func give(instruction index: Int, id: String, at time: Double) {
    instructionGiven[index] = true
    instructionsGiven[id] = time
  }

  // MARK: - Relays

  /// Notes the relay at `index` as sent at `time` on `inputs`; its text stays until the
  /// outcome is rendered, and it goes on the air again.
  mutating func send(relay index: Int, inputs: [FactValue], at time: Double) {
    relays[index] = RelayState(text: relays[index]?.text, inputs: inputs, at: time)
    relaysAired[index] = nil  // new words go on the air again
  }

  /// Keeps the text units got for the relay at `index`.
  mutating func setText(_ text: String, ofRelay index: Int) {
    relays[index]?.text = text
  }

  /// Marks the sent relay at `index` withdrawn at `time`: units get it marked as being
  /// corrected.
  mutating func withdraw(relay index: Int, at time: Double) {
    relays[index]?.withdrawn = true
    relays[index]?.at = time
  }

  /// Notes that dispatch put the relay at `index` on the air at `time`.
  mutating func markAired(relay index: Int, at time: Double) {
    relaysAired[index] = time
  }

  // MARK: - Verifications

  /// Raises or updates a verification at `time`; it goes out with the next outcome.
  ///
  /// True when a record carries the change (its texts or status changed).
  mutating func raise(
    id: String, confirm: String, evidence: String, inputs: [FactValue], resetStatus: Bool,
    at time: Double
  ) -> Bool {
    let before = verifications[id]
    let isUpdate = before != nil
    if resetStatus, var state = verifications[id] {
      state.status = .pending
      state.unit = nil
      state.unitNote = nil
      verifications[id] = state
    }
    var state =
      verifications[id]
      ?? VerificationState(
        id: id, confirm: confirm, evidence: evidence, inputs: inputs, raisedAt: time,
        updatedAt: time)
    if !isUpdate { verificationOrder.append(id) }
    // A record carries each verification's texts and status.
    var changesRecord = false
    if before?.confirm != confirm || before?.evidence != evidence
      || before?.status != state.status
    {
      changesRecord = true
    }
    state.confirm = confirm
    state.evidence = evidence
    state.inputs = inputs
    state.updatedAt = time
    verifications[id] = state
    pendingUpdates.removeAll { $0.id == id }
    pendingUpdates.append(
      VerificationPrompt(
        id: id, confirm: confirm, evidence: evidence, status: state.status, unit: state.unit,
        unitNote: state.unitNote, isUpdate: isUpdate))
    return changesRecord
  }

  /// Takes a unit's confirmation or refutation of the verification `id` at `time`.
  ///
  /// True when its status changed (a record carries it).
  mutating func confirm(
    _ id: String, confirmed: Bool, unit: String?, note: String?, at time: Double
  ) -> Bool {
    guard var state = verifications[id] else { return false }
    let status: VerificationStatus = confirmed ? .confirmed : .refuted
    let changed = state.status != status
    state.status = status
    state.unit = unit
    state.unitNote = note
    state.updatedAt = time
    verifications[id] = state
    return changed
  }

  /// The verifications raised or changed since the last call, which empties them.
  mutating func takeUpdates() -> [VerificationPrompt] {
    let updates = pendingUpdates
    pendingUpdates = []
    return updates
  }

  // MARK: - EMS and fire

  /// Notes every resource of `plan` as sent.
  mutating func sendMedical(_ plan: [String]) {
    for resource in plan where !medicalSent.contains(resource) {
      medicalSent.append(resource)
    }
  }

  /// Stands down the resources `dropped` (the call-taker confirmed it).
  mutating func standDownMedical(_ dropped: [String]) {
    medicalSent = medicalSent.filter { !dropped.contains($0) }
  }
}
