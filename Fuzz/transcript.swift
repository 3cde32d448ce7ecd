import Foundation

@testable import CallScript

let builtIn = BuiltInProtocol.compile().protocolValue

/// The transcript readers: the reader, the review's fast scanner and a full verify with replay.
/// Whatever a file holds, reading never traps, and the scanner never accepts what the reader
/// refuses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let bytes else { return 0 }
  let data = Data(bytes: bytes, count: count)
  let read = TranscriptReader.read(data)
  if TranscriptScanner.read(data) != nil, case .failure(let problem) = read {
    fatalError("the scanner accepted a transcript the reader refuses: \(problem)")
  }
  _ = TranscriptReader.verify(data, allowIncomplete: true) { _ in builtIn }
  return 0
}
