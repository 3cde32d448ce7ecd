import CallScript
import Foundation

/// The jsonl input parser (`JSONLinesInput`, in the library as `take --io jsonl` uses it): any
/// line gives an input or a refusal, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let bytes else { return 0 }
  let data = Data(bytes: bytes, count: count)
  // As InputLines hands a line over: only valid UTF-8 reaches the parser.
  guard let line = String(validating: data, as: UTF8.self) else { return 0 }
  _ = JSONLinesInput.parse(line)
  if let json = JSONValue.parse(data) { _ = Escaped.json(json.canonical) }
  return 0
}
