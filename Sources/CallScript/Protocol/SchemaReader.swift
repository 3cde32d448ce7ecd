import Foundation

/// Collects diagnostics while the compiler walks a protocol file and the files it reads.
final class DiagnosticSink {
  /// The file compiled.
  let file: String
  /// The name of each source file by ``SourcePosition/source``: the file compiled first, then
  /// each file read, added as it is read.
  var files: [String]
  private(set) var diagnostics: [Diagnostic] = []
  /// The source file of each diagnostic, by index.
  private var sources: [Int] = []

  init(file: String, files: [String] = []) {
    self.file = file
    self.files = files.isEmpty ? [file] : files
  }

  /// The finding at `position`, naming the file the position is in.
  private func finding(
    _ position: SourcePosition, _ severity: Severity, _ code: DiagnosticCode, _ message: String,
    _ suggestion: String?
  ) -> Diagnostic {
    var position = position
    let name = position.source < files.count ? files[position.source] : file
    sources.append(position.source)
    position.source = 0
    return Diagnostic(
      file: name, position: position, severity: severity, code: code, message: message,
      suggestion: suggestion)
  }

  /// Every finding, the file compiled first and then each file read, each in position order.
  var sorted: [Diagnostic] {
    diagnostics.indices.sorted {
      (sources[$0], diagnostics[$0].position, $0) < (sources[$1], diagnostics[$1].position, $1)
    }.map { diagnostics[$0] }
  }

  /// Records an error; `suggestion` is what to write instead (`did you mean 'x'?`), when known.
  func error(
    _ position: SourcePosition, _ code: DiagnosticCode, _ message: String,
    suggestion: String? = nil
  ) {
    diagnostics.append(finding(position, .error, code, message, suggestion))
  }

  /// Records a warning, an error under `lint --strict`.
  func warning(
    _ position: SourcePosition, _ code: DiagnosticCode, _ message: String,
    suggestion: String? = nil
  ) {
    diagnostics.append(finding(position, .warning, code, message, suggestion))
  }

  /// "line N" of `position`, with its file's name when it is in another file than `from`: how a
  /// message points at an earlier definition.
  func line(_ position: SourcePosition, from: SourcePosition) -> String {
    guard position.source != from.source, position.source < files.count else {
      return "line \(position.line)"
    }
    return "line \(position.line) of \(files[position.source])"
  }

  var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

extension DiagnosticSink {
  /// A name that refers to nothing (CS104): `unknown relay 'cont' in 'relay' of review fact
  /// 'count'`, with a did-you-mean among `candidates` when one is close.
  func unknownName(
    _ noun: String, _ name: String, at position: SourcePosition, _ place: String = "",
    among candidates: some Sequence<String>
  ) {
    error(
      position, .undefinedReference,
      "unknown \(noun) '\(SafeText.quoted(name))'" + (place.isEmpty ? "" : " " + place),
      suggestion: NameSuggestion.didYouMean(name, among: candidates))
  }
}

/// Reads one mapping of the protocol against its schema: known keys, required keys, typed values.
struct MappingReader {
  private(set) var what: String
  let position: SourcePosition
  let sink: DiagnosticSink
  /// The mapping's entries with allowed keys, in file order.
  ///
  /// A list, not a dictionary: a mapping has a handful of keys, and comparing short keys is
  /// cheaper than hashing them.
  private let entries: [SourceEntry]

  /// Reads `node` as a mapping with the given keys; reports unknown and missing keys.
  ///
  /// Returns nil (after reporting) when `node` is not a mapping.
  init?(
    _ node: SourceNode, what: String, allowed: [String], required: [String],
    sink: DiagnosticSink
  ) {
    guard case .mapping(let list, let position) = node else {
      sink.error(
        node.position, DiagnosticCode.wrongType,
        "\(what) must be a mapping, found \(node.shapeName)")
      return nil
    }
    // Name the item by its id in messages when it has one: "question 'location'".
    if what.last?.isNumber == true, let space = what.lastIndex(of: " "),
      let idEntry = list.first(where: { $0.key.text == "id" }),
      case .scalar(let id) = idEntry.value, Identifier.isValid(id.text)
    {
      self.what = "\(what[..<space]) '\(id.text)'"
    } else {
      self.what = what
    }
    self.position = position
    self.sink = sink
    var entries: [SourceEntry] = []
    entries.reserveCapacity(list.count)
    for entry in list {
      guard allowed.contains(entry.key.text) else {
        sink.error(
          entry.key.position, DiagnosticCode.unknownKey,
          "unknown key '\(entry.key.text)' in \(self.what)",
          suggestion: NameSuggestion.didYouMean(entry.key.text, among: allowed))
        continue
      }
      entries.append(entry)
    }
    self.entries = entries
    for key in required where !entries.contains(where: { $0.key.text == key }) {
      sink.error(
        position, DiagnosticCode.missingKey, "\(self.what) is missing required key '\(key)'")
    }
  }

