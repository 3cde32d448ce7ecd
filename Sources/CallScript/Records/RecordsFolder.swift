import Foundation

/// Where dispatch records are kept, as paths: record `n` of a call is
/// `<folder>/<call-id>/<n>.json`, the EIDO document and a newline.
///
/// Only paths: writing and comparing the files is the caller's.
public struct RecordsFolder: Sendable, Hashable {
  /// The folder, as given.
  public var path: String

  public init(_ path: String) {
    self.path = path
  }

  /// The folder of call `callID`'s records.
  public func call(_ callID: String) -> String {
    (path as NSString).appendingPathComponent(callID)
  }

  /// The file of record `sequence` of call `callID`.
  public func record(callID: String, sequence: Int) -> String {
    (call(callID) as NSString).appendingPathComponent("\(sequence).json")
  }
}
