import CYaml

/// Builds ``SourceNode``s straight from libyaml's parser events, rejecting what the format
/// forbids as it goes.
///
/// No intermediate YAML tree is made: no tags resolved, no anchors kept, no keys hashed twice.
/// Every problem is reported where it is written: an anchor, an alias, a custom tag, a key given
/// twice (at the repeat, naming the first), a structure nested too deep.
struct SourceEvents {
  /// A collection being read, with what it holds so far.
  ///
  /// Frames are changed in place on the stack (`stack[stack.count - 1].items.append`), so no list is copied as it grows.
  private struct Frame {
    var isMapping: Bool
    var position: SourcePosition
    var items: [SourceNode] = []
    var entries: [SourceEntry] = []
    var seen: [String: SourcePosition] = [:]
    /// The key read, waiting for its value; nil while a key is expected.
    var key: SourceScalar?
    /// True while the value of a refused key (repeated, not a word) is being read and dropped.
    var dropping = false
    var expectsKey: Bool { isMapping && key == nil && !dropping }
  }

  let file: String
  private(set) var diagnostics: [Diagnostic] = []
  private var stack: [Frame] = []
  private var root: SourceNode?
  /// Events still to pass over inside a refused collection (its depth of nesting).
  private var skipping = 0
  private var reportedAnchors: Set<String> = []
  private var documents = 0

  private static let allowedTags: Set<String> = [
    "", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
  ]

  init(file: String) { self.file = file }

