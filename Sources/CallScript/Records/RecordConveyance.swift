/// The check every conveyance of records to a CAD makes before it sends one.
///
/// Records of an agency that is not a live center (the placeholder agency
/// `psap.callscript.example` that `callscript take` uses out of the box, or any agency id
/// under a reserved example domain) are for training and tests: they are written to files and
/// shown, but never conveyed to a CAD.
public enum RecordConveyance {
  /// The document, if it may be conveyed to a CAD; else why not.
  public static func check(_ document: EIDODocument) -> Result<EIDODocument, Refusal> {
    let agencies = document.agencyComponent.map(\.id) + [document.updatedByAgencyReference.ref]
    if let agency = agencies.first(where: { !CallContext.isLiveAgency($0) }) {
      return .failure(Refusal(agencyID: agency))
    }
    return .success(document)
  }

  /// A record that must not reach a CAD.
  public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The agency that is not a live center.
    public var agencyID: String

    public var description: String {
      "record of agency '\(agencyID)' is not from a live center and is not conveyed to a CAD; "
        + "configure the agency with --agency or --agency-settings"
    }
  }
}
