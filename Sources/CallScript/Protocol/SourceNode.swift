import Foundation
import Yams

/// A YAML node of a protocol file as written, with every item's position.
///
/// Every scalar is kept as a string; the schema (``ProtocolCompiler``) decides what it means.
package indirect enum SourceNode: Sendable {
  case scalar(SourceScalar)
  case mapping([SourceEntry], SourcePosition)
  case sequence([SourceNode], SourcePosition)

  /// Where the node starts.
  public var position: SourcePosition {
    switch self {
    case .scalar(let scalar): scalar.position
    case .mapping(_, let position), .sequence(_, let position): position
    }
  }

  /// A word for the node's shape, for messages ("expected text, found a list").
  public var shapeName: String {
    switch self {
    case .scalar: "text"
    case .mapping: "a mapping"
    case .sequence: "a list"
    }
  }
}

/// A scalar with its text and where its text starts.
package struct SourceScalar: Sendable, Hashable {
  public var text: String
  public var position: SourcePosition
  /// Offset from `position` to the first character of `text` when the scalar sits on one
  /// line (1 for quoted scalars, 0 for plain ones); nil for block scalars, whose text does
  /// not map onto columns one to one.
  public var contentOffset: Int?

  /// The position of the character `offset` scalars into the text, as well as it is known.
  public func position(atOffset offset: Int) -> SourcePosition {
    guard let contentOffset, !text.contains("\n") else { return position }
    return SourcePosition(line: position.line, column: position.column + contentOffset + offset)
  }
}

/// A key and its value in a mapping.
package struct SourceEntry: Sendable {
  public var key: SourceScalar
  public var value: SourceNode
}

