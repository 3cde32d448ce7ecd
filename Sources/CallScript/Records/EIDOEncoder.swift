import Foundation

/// Turns record snapshots into NENA EIDO documents (NENA-STA-021.1b).
///
/// Each document is a full-state snapshot: everything known about the call when the record
/// went out. Components keep their ids from the first record of a call to the last and carry
/// their own `lastUpdateTimeStamp`, so a receiver can tell what changed. The output depends
/// only on the snapshot, the call context and the protocol: no clock, no randomness, keys
/// sorted, so a replay gives the same bytes. `docs/records.md` has the full mapping.
public enum EIDOEncoder {
  /// The EIDO document for a snapshot of a call taken with `callProtocol`.
  public static func eido(
    for snapshot: RecordSnapshot, context: CallContext, callProtocol: CallProtocol
  ) -> EIDODocument {
    eido(
      for: snapshot, context: context, protocolID: callProtocol.id,
      protocolVersion: callProtocol.version,
      responseLevelCount: callProtocol.responseLevels.count,
      resourceLabels: Dictionary(
        callProtocol.resources.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first }))
  }

  /// The EIDO document for a snapshot.
  ///
  /// - Parameters:
  ///   - protocolID: The protocol's id, given as the call's local call type.
  ///   - protocolVersion: The protocol's version, named in the determinant note.
  ///   - responseLevelCount: How many response levels the protocol has (the built-in has 3);
  ///     the common priority puts the highest at 10 and each level below 2 lower.
  ///   - resourceLabels: The words for the response plan's resource ids; an id without one is
  ///     written as it is.
  public static func eido(
    for snapshot: RecordSnapshot, context: CallContext, protocolID: String,
    protocolVersion: String, responseLevelCount: Int = 3, resourceLabels: [String: String] = [:]
  ) -> EIDODocument {
    var context = context
    if let incident = snapshot.incidentID {
      context.incidentTrackingID = IncidentEIDO.trackingID(
        incidentID: incident, agency: context.agencyID)
    }
    var builder = EIDOBuilder(
      snapshot: snapshot, context: context, protocolID: protocolID,
      protocolVersion: protocolVersion, responseLevelCount: responseLevelCount,
      resourceLabels: resourceLabels)
    return builder.build()
  }

  /// The EIDO document for a snapshot of a call taken with `callProtocol`, as JSON bytes.
  public static func document(
    for snapshot: RecordSnapshot, context: CallContext, callProtocol: CallProtocol
  ) -> Data {
    encode(eido(for: snapshot, context: context, callProtocol: callProtocol))
  }

  /// The EIDO document for a snapshot, as deterministic JSON bytes (sorted keys, no extra
  /// white space, stable ids), so replays can compare byte for byte.
  public static func document(
    for snapshot: RecordSnapshot, context: CallContext, protocolID: String,
    protocolVersion: String, responseLevelCount: Int = 3
  ) -> Data {
    encode(
      eido(
        for: snapshot, context: context, protocolID: protocolID,
        protocolVersion: protocolVersion, responseLevelCount: responseLevelCount))
  }

  /// A document as compact JSON with sorted keys and unescaped slashes.
  public static func encode(_ document: EIDODocument) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // The document holds only strings, integers and arrays and objects of them, which
    // JSONEncoder cannot fail on.
    return (try? encoder.encode(document)) ?? Data()
  }

  /// The EIDO common priority (0 lowest, 10 highest) of a response level.
  ///
  /// The highest level is 10 and each level below is 2 lower, down to 0: with three levels,
  /// 6, 8 and 10.
  public static func commonPriority(levelRank: Int, levelCount: Int) -> Int {
    let top = max(levelCount - 1, levelRank)
    return min(10, max(0, 10 - 2 * (top - levelRank)))
  }
}
