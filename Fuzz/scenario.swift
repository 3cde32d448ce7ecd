import Foundation

@testable import CallScript

/// The scenario reader: any bytes give a scenario or diagnostics, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let bytes else { return 0 }
  _ = ScenarioReader.read(data: Data(bytes: bytes, count: count), file: "fuzz.scenario.yaml")
  return 0
}
