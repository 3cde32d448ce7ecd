import Foundation

/// Reads the files a protocol is made of into one source tree: the blocks it includes
/// (`include:`) and, for an agency's override file (`overrides:`), the protocol it overrides
/// with the agency's changes applied (``OverrideFile``).
///
/// Files are read through a closure, so the engine does no I/O of its own; a bundle
/// (``SourceBundle``) brings every file with it. Each node keeps the file it came from
/// (``SourcePosition/source``), so every finding names the right file, line and column.
struct SourceAssembly {
  /// The keys an included file may hold: blocks of items shared by several protocols.
  static let includableKeys = [
    "include", "questions", "derived", "instructions", "relays", "verifications",
  ]
  /// The most files one protocol may read.
  static let maximumFiles = 64

  /// The file compiled, as named to the compiler.
  let file: String
  /// Reads a file by its name as ``SourceAssembly/name(of:)`` gives it; nil when it cannot.
  let read: ((String) -> Data?)?
  /// The trailer's files when the text compiled is a bundle, by relative path.
  var embedded: [String: SourceBundle.File] = [:]
  var isBundle = false

  /// The files read, by source index after the file compiled (index 0).
  var files: [SourceBundle.File] = []
  var diagnostics: [Diagnostic] = []
  /// A file named could not be read: the names it defines are missing, so the compiler's
  /// findings would be noise.
  var incomplete = false
  /// Relative paths of the file compiled and every file read, for cycles and repeats.
  var readPaths: [String: SourcePosition] = [:]

  init(file: String, read: ((String) -> Data?)?) {
    self.file = file
    self.read = read
  }

  /// The file compiled, as a path relative to its own folder.
  var selfPath: String { file.split(separator: "/").last.map(String.init) ?? file }

  /// Every file's name by source index, for diagnostics.
  var names: [String] { [file] + files.map { name(of: $0.path) } }

  /// The name of a file read, from its path relative to the file compiled.
  func name(of path: String) -> String {
    SourceBundle.join(SourceBundle.folder(of: file), path)
  }

  /// The text to hash and archive: the bytes given when nothing else was read, else the bundle.
  func source(main: String, data: Data) -> Data {
    if isBundle || files.isEmpty { return data }
    return Data(SourceBundle.make(main: main, files: files).utf8)
  }

  // MARK: - Reading files

  /// The tree of the file `path` (relative to the file compiled) named at `position`, with
  /// every position marked with its source index; nil after reporting why not.
  mutating func load(
    _ path: String, what: String, at position: SourcePosition, chain: [String],
    sink: DiagnosticSink
  ) -> SourceNode? {
    if let cycle = chain.firstIndex(of: path) {
      let loop = (chain[cycle...] + [path]).map { "'\(name(of: $0))'" }.joined(separator: " -> ")
      sink.error(
        position, DiagnosticCode.include, "\(what) '\(name(of: path))' forms a cycle: \(loop)")
      incomplete = true
      return nil
    }
    if let first = readPaths[path] {
      sink.error(
        position, DiagnosticCode.include,
        "'\(name(of: path))' is already read (\(sink.line(first, from: position))); "
          + "name each file once")
      incomplete = true
      return nil
    }
    guard files.count < Self.maximumFiles else {
      sink.error(
        position, DiagnosticCode.include,
        "a protocol may read at most \(Self.maximumFiles) files; '\(name(of: path))' is one more")
      incomplete = true
      return nil
    }
    let text: String
    if isBundle {
      guard let file = embedded[path] else {
        sink.error(
          position, DiagnosticCode.include,
          "'\(path)' is not in this bundle's trailer; a bundle brings every file it reads")
        incomplete = true
        return nil
      }
      text = file.text
    } else {
      guard let read, let data = read(name(of: path)) else {
        sink.error(
          position, DiagnosticCode.include,
          "cannot read \(what) '\(name(of: path))': no such file, or not readable"
            + (read == nil
              ? " (this protocol is compiled without access to files)"
              : "; a path is relative to the file that names it"))
        incomplete = true
        return nil
      }
      switch SourceReader.decode(data, file: name(of: path)) {
      case .failure(let problem):
        diagnostics.append(problem)
        sink.error(position, DiagnosticCode.include, "'\(name(of: path))' cannot be read")
        incomplete = true
        return nil
      case .success(let decoded): text = decoded
      }
    }
    let index = files.count + 1
    files.append(SourceBundle.File(path: path, text: text, line: position.line))
    sink.files.append(name(of: path))
    readPaths[path] = position
    let (root, problems) = SourceReader.read(text, file: name(of: path))
    diagnostics += problems
    if root == nil { incomplete = true }
    return root.map { Self.marked($0, source: index) }
  }

  /// A tree with every position moved into source file `source`.
  static func marked(_ node: SourceNode, source: Int) -> SourceNode {
    func scalar(_ value: SourceScalar) -> SourceScalar {
      var copy = value
      copy.position.source = source
      return copy
    }
    func moved(_ position: SourcePosition) -> SourcePosition {
      var copy = position
      copy.source = source
      return copy
    }
    switch node {
    case .scalar(let value): return .scalar(scalar(value))
    case .sequence(let items, let position):
      return .sequence(items.map { marked($0, source: source) }, moved(position))
    case .mapping(let entries, let position):
      return .mapping(
        entries.map { SourceEntry(key: scalar($0.key), value: marked($0.value, source: source)) },
        moved(position))
    }
  }

  // MARK: - include