/// Reads protocol text into ``SourceNode``s, rejecting what the format forbids.
package enum SourceReader {
  /// Protocol files above this size are refused before parsing.
  public static let maximumBytes = 5 * 1024 * 1024
  /// Deeper structures than this are refused; real protocols need about six levels.
  public static let maximumDepth = 64

  /// Decodes raw bytes as protocol text, or explains why they are not.
  public static func decode(_ data: Data, file: String) -> Result<String, Diagnostic> {
    if data.count > maximumBytes {
      return .failure(
        Diagnostic(
          file: file, position: .start, code: DiagnosticCode.tooLarge,
          message:
            "file is \(data.count) bytes; protocol files are limited to \(maximumBytes) bytes"))
    }
    if data.isEmpty || data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      return .failure(
        Diagnostic(
          file: file, position: .start, code: DiagnosticCode.notAProtocol,
          message: "file is empty; a protocol starts with a 'protocol' mapping"))
    }
    if let index = data.firstIndex(of: 0) {
      return .failure(
        Diagnostic(
          file: file, position: position(ofByte: index - data.startIndex, in: data),
          code: DiagnosticCode.notAProtocol,
          message: "file contains a NUL byte; it looks binary, not a YAML protocol"))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      let offset = firstInvalidUTF8Offset(in: data) ?? 0
      return .failure(
        Diagnostic(
          file: file, position: position(ofByte: offset, in: data),
          code: DiagnosticCode.notAProtocol,
          message: "file is not valid UTF-8 text"))
    }
    return .success(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
  }

  /// Parses text into a tree, returning the diagnostics for whatever is wrong.
  public static func read(_ text: String, file: String) -> (SourceNode?, [Diagnostic]) {
    let parser: Parser
    let root: Node?
    do {
      // No resolver rules: every scalar is a string to YAML (and resolving is costly).
      parser = try Parser(yaml: text, resolver: .basic)
      root = try parser.singleRoot()
    } catch let error as YamlError {
      return (nil, [diagnostic(for: error, file: file, text: text)])
    } catch {
      return (
        nil,
        [
          Diagnostic(
            file: file, position: .start, code: DiagnosticCode.yamlSyntax,
            message: "cannot read YAML: \(error)")
        ]
      )
    }
    guard let root else {
      return (
        nil,
        [
          Diagnostic(
            file: file, position: .start, code: DiagnosticCode.notAProtocol,
            message: "file holds no YAML document; a protocol starts with a 'protocol' mapping")
        ]
      )
    }
    // Anchors are weak references owned by the parser: keep it alive while walking.
    return withExtendedLifetime(parser) {
      var converter = Converter(file: file)
      let node = converter.convert(root, depth: 0)
      for name in converter.seenAnchors.sorted() {
        for position in aliasPositions(of: name, in: text) {
          converter.diagnostics.append(
            Diagnostic(
              file: file, position: position, code: DiagnosticCode.anchorOrAlias,
              message: "alias '*\(name)' is not allowed; write each item out where it is used"))
        }
      }
      return (converter.diagnostics.isEmpty ? node : nil, converter.diagnostics)
    }
  }

  private struct Converter {
    let file: String
    var diagnostics: [Diagnostic] = []
    var seenAnchors: Set<String> = []

    init(file: String) { self.file = file }

    private static let allowedTags: Set<String> = [
      "", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
    ]

    mutating func convert(_ node: Node, depth: Int) -> SourceNode? {
      let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
      if depth > SourceReader.maximumDepth {
        report(
          position, DiagnosticCode.tooDeep,
          "structure is nested more than \(SourceReader.maximumDepth) levels deep")
        return nil
      }
      if let anchor = node.anchor {
        let name = anchor.rawValue
        // The parser copies an anchored node wherever an alias names it; report the anchor
        // once here and the aliases where they are written (see `aliasPositions`).
        if seenAnchors.insert(name).inserted {
          report(
            position, DiagnosticCode.anchorOrAlias,
            "anchor '&\(name)' is not allowed; write each item out where it is used")
        }
        return nil
      }
      if case .alias = node {
        report(position, DiagnosticCode.anchorOrAlias, "aliases are not allowed")
        return nil
      }
      let tagName: String
      switch node {
      case .scalar(let scalar): tagName = scalar.tag.rawValue
      case .mapping(let mapping): tagName = mapping.tag.rawValue
      case .sequence(let sequence): tagName = sequence.tag.rawValue
      case .alias: tagName = ""
      }
      if !Self.allowedTags.contains(tagName) {
        report(
          position, DiagnosticCode.customTag,
          "tag '\(tagName)' is not allowed; protocols use plain YAML without tags")
        return nil
      }
      switch node {
      case .scalar(let scalar):
        return .scalar(Self.sourceScalar(scalar, position: position))
      case .sequence(let sequence):
        var items: [SourceNode] = []
        items.reserveCapacity(sequence.count)
        for item in sequence {
          if let converted = convert(item, depth: depth + 1) { items.append(converted) }
        }
        return .sequence(items, position)
      case .mapping(let mapping):
        var entries: [SourceEntry] = []
        entries.reserveCapacity(mapping.count)
        var seenKeys: [String: SourcePosition] = [:]
        for (key, value) in mapping {
          let keyPosition =
            key.mark.map { SourcePosition(line: $0.line, column: $0.column) }
            ?? position
          guard case .scalar(let keyScalar) = key else {
            report(keyPosition, DiagnosticCode.wrongType, "mapping keys must be plain words")
            continue
          }
          let sourceKey = Self.sourceScalar(keyScalar, position: keyPosition)
          if let first = seenKeys[sourceKey.text] {
            report(
              keyPosition, DiagnosticCode.duplicateKey,
              "duplicate key '\(sourceKey.text)'; first given at line \(first.line)")
            continue
          }
          seenKeys[sourceKey.text] = keyPosition
          if let converted = convert(value, depth: depth + 1) {
            entries.append(SourceEntry(key: sourceKey, value: converted))
          }
        }
        return .mapping(entries, position)
      case .alias:
        return nil
      }
    }

    static func sourceScalar(_ scalar: Node.Scalar, position: SourcePosition) -> SourceScalar {
      let offset: Int?
      switch scalar.style {
      case .plain, .any: offset = 0
      case .singleQuoted, .doubleQuoted: offset = 1
      case .literal, .folded: offset = nil
      }
      return SourceScalar(text: scalar.string, position: position, contentOffset: offset)
    }

    mutating func report(_ position: SourcePosition, _ code: String, _ message: String) {
      diagnostics.append(Diagnostic(file: file, position: position, code: code, message: message))
    }
  }

  /// Where `*name` is written as an alias: after a space, a flow bracket, a comma or a colon.
  static func aliasPositions(of name: String, in text: String) -> [SourcePosition] {
    var positions: [SourcePosition] = []
    let target = Array(("*" + name).unicodeScalars)
    for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let scalars = Array(line.unicodeScalars)
      guard scalars.count >= target.count else { continue }
      for start in 0...(scalars.count - target.count) where scalars[start] == "*" {
        guard Array(scalars[start..<(start + target.count)]) == target else { continue }
        let before = start == 0 ? " " : scalars[start - 1]
        let after = start + target.count < scalars.count ? scalars[start + target.count] : " "
        let opens = " \t[{,:-".unicodeScalars.contains(before)
        let closes = " \t]},\r".unicodeScalars.contains(after)
        if opens && closes {
          positions.append(SourcePosition(line: lineIndex + 1, column: start + 1))
        }
      }
    }
    return positions
  }

  /// Where `key` is given again in the same block mapping as the key at `first`: the next line
  /// at the same indentation starting with it, before the mapping ends; nil when not found
  /// (a flow mapping, say).
  static func repeatedKey(_ key: String, after first: SourcePosition, in text: String)
    -> SourcePosition?
  {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard first.line >= 1, first.line <= lines.count else { return nil }
    let indent = first.column - 1
    for index in first.line..<lines.count {
      let line = lines[index]
      let leading = line.prefix { $0 == " " }.count
      let rest = line.dropFirst(leading)
      if rest.isEmpty || rest.hasPrefix("#") { continue }
      if leading < indent || (leading == indent && rest.hasPrefix("- ")) { return nil }
      if leading == indent, rest.hasPrefix(key + ":") {
        return SourcePosition(line: index + 1, column: leading + 1)
      }
    }
    return nil
  }

  static func diagnostic(for error: YamlError, file: String, text: String = "") -> Diagnostic {
    func make(_ mark: Mark, _ context: YamlError.Context?, _ problem: String) -> Diagnostic {
      var message = "YAML syntax: \(problem)"
      if let context {
        message += " (\(context.text) at line \(context.mark.line))"
      }
      return Diagnostic(
        file: file, position: SourcePosition(line: mark.line, column: mark.column),
        code: DiagnosticCode.yamlSyntax, message: message)
    }
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return make(mark, context, problem)
    case .duplicatedKeysInMapping(let duplicates, let context):
      let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
      let first = SourcePosition(line: context.mark.line, column: context.mark.column)
      // Point at the repeat (the line to delete), and say where the key was first given.
      if let name = duplicates.first,
        let repeated = repeatedKey(name, after: first, in: text)
      {
        return Diagnostic(
          file: file, position: repeated, code: DiagnosticCode.duplicateKey,
          message: "duplicate key \(names) in one mapping; first given at line \(first.line)")
      }
      return Diagnostic(
        file: file, position: first, code: DiagnosticCode.duplicateKey,
        message: "duplicate key \(names) in one mapping")
    case .reader(let problem, _, _, _):
      return Diagnostic(
        file: file, position: .start, code: DiagnosticCode.notAProtocol,
        message: "cannot read the file as text: \(problem)")
    default:
      return Diagnostic(
        file: file, position: .start, code: DiagnosticCode.yamlSyntax,
        message: "cannot read YAML: \(error)")
    }
  }

  static func position(ofByte offset: Int, in data: Data) -> SourcePosition {
    var line = 1
    var lineStart = 0
    for (index, byte) in data.prefix(offset).enumerated() where byte == 0x0A {
      line += 1
      lineStart = index + 1
    }
    return SourcePosition(line: line, column: offset - lineStart + 1)
  }

  /// The byte offset of the first malformed UTF-8 sequence, if any.
  static func firstInvalidUTF8Offset(in data: Data) -> Int? {
    let bytes = [UInt8](data)
    var index = 0
    while index < bytes.count {
      let lead = bytes[index]
      let length: Int
      switch lead {
      case 0x00...0x7F: length = 1
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: return index
      }
      guard index + length <= bytes.count else { return index }
      for next in bytes[(index + 1)..<(index + length)] where next & 0xC0 != 0x80 {
        return index
      }
      index += length
    }
    return nil
  }
}