  /// The entry with this key, if the mapping has it.
  private func entry(_ key: String) -> SourceEntry? {
    entries.first { $0.key.text == key }
  }

  func has(_ key: String) -> Bool { entry(key) != nil }

  /// Names the item differently in later messages, once its id is known.
  mutating func rename(_ newName: String) { what = newName }

  func node(_ key: String) -> SourceNode? { entry(key)?.value }

  func keyPosition(_ key: String) -> SourcePosition { entry(key)?.key.position ?? position }

  /// A scalar value; reports a wrong shape.
  func scalar(_ key: String) -> SourceScalar? {
    guard let value = entry(key)?.value else { return nil }
    guard case .scalar(let scalar) = value else {
      sink.error(
        value.position, DiagnosticCode.wrongType,
        "'\(key)' in \(what) must be text, found \(value.shapeName)")
      return nil
    }
    return scalar
  }

  /// A non-empty scalar's text.
  func text(_ key: String) -> String? {
    guard let scalar = scalar(key) else { return nil }
    let trimmed = scalar.text.trimmedWhitespace
    if trimmed.isEmpty {
      sink.error(scalar.position, DiagnosticCode.textLength, "'\(key)' in \(what) is empty")
      return nil
    }
    return trimmed
  }

  /// An identifier (`[a-z][a-z0-9_]*`).
  func identifier(_ key: String) -> (String, SourcePosition)? {
    guard let scalar = scalar(key) else { return nil }
    guard Identifier.isValid(scalar.text) else {
      sink.error(
        scalar.position, DiagnosticCode.invalidIdentifier,
        "'\(SafeText.quoted(scalar.text))' is not a valid \(key): use lowercase letters, "
          + "digits and '_', starting with a letter")
      return nil
    }
    return (scalar.text, scalar.position)
  }

  /// `true` or `false`; the default when absent.
  func bool(_ key: String, default defaultValue: Bool) -> Bool {
    guard let scalar = scalar(key) else { return defaultValue }
    switch scalar.text {
    case "true": return true
    case "false": return false
    default:
      sink.error(
        scalar.position, DiagnosticCode.invalidBoolean,
        "'\(key)' must be 'true' or 'false', found '\(SafeText.quoted(scalar.text))'")
      return defaultValue
    }
  }

  /// A whole number in `range`.
  func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
    guard let scalar = scalar(key) else { return nil }
    guard scalar.text.count <= 8, let value = Int(scalar.text), range.contains(value) else {
      sink.error(
        scalar.position, DiagnosticCode.invalidNumber,
        "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), "
          + "found '\(SafeText.quoted(scalar.text))'")
      return nil
    }
    return value
  }

  /// A list; reports a wrong shape.
  func list(_ key: String) -> [SourceNode]? {
    guard let value = entry(key)?.value else { return nil }
    guard case .sequence(let items, _) = value else {
      sink.error(
        value.position, DiagnosticCode.wrongType,
        "'\(key)' in \(what) must be a list, found \(value.shapeName)")
      return nil
    }
    return items
  }

  /// A list of scalars.
  func scalarList(_ key: String) -> [SourceScalar]? {
    guard let items = list(key) else { return nil }
    var scalars: [SourceScalar] = []
    for item in items {
      guard case .scalar(let scalar) = item else {
        sink.error(
          item.position, DiagnosticCode.wrongType,
          "items of '\(key)' must be text, found \(item.shapeName)")
        continue
      }
      scalars.append(scalar)
    }
    return scalars
  }
}

/// Rules for the names used in protocols.
enum Identifier {
  /// `[a-z][a-z0-9_]*`, at most 64 characters.
  static func isValid(_ text: String) -> Bool {
    let scalars = text.unicodeScalars
    guard let first = scalars.first, scalars.count <= 64, ("a"..."z").contains(first) else {
      return false
    }
    return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
  }
}

extension StringProtocol {
  /// The text without leading and trailing whitespace; a fast path for already-trimmed text.
  var trimmedWhitespace: String {
    guard let first = first, let last = last, first.isWhitespace || last.isWhitespace else {
      return String(self)
    }
    let start = firstIndex { !$0.isWhitespace } ?? endIndex
    let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
    return start < end ? String(self[start..<end]) : ""
  }
}
