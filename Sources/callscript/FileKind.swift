import CallScript
import Foundation

/// What kind of callscript file a YAML file is, from its top-level keys, so a protocol given to
/// `test` or a scenario given to `lint` gets a pointer to the right command instead of a list
/// of unknown keys.
enum FileKind {
  case protocolFile
  case scenario
  case other

  static func detect(_ data: Data, file: String) -> FileKind {
    guard case .success(let text) = SourceReader.decode(data, file: file),
      case (let root?, _) = SourceReader.read(text, file: file),
      case .mapping(let entries, _) = root
    else { return .other }
    let keys = Set(entries.map(\.key.text))
    if keys.contains("scenario") || keys.contains("steps") { return .scenario }
    if keys.contains("protocol") || keys.contains("questions") { return .protocolFile }
    return .other
  }
}
