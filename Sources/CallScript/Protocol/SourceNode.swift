import Foundation

/// A YAML node of a protocol file as written, with every item's position.
///
/// Every scalar is kept as a string; the schema (``ProtocolCompiler``) decides what it means.
package indirect enum SourceNode: Sendable {
  case scalar(SourceScalar)
  case mapping([SourceEntry], SourcePosition)
  case sequence([SourceNode], SourcePosition)

  /// Where the node starts.
  package var position: SourcePosition {
    switch self {
    case .scalar(let scalar): scalar.position
    case .mapping(_, let position), .sequence(_, let position): position
    }
  }

  /// A word for the node's shape, for messages ("expected text, found a list").
  package var shapeName: String {
    switch self {
    case .scalar: "text"
    case .mapping: "a mapping"
    case .sequence: "a list"
    }
  }
}

/// A scalar with its text and where its text starts.
package struct SourceScalar: Sendable, Hashable {
  package var text: String
  package var position: SourcePosition
  /// Offset from `position` to the first character of `text` when the scalar sits on one
  /// line (1 for quoted scalars, 0 for plain ones); nil for block scalars, whose text does
  /// not map onto columns one to one.
  package var contentOffset: Int?

  /// The position of the character `offset` scalars into the text, as well as it is known.
  package func position(atOffset offset: Int) -> SourcePosition {
    guard let contentOffset, !text.contains("\n") else { return position }
    return SourcePosition(
      line: position.line, column: position.column + contentOffset + offset,
      source: position.source)
  }
}

/// A key and its value in a mapping.
package struct SourceEntry: Sendable {
  package var key: SourceScalar
  package var value: SourceNode
}

/// Reads protocol text into ``SourceNode``s, rejecting what the format forbids.
package enum SourceReader {
  /// Protocol files above this size are refused before parsing.
  package static let maximumBytes = 5 * 1024 * 1024
  /// Deeper structures than this are refused; real protocols need about six levels.
  package static let maximumDepth = 64

  /// Decodes raw bytes as protocol text, or explains why they are not.
  package static func decode(_ data: Data, file: String) -> Result<String, Diagnostic> {
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
    // One pass over the bytes for a NUL, one to check and copy the UTF-8: no byte at a time
    // through `Data`'s indices, no Foundation string conversion.
    let (nul, decoded) = data.withUnsafeBytes { bytes -> (Int?, String?) in
      if let base = bytes.baseAddress, let found = memchr(base, 0, bytes.count) {
        return (base.distance(to: UnsafeRawPointer(found)), nil)
      }
      return (nil, String(validating: bytes, as: UTF8.self))
    }
    if let index = nul {
      return .failure(
        Diagnostic(
          file: file, position: position(ofByte: index, in: data),
          code: DiagnosticCode.notAProtocol,
          message: "file contains a NUL byte; it looks binary, not a YAML protocol"))
    }
    guard let text = decoded else {
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
  ///
  /// Built from libyaml's events (``SourceEvents``): every scalar is a string, and anchors,
  /// aliases, tags, repeated keys and deep nesting are reported where they are written.
  package static func read(_ text: String, file: String) -> (SourceNode?, [Diagnostic]) {
    let (root, diagnostics) = SourceEvents.read(text, file: file)
    if root == nil, diagnostics.isEmpty {
      return (
        nil,
        [
          Diagnostic(
            file: file, position: .start, code: DiagnosticCode.notAProtocol,
            message: "file holds no YAML document; a protocol starts with a 'protocol' mapping")
        ]
      )
    }
    return (root, diagnostics)
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
