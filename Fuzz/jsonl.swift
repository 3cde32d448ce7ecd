import CallScript
import Foundation

/// The jsonl input parser: any line gives an input or a refusal, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let bytes else { return 0 }
  guard let json = JSONValue.parse(Data(bytes: bytes, count: count)),
    case .object(let members) = json
  else { return 0 }
  _ = JSONLinesFrontend.input(members)
  _ = json.canonical
  return 0
}