  /// The items of every file `entries` include (their own includes first, then theirs, in the
  /// order listed), by key; `folder` is the including file's folder relative to the file
  /// compiled.
  mutating func included(
    by entries: [SourceEntry], folder: String, chain: [String], sink: DiagnosticSink
  ) -> [String: [SourceNode]] {
    guard let entry = entries.first(where: { $0.key.text == "include" }) else { return [:] }
    guard case .sequence(let items, _) = entry.value else {
      sink.error(
        entry.value.position, DiagnosticCode.wrongType,
        "'include' must be a list of files, such as [shared/caller-basics.yaml], found "
          + entry.value.shapeName)
      incomplete = true
      return [:]
    }
    var blocks: [String: [SourceNode]] = [:]
    for item in items {
      guard case .scalar(let scalar) = item else {
        sink.error(
          item.position, DiagnosticCode.wrongType,
          "items of 'include' must be file paths, found \(item.shapeName)")
        incomplete = true
        continue
      }
      guard let written = Self.path(scalar, sink: sink) else {
        incomplete = true
        continue
      }
      let path = SourceBundle.join(folder, written)
      guard
        let root = load(
          path, what: "included file", at: scalar.position, chain: chain, sink: sink)
      else { continue }
      guard case .mapping(let included, _) = root else {
        sink.error(
          root.position, DiagnosticCode.wrongType,
          "an included file is a mapping of 'questions', 'derived', 'instructions', 'relays' "
            + "or 'verifications', found \(root.shapeName)")
        incomplete = true
        continue
      }
      for key in included where !Self.includableKeys.contains(key.key.text) {
        incomplete = true
        sink.error(
          key.key.position, DiagnosticCode.unknownKey,
          "unknown key '\(key.key.text)' in included file '\(name(of: path))': an included file "
            + "holds only "
            + Self.includableKeys.dropFirst().map { "'\($0)'" }.joined(
              separator: ", "),
          suggestion: NameSuggestion.didYouMean(key.key.text, among: Self.includableKeys))
      }
      let nested = self.included(
        by: included, folder: SourceBundle.folder(of: path), chain: chain + [path], sink: sink)
      for key in Self.includableKeys.dropFirst() {
        blocks[key, default: []] += nested[key] ?? []
        guard let value = included.first(where: { $0.key.text == key })?.value else { continue }
        guard case .sequence(let list, _) = value else {
          sink.error(
            value.position, DiagnosticCode.wrongType,
            "'\(key)' in included file '\(name(of: path))' must be a list, found "
              + value.shapeName)
          incomplete = true
          continue
        }
        blocks[key, default: []] += list
      }
    }
    return blocks
  }

  /// A path written in the file, refused when it holds control characters or is empty.
  static func path(_ scalar: SourceScalar, sink: DiagnosticSink) -> String? {
    let text = scalar.text.trimmedWhitespace
    guard !text.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{7F}" })
    else {
      sink.error(
        scalar.position, DiagnosticCode.invalidFormat,
        "'\(SafeText.quoted(scalar.text))' is not a file path")
      return nil
    }
    return text
  }

  /// `entries` with the included items before each list's own, and without `include`.
  static func merged(
    _ entries: [SourceEntry], with blocks: [String: [SourceNode]], at position: SourcePosition
  )
    -> [SourceEntry]
  {
    var result = entries.filter { $0.key.text != "include" }
    for key in includableKeys.dropFirst() {
      guard let items = blocks[key], !items.isEmpty else { continue }
      if let index = result.firstIndex(where: { $0.key.text == key }) {
        guard case .sequence(let own, let listPosition) = result[index].value else { continue }
        result[index].value = .sequence(items + own, listPosition)
      } else {
        result.append(
          SourceEntry(
            key: SourceScalar(text: key, position: position, contentOffset: 0),
            value: .sequence(items, position)))
      }
    }
    return result
  }

  // MARK: - The whole protocol

  /// The protocol's tree with its includes and overrides applied; nil when the file compiled
  /// cannot be read as a mapping.
  mutating func assemble(_ root: SourceNode, sink: DiagnosticSink) -> SourceNode {
    guard case .mapping(let entries, let position) = root else { return root }
    readPaths[selfPath] = .start
    if let base = entries.first(where: { $0.key.text == "overrides" }) {
      guard let tree = OverrideFile.apply(entries, base: base, assembly: &self, sink: sink) else {
        incomplete = true
        return .mapping([], position)
      }
      return tree
    }
    let blocks = included(by: entries, folder: "", chain: [selfPath], sink: sink)
    return .mapping(Self.merged(entries, with: blocks, at: position), position)
  }

  /// A protocol file read by an override file: its tree with its includes.
  mutating func protocolTree(
    _ path: String, at position: SourcePosition, chain: [String], sink: DiagnosticSink
  ) -> SourceNode? {
    guard
      let root = load(
        path, what: "overridden protocol", at: position, chain: chain, sink: sink)
    else { return nil }
    guard case .mapping(let entries, let top) = root else { return root }
    if let nested = entries.first(where: { $0.key.text == "overrides" }) {
      sink.error(
        nested.key.position, DiagnosticCode.include,
        "'\(name(of: path))' is itself an override file; an override file names the protocol "
          + "it changes, not another override file")
      return nil
    }
    let blocks = included(
      by: entries, folder: SourceBundle.folder(of: path), chain: chain + [path], sink: sink)
    return .mapping(Self.merged(entries, with: blocks, at: top), top)
  }
}
