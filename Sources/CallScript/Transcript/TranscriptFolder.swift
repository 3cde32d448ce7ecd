import Foundation

/// Where a folder of transcripts keeps its calls and the protocols they were taken on, as paths.
///
/// A call's transcript is `<folder>/<call-id>.jsonl`; every protocol a call used is archived as
/// `<folder>/protocols/<hash>.yaml`, the hash being the one the transcript's header names, so
/// every call can be replayed; the incident store is `<folder>/incidents.sqlite` unless another
/// is given. Only paths: reading and writing them is the caller's.
public struct TranscriptFolder: Sendable, Hashable {
  /// The folder, as given; empty for the current folder.
  public var path: String

  public init(_ path: String) {
    self.path = path
  }

  /// The folder a transcript file is in (empty when `transcript` names no folder).
  public init(holding transcript: String) {
    path = (transcript as NSString).deletingLastPathComponent
  }

  /// The transcript of call `callID`.
  public func transcript(callID: String) -> String {
    (path as NSString).appendingPathComponent("\(callID).jsonl")
  }

  /// The incident store a call taken into this folder uses unless told otherwise.
  public var incidentStore: String {
    (path as NSString).appendingPathComponent("incidents.sqlite")
  }

  /// The folder of archived protocols, `protocols/`.
  public var protocolArchive: String {
    ((path.isEmpty ? "." : path) as NSString).appendingPathComponent("protocols")
  }

  /// The archived protocol whose source has `hash`.
  public func archivedProtocol(hash: String) -> String {
    (protocolArchive as NSString).appendingPathComponent("\(hash).yaml")
  }
}