  /// Parses `text` into its root node and every problem found.
  ///
  /// The root is nil when there is no document or anything was refused. A YAML syntax error is
  /// reported alone, as the parser gives it.
  static func read(_ text: String, file: String) -> (SourceNode?, [Diagnostic]) {
    var text = text
    return text.withUTF8 { bytes in
      let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
      defer {
        yaml_parser_delete(parser)
        parser.deallocate()
      }
      guard yaml_parser_initialize(parser) == 1 else {
        return (nil, [Self.failure(file: file, "cannot read YAML: out of memory")])
      }
      yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
      var builder = SourceEvents(file: file)
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(parser, &event) == 1 else {
          return (nil, [syntaxError(parser.pointee, file: file)])
        }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { break }
        if let problem = builder.take(event) { return (nil, [problem]) }
      }
      return (builder.diagnostics.isEmpty ? builder.root : nil, builder.diagnostics)
    }
  }

  // MARK: - Events

  /// Takes one event; returns a diagnostic that ends the reading (a second document).
  private mutating func take(_ event: yaml_event_t) -> Diagnostic? {
    let position = Self.position(event.start_mark)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 {
        return Diagnostic(
          file: file, position: position, code: DiagnosticCode.yamlSyntax,
          message:
            "YAML syntax: but found another document (expected a single document in the stream "
            + "at line 1)")
      }
    case YAML_SCALAR_EVENT:
      guard skipping == 0 else { break }
      let scalar = event.data.scalar
      guard admit(anchor: scalar.anchor, tag: scalar.tag, at: position, collection: false) else {
        break
      }
      let text = Self.string(scalar.value, length: scalar.length)
      let offset: Int? =
        switch scalar.style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: 1
        case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: nil
        default: 0
        }
      deliver(.scalar(SourceScalar(text: text, position: position, contentOffset: offset)))
    case YAML_ALIAS_EVENT:
      guard skipping == 0 else { break }
      if dropsValue() { break }
      refuseKey(at: position)
      let name = Self.string(event.data.alias.anchor)
      report(
        position, DiagnosticCode.anchorOrAlias,
        "alias '*\(name)' is not allowed; write each item out where it is used")
      deliver(nil)
    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
      if skipping > 0 {
        skipping += 1
        break
      }
      let isMapping = event.type == YAML_MAPPING_START_EVENT
      let (anchor, tag) =
        isMapping
        ? (event.data.mapping_start.anchor, event.data.mapping_start.tag)
        : (event.data.sequence_start.anchor, event.data.sequence_start.tag)
      guard admit(anchor: anchor, tag: tag, at: position, collection: true) else { break }
      stack.append(Frame(isMapping: isMapping, position: position))
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      if skipping > 0 {
        skipping -= 1
        break
      }
      guard let frame = stack.popLast() else { break }
      deliver(
        frame.isMapping
          ? .mapping(frame.entries, frame.position) : .sequence(frame.items, frame.position))
    default:
      break
    }
    return nil
  }

  /// Whether a node may be read.
  ///
  /// Not the value of a refused key, not anchored, tagged or nested too deep. A refused
  /// collection is passed over to its end.
  private mutating func admit(
    anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?,
    at position: SourcePosition, collection: Bool
  ) -> Bool {
    if dropsValue() {
      if collection { skipping = 1 }
      return false
    }
    var refused = false
    if stack.count > SourceReader.maximumDepth {
      report(
        position, DiagnosticCode.tooDeep,
        "structure is nested more than \(SourceReader.maximumDepth) levels deep")
      refused = true
    } else if let anchor {
      let name = Self.string(anchor)
      if reportedAnchors.insert(name).inserted {
        report(
          position, DiagnosticCode.anchorOrAlias,
          "anchor '&\(name)' is not allowed; write each item out where it is used")
      }
      refused = true
    } else if let tag, case let name = Self.string(tag), !Self.allowedTags.contains(name) {
      report(
        position, DiagnosticCode.customTag,
        "tag '\(name)' is not allowed; protocols use plain YAML without tags")
      refused = true
    } else if collection, stack.last?.expectsKey == true {
      report(position, DiagnosticCode.wrongType, "mapping keys must be plain words")
      refused = true
    }
    guard refused else { return true }
    if collection { skipping = 1 }
    refuseKey(at: position)
    deliver(nil)
    return false
  }

  /// True (and the value passed over) when the node is the value of a refused key.
  private mutating func dropsValue() -> Bool {
    guard let last = stack.indices.last, stack[last].dropping else { return false }
    stack[last].dropping = false
    return true
  }

  /// When a key is expected, a node that cannot be one makes its value dropped: the refused
  /// key is not delivered, and the next node is its value.
  private mutating func refuseKey(at position: SourcePosition) {
    guard let last = stack.indices.last, stack[last].expectsKey else { return }
    stack[last].dropping = true
  }

  /// Hands a finished node (nil when refused) to the collection it belongs to.
  private mutating func deliver(_ node: SourceNode?) {
    guard let last = stack.indices.last else {
      if let node { root = node }
      return
    }
    guard stack[last].isMapping else {
      if let node { stack[last].items.append(node) }
      return
    }
    // After a refused key its value comes next, and is dropped there.
    guard !stack[last].dropping else { return }
    if let key = stack[last].key {
      if let node { stack[last].entries.append(SourceEntry(key: key, value: node)) }
      stack[last].key = nil
    } else if case .scalar(let key)? = node {
      if let first = stack[last].seen[key.text] {
        report(
          key.position, DiagnosticCode.duplicateKey,
          "duplicate key '\(key.text)' in one mapping; first given at line \(first.line)")
        stack[last].dropping = true
      } else {
        stack[last].seen[key.text] = key.position
        stack[last].key = key
      }
    }
  }

  private mutating func report(
    _ position: SourcePosition, _ code: DiagnosticCode, _ message: String
  ) {
    diagnostics.append(Diagnostic(file: file, position: position, code: code, message: message))
  }

  // MARK: - libyaml values

  private static func position(_ mark: yaml_mark_t) -> SourcePosition {
    SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  private static func string(_ bytes: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
    guard let bytes, length > 0 else { return "" }
    return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
  }

  private static func string(_ bytes: UnsafeMutablePointer<yaml_char_t>?) -> String {
    guard let bytes else { return "" }
    return String(cString: bytes)
  }

  private static func failure(file: String, _ message: String) -> Diagnostic {
    Diagnostic(file: file, position: .start, code: DiagnosticCode.yamlSyntax, message: message)
  }

  /// The parser's error as a diagnostic, worded as before: `YAML syntax: problem (context at
  /// line N)`; text that cannot be read is not a protocol.
  private static func syntaxError(_ parser: yaml_parser_t, file: String) -> Diagnostic {
    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
    switch parser.error {
    case YAML_READER_ERROR:
      return Diagnostic(
        file: file, position: .start, code: DiagnosticCode.notAProtocol,
        message: "cannot read the file as text: \(problem)")
    case YAML_SCANNER_ERROR where problem.hasPrefix("Maximum nesting level"),
      YAML_PARSER_ERROR where problem.hasPrefix("Maximum nesting level"):
      // libyaml's own limit (far past ours) stops it before the events reach the depth check.
      return Diagnostic(
        file: file, position: position(parser.problem_mark), code: DiagnosticCode.tooDeep,
        message: "structure is nested more than \(SourceReader.maximumDepth) levels deep")
    case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
      var message = "YAML syntax: \(problem)"
      if let context = parser.context {
        message += " (\(String(cString: context)) at line \(Int(parser.context_mark.line) + 1))"
      }
      return Diagnostic(
        file: file, position: position(parser.problem_mark), code: DiagnosticCode.yamlSyntax,
        message: message)
    default:
      return failure(file: file, "cannot read YAML: out of memory")
    }
  }
}
