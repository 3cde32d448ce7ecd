/// What one step decided, by index, before any text is rendered.
///
/// ``Session/decide(_:at:)`` changes the state and works out which effects fell due;
/// ``Session/render(_:)`` turns that into a ``StepOutcome`` (texts, the record snapshot, the
/// prompt) from the state the step left. A consumer that needs only when things happen (the
/// review) reads the decision and never pays for the texts.
package struct StepEffects: Sendable {
  /// A relay that fell due: its index in the protocol and whether it went out before.
  package struct DueRelay: Sendable, Hashable {
    package var index: Int
    package var isUpdate: Bool
  }

  /// Messages from soft checks on the answer just given.
  package var warnings: [String] = []
  /// Indices of the instructions that fell due, interrupting ones first.
  package var instructions: [Int] = []
  /// The determinant in force after the step, nil when no row holds.
  package var determinant: DeterminantState?
  package var determinantChanged = false
  /// The relays that fell due, most urgent first.
  package var relays: [DueRelay] = []
  /// Indices of the relays withdrawn because the call-taker went back to correct an answer
  /// they read (`/back`), most urgent first.
  package var withdrawn: [Int] = []
  /// Verifications raised or updated (their texts are part of the record, so they are made
  /// when raised).
  package var verifications: [VerificationPrompt] = []
  /// The dispatch point reached at this step, nil when none was (or one was reached before).
  package var dispatchReached: String?
  /// True when a new record went out (``Session/recordSequence`` counts them).
  package var record = false
  /// When a record that waited for the record interval went out before the event.
  ///
  /// Its time passed before the event's; it carries the state before the event. Nil when none
  /// did.
  package var dueRecordAt: Double?
  /// The slot of the question to ask now; nil when nothing is left or the call ended.
  package var promptSlot: Int?
}

/// What the determinant is worked out from: the first rows that hold, the override, whether a
/// dispatch point was reached, and where standing EMS down stands.
struct DeterminantInputs: Hashable, Sendable {
  var rule: Int
  var override: Int?
  var medical: Int?
  var dispatched: Bool
  var standDown: VerificationStatus?
}
