import Foundation

@testable import CallScript

/// The protocol compiler (YAML reader, passes, lint findings): any bytes give a protocol or
/// findings, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let bytes else { return 0 }
  _ = ProtocolCompiler.compile(data: Data(bytes: bytes, count: count), file: "fuzz.yaml")
  return 0
}
