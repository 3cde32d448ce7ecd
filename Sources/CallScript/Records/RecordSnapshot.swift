/// A full-state dispatch record as the session knows it at one moment.
///
/// The engine emits one when a dispatch point is first reached and again on every change of a
/// fact the record carries; the records stage turns each into a NENA EIDO document.
public struct RecordSnapshot: Sendable, Hashable {
  /// A field of the record with where its value came from.
  public struct Field: Sendable, Hashable {
    public var field: RecordField
    /// The question or derived fact that filled it.
    public var source: String
    public var value: FactValue
    public var text: String
    /// Call-clock seconds when the value last changed.
    public var updatedAt: Double
  }

  /// A verification as it stands when the record went out.
  public struct Verification: Sendable, Hashable {
    public var id: String
    public var confirm: String
    public var evidence: String
    public var status: VerificationStatus
    public var unit: String?
    public var raisedAt: Double
    public var updatedAt: Double
  }

  /// The record's number: 1 for the first of the call, then 2, 3 and so on.
  public var sequence: Int
  /// Call-clock seconds when it went out.
  public var at: Double
  /// The dispatch point that sent the first record.
  public var dispatchPoint: String
  public var determinant: DeterminantState
  /// When the determinant last changed.
  public var determinantUpdatedAt: Double
  public var fields: [Field]
  public var notes: [CallNote]
  public var verifications: [Verification]
  public var callerConnected: Bool
  public var callEnded: Bool
  /// The incident the call-taker linked the call to (a `link` event), if any: the record then
  /// carries that incident's tracking id, like every other call of the incident.
  public var incidentID: String? = nil

  /// The field's entry, if the record carries it.
  public func field(_ field: RecordField) -> Field? {
    fields.first { $0.field == field }
  }
}
