import Foundation

/// The outcome of compiling a protocol: the protocol when there were no errors, and every
/// finding, the file compiled first and then each file it reads, each in position order.
public struct CompileResult: Sendable {
  public var protocolValue: CallProtocol?
  public var diagnostics: [Diagnostic]
  /// What the protocol was compiled from, to hash and archive: the file's bytes when it reads
  /// no other file, else the bundle of it and every file it reads (``SourceBundle``), which
  /// compiles to the same protocol without reading any file.
  public var source = Data()

  /// True when no finding is an error.
  public var succeeded: Bool { protocolValue != nil }
}

/// Turns protocol text into a ``CallProtocol``, reporting each problem as a ``Diagnostic``.
public enum ProtocolCompiler {
  /// Compiles the protocol in `text`; `file` names it in diagnostics.
  ///
  /// `archived` is for a protocol a transcript names by hash, kept to replay the calls made
  /// with it: such a file may predate rules added since (a question without a `label` stands
  /// named by its id), so what was once accepted still replays. Lint, `take` and tests compile
  /// with every rule.
  ///
  /// `read` reads the files the protocol names (`include:`, `overrides:`), by their path
  /// joined to the folder of `file`; without it a protocol that names another file is an
  /// error unless it is a bundle that brings them.
  public static func compile(
    text: String, file: String, archived: Bool = false, read: ((String) -> Data?)? = nil
  ) -> CompileResult {
    compile(text: text, data: Data(text.utf8), file: file, archived: archived, read: read)
  }

  /// Compiles raw file bytes, first checking they are reasonable protocol text.
  public static func compile(
    data: Data, file: String, archived: Bool = false, read: ((String) -> Data?)? = nil
  ) -> CompileResult {
    switch SourceReader.decode(data, file: file) {
    case .failure(let diagnostic):
      CompileResult(protocolValue: nil, diagnostics: [diagnostic], source: data)
    case .success(let text):
      compile(text: text, data: data, file: file, archived: archived, read: read)
    }
  }

  static func compile(
    text: String, data: Data, file: String, archived: Bool, read: ((String) -> Data?)?
  ) -> CompileResult {
    var main = text
    var assembly = SourceAssembly(file: file, read: read)
    var bundleProblem: Diagnostic?
    if let bundle = SourceBundle.split(text) {
      main = bundle.main
      assembly.isBundle = true
      for embedded in bundle.files { assembly.embedded[embedded.path] = embedded }
      if let problem = bundle.problem {
        bundleProblem = Diagnostic(
          file: file, position: SourcePosition(line: problem.line, column: 1),
          code: DiagnosticCode.notAProtocol, message: problem.message)
      }
    }
    let (root, readDiagnostics) = SourceReader.read(main, file: file)
    guard let root, bundleProblem == nil else {
      return CompileResult(
        protocolValue: nil, diagnostics: readDiagnostics + [bundleProblem].compactMap { $0 },
        source: data)
    }
    var pass = CompilerPass(file: file)
    pass.archived = archived
    let tree = assembly.assemble(root, sink: pass.sink)
    let source = assembly.source(main: main, data: data)
    // A file that cannot be read leaves every name it defines unknown: report only why.
    if assembly.incomplete || !assembly.diagnostics.isEmpty {
      return CompileResult(
        protocolValue: nil, diagnostics: pass.sink.sorted + assembly.diagnostics, source: source)
    }
    let compiled = pass.run(tree)
    let diagnostics = pass.sink.sorted
    let hasErrors = diagnostics.contains { $0.severity == .error }
    return CompileResult(
      protocolValue: hasErrors ? nil : compiled, diagnostics: diagnostics, source: source)
  }
}

/// The names expressions can see while compiling.
///
/// The engine's facts (`line_dropped`, `incident.attacker_count`…) take slots only when an
/// expression or template names them, one after the other past the file's derived facts, in
/// the order first named: a protocol that names none is compiled as if they did not exist.
struct ProtocolSymbols: SymbolTable {
  /// The built-in facts expressions and templates looked up, each with the slot it took.
  final class Use {
    var builtIn: [Symbol] = []
  }

  var byName: [String: Symbol] = [:]
  var allSymbolNames: [String] = []
  /// The engine's facts this protocol may read, with their types.
  var builtInTypes: [String: ValueType] = [:]
  /// The slot the first built-in fact named takes.
  var builtInBase = 0
  let use = Use()

  func symbol(named name: String) -> Symbol? {
    if let symbol = byName[name] { return symbol }
    guard let type = builtInTypes[name] else { return nil }
    if let symbol = use.builtIn.first(where: { $0.name == name }) { return symbol }
    let symbol = Symbol(
      name: name, slot: builtInBase + use.builtIn.count, type: type, isQuestion: false)
    use.builtIn.append(symbol)
    return symbol
  }

  /// The engine's fact holding when `question`'s fact was observed, taking a slot (and making
  /// `elapsed` take one) when first asked for.
  func observedTime(of question: Symbol) -> Symbol? {
    guard question.isQuestion, builtInTypes[BuiltInTime.elapsed] != nil else { return nil }
    let name = BuiltInTime.observedPrefix + question.name
    if let symbol = use.builtIn.first(where: { $0.name == name }) { return symbol }
    let symbol = Symbol(
      name: name, slot: builtInBase + use.builtIn.count, type: .duration, isQuestion: false)
    use.builtIn.append(symbol)
    return symbol
  }

  mutating func add(_ symbol: Symbol) {
    byName[symbol.name] = symbol
    allSymbolNames.append(symbol.name)
  }

  /// Makes an engine fact visible to expressions, taking a slot only once named.
  mutating func addBuiltIn(_ name: String, type: ValueType) {
    builtInTypes[name] = type
    allSymbolNames.append(name)
  }
}

/// One compilation: the state shared by the passes over a protocol's source tree.
struct CompilerPass {
  /// The languages that some protocol text was given in.
  final class LanguageUse {
    var used: Set<String> = []
  }

  let sink: DiagnosticSink
  var languages: [String] = ["en"]
  /// Languages translated only in part on purpose (`partial_languages`): no CS118 for them.
  var partialLanguages: [String] = []
  var partialPosition = SourcePosition.start
  let languageUse = LanguageUse()
  var symbols = ProtocolSymbols()
  /// True for a protocol kept to replay old transcripts (see `ProtocolCompiler.compile`).
  var archived = false

  init(file: String) { sink = DiagnosticSink(file: file) }

  static let topLevelKeys = [
    "protocol", "response_levels", "resources", "questions", "derived", "determinants",
    "dispatch_points", "instructions", "relays", "verifications", "medical", "review",
    "records",
  ]

  // MARK: - The whole file

  mutating func run(_ root: SourceNode) -> CallProtocol? {
    checkText(root, path: "")
    guard case .mapping = root else {
      sink.error(
        root.position, DiagnosticCode.notAProtocol,
        "a protocol is a mapping with 'protocol' and 'questions' at the top, found "
          + root.shapeName)
      return nil
    }
    guard
      let top = MappingReader(
        root, what: "the protocol file", allowed: Self.topLevelKeys,
        required: ["protocol", "response_levels", "questions", "determinants", "dispatch_points"],
        sink: sink)
    else { return nil }

    let metadata = readMetadata(top)
    let levels = readLevels(top)
    let resources = readResources(top)

    let questionSources = readQuestionDeclarations(top)
    let derivedSources = readDerivedDeclarations(top, questionCount: questionSources.count)
    // The built-in facts take the slots after the file's derived facts, each only when
    // something names it, so a protocol that names none is compiled as before.
    let lineSlot = questionSources.count + derivedSources.count
    declareSymbols(questions: questionSources, derived: derivedSources, lineSlot: lineSlot)

    let questionIDs = questionSources.map(\.id)
    var questions = questionSources.map { compileQuestion($0, questionIDs: questionIDs) }
    var derived = derivedSources.map { compileDerived($0) }
    for index in questions.indices { questions[index].slot = index }

    let determinants = readDeterminants(top, levels: levels, resources: resources)
    let medical = readMedical(
      top, levels: levels, resources: resources, determinants: determinants)
    let dispatchPoints = readDispatchPoints(top)
    let instructions = readInstructions(top)
    let relays = readRelays(
      top, typicalLengths: typicalLengths(questions: questions, derived: derived) + [3])
    let verifications = readVerifications(top)
    let recordInterval = readRecordInterval(top)
    checkPartialLanguagesUsed()
    let reviewFacts = readReview(top, questions: questions, relays: relays)
    checkFills(questions: questionSources, derived: derivedSources)
    var lineDroppedSlot: Int?
    var incidentFacts: [IncidentFact.Reading] = []
    for symbol in symbols.use.builtIn {
      let definition: DerivedFact.Definition
      if symbol.name == BuiltInFact.lineDropped {
        definition = .lineDropped
        lineDroppedSlot = symbol.slot
      } else if symbol.name == BuiltInTime.elapsed {
        definition = .elapsed
      } else if symbol.name.hasPrefix(BuiltInTime.observedPrefix),
        let question = questions.first(where: {
          $0.id == symbol.name.dropFirst(BuiltInTime.observedPrefix.count)
        })
      {
        let daters = questions.filter { $0.dates.contains(question.slot) }.map(\.slot)
        definition = .observed(question: question.slot, daters: daters)
      } else {
        let name = String(symbol.name.dropFirst(IncidentFact.prefix.count))
        definition = .incidentFact(name)
        incidentFacts.append(IncidentFact.Reading(name: name, slot: symbol.slot, type: symbol.type))
      }
      derived.append(
        DerivedFact(
          id: symbol.name, slot: symbol.slot, definition: definition, fills: nil,
          position: .start))
      symbols.byName[symbol.name] = symbol
    }

    let order = evaluationOrder(questions: questions, derived: derived)
    for question in questions {
      if let condition = question.askIf, condition.isConstantlyFalse {
        sink.error(
          question.position, DiagnosticCode.neverAsked,
          "question '\(question.id)' can never be asked: its 'ask_if' can never hold")
      }
    }

    guard let metadata, !sink.hasErrors else { return nil }
    let asking = questions.indices.sorted { a, b in
      questions[a].priority != questions[b].priority
        ? questions[a].priority > questions[b].priority : a < b
    }
    var slots: [String: Int] = [:]
    for (name, symbol) in symbols.byName { slots[name] = symbol.slot }
    var compiled = CallProtocol(
      id: metadata.id, version: metadata.version, title: metadata.title,
      description: metadata.description, languages: languages, responseLevels: levels.map(\.0),
      resources: resources, questions: questions, derived: derived, determinants: determinants,
      dispatchPoints: dispatchPoints, instructions: instructions, relays: relays,
      verifications: verifications, evaluationOrder: order, askingOrder: asking, file: sink.file,
      slotsByName: slots)
    compiled.medical = medical
    compiled.reviewFacts = reviewFacts
    compiled.recordInterval = recordInterval
    compiled.partialLanguages = partialLanguages
    compiled.lineDroppedSlot = lineDroppedSlot
    compiled.incidentFacts = incidentFacts
    compiled.hasConditionalPriority = questions.contains { !$0.priorityIf.isEmpty }
    compiled.tables = EvaluationTables(
      questions: questions, derived: derived, evaluationOrder: order, instructions: instructions,
      relays: relays, verifications: verifications, dispatchPoints: dispatchPoints,
      determinants: determinants, medical: medical, lineDroppedSlot: compiled.lineDroppedSlot)
    var datedBy = Array(repeating: [Int](), count: questions.count)
    for question in questions {
      for slot in question.dates { datedBy[slot].append(question.slot) }
    }
    compiled.datedBy = datedBy
    return compiled
  }

  // MARK: - Metadata, levels, resources

  struct Metadata {
    var id: String
    var version: String
    var title: String
    var description: String?
  }

  mutating func readMetadata(_ top: MappingReader) -> Metadata? {
    guard let node = top.node("protocol"),
      let reader = MappingReader(
        node, what: "'protocol'",
        allowed: ["id", "version", "title", "languages", "partial_languages", "description"],
        required: ["id", "version", "title", "languages"], sink: sink)
    else { return nil }
    if let scalars = reader.scalarList("languages") {
      var seen: Set<String> = []
      var list: [String] = []
      for scalar in scalars {
        guard Self.isLanguageCode(scalar.text) else {
          sink.error(
            scalar.position, DiagnosticCode.invalidFormat,
            "'\(SafeText.quoted(scalar.text))' is not a language code such as 'en' or 'es-MX'")
          continue
        }
        if !seen.insert(scalar.text).inserted {
          sink.error(
            scalar.position, DiagnosticCode.duplicateID, "language '\(scalar.text)' listed twice")
          continue
        }
        list.append(scalar.text)
      }
      if list.isEmpty {
        sink.error(
          reader.keyPosition("languages"), DiagnosticCode.missingKey,
          "'languages' must name at least one language")
      } else {
        languages = list
      }
    }
    readPartialLanguages(reader)
    var id: String?
    if let scalar = reader.scalar("id") {
      if Self.isProtocolID(scalar.text) {
        id = scalar.text
      } else {
        sink.error(
          scalar.position, DiagnosticCode.invalidIdentifier,
          "'\(SafeText.quoted(scalar.text))' is not a valid protocol id: use lowercase "
            + "letters, digits, '_' and '-', starting with a letter")
      }
    }
    var version: String?
    if let scalar = reader.scalar("version") {
      if Self.isSemanticVersion(scalar.text) {
        version = scalar.text
      } else {
        sink.error(
          scalar.position, DiagnosticCode.invalidVersion,
          "'\(SafeText.quoted(scalar.text))' is not a semantic version such as '1.2.0'")
      }
    }
    let title = reader.text("title")
    let description = reader.has("description") ? reader.text("description") : nil
    guard let id, let version, let title else { return nil }
    return Metadata(id: id, version: version, title: title, description: description)
  }

  /// `partial_languages`: listed languages that translate only some texts, on purpose.
  mutating func readPartialLanguages(_ reader: MappingReader) {
    guard reader.has("partial_languages"), let scalars = reader.scalarList("partial_languages")
    else { return }
    partialPosition = reader.keyPosition("partial_languages")
    for scalar in scalars {
      if scalar.text == languages.first {
        sink.error(
          scalar.position, DiagnosticCode.unknownValue,
          "'\(scalar.text)' is the protocol's first language, which every text falls back to; "
            + "it cannot be partial")
      } else if !languages.contains(scalar.text) {
        sink.error(
          scalar.position, DiagnosticCode.undeclaredLanguage,
          "partial language '\(SafeText.quoted(scalar.text))' is not in protocol.languages",
          suggestion: NameSuggestion.didYouMean(scalar.text, among: languages.dropFirst()))
      } else if partialLanguages.contains(scalar.text) {
        sink.error(
          scalar.position, DiagnosticCode.duplicateID,
          "partial language '\(scalar.text)' listed twice")
      } else {
        partialLanguages.append(scalar.text)
      }
    }
  }

  /// A partial language that no text is given in is a mistake: warn where it is declared.
  func checkPartialLanguagesUsed() {
    for language in partialLanguages where !languageUse.used.contains(language) {
      sink.warning(
        partialPosition, DiagnosticCode.noEffect,
        "partial language '\(language)' is given in no text; translate some texts into it or "
          + "remove it from 'languages'")
    }
  }

  /// Languages a text should be given in: all but the partial ones.
  var expectedLanguages: [String] {
    languages.filter { !partialLanguages.contains($0) }
  }

  static func isLanguageCode(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard let first = parts.first, (2...3).contains(first.count),
      first.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }), parts.count <= 2
    else { return false }
    if parts.count == 2 {
      let region = parts[1]
      return (2...4).contains(region.count)
        && region.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
    }
    return true
  }

  static func isProtocolID(_ text: String) -> Bool {
    let scalars = text.unicodeScalars
    guard let first = scalars.first, ("a"..."z").contains(first), scalars.count <= 64 else {
      return false
    }
    return scalars.allSatisfy {
      ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
    }
  }

  static func isSemanticVersion(_ text: String) -> Bool {
    // "-1.0.0" has an empty core and "1.0.0-" an empty pre-release: neither is a version.
    let pieces = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    let core = pieces.first.map(String.init) ?? ""
    let parts = core.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, text.count <= 64, pieces.count == 1 || !pieces[1].isEmpty else {
      return false
    }
    return parts.allSatisfy { part in
      !part.isEmpty && part.count <= 9 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
        && (part == "0" || !part.hasPrefix("0"))
    }
  }

  mutating func readLevels(_ top: MappingReader) -> [(String, SourcePosition)] {
    guard let scalars = top.scalarList("response_levels") else { return [] }
    var levels: [(String, SourcePosition)] = []
    var seen: Set<String> = []
    for scalar in scalars {
      guard Identifier.isValid(scalar.text) else {
        sink.error(
          scalar.position, DiagnosticCode.invalidIdentifier,
          "'\(SafeText.quoted(scalar.text))' is not a valid response level name")
        continue
      }
      guard seen.insert(scalar.text).inserted else {
        sink.error(
          scalar.position, DiagnosticCode.duplicateID,
          "response level '\(scalar.text)' listed twice")
        continue
      }
      levels.append((scalar.text, scalar.position))
    }
    if levels.isEmpty {
      sink.error(
        top.keyPosition("response_levels"), DiagnosticCode.missingKey,
        "'response_levels' must list at least one level")
    }
    return levels
  }

  mutating func readResources(_ top: MappingReader) -> [Resource] {
    guard let node = top.node("resources") else { return [] }
    guard case .mapping(let entries, _) = node else {
      sink.error(
        node.position, DiagnosticCode.wrongType,
        "'resources' must map resource ids to descriptions, found \(node.shapeName)")
      return []
    }
    var resources: [Resource] = []
    for entry in entries {
      guard Identifier.isValid(entry.key.text) else {
        sink.error(
          entry.key.position, DiagnosticCode.invalidIdentifier,
          "'\(SafeText.quoted(entry.key.text))' is not a valid resource id")
        continue
      }
      guard case .scalar(let label) = entry.value else {
        sink.error(
          entry.value.position, DiagnosticCode.wrongType,
          "resource '\(entry.key.text)' must be described in text, found \(entry.value.shapeName)")
        continue
      }
      resources.append(Resource(id: entry.key.text, label: label.text))
    }
    return resources
  }

  // MARK: - Localized text

  /// Refuses control and bidirectional characters in every scalar of the file, keys included.
  ///
  /// The characters are ``SafeText``'s, refused in text entering a call too; whatever the
  /// scalar is used for (a title, a resource, a determinant label, a relay template, a
  /// description), one error a scalar, at its position.
  func checkText(_ node: SourceNode, path: String) {
    switch node {
    case .scalar(let scalar):
      guard let bad = SafeText.firstForbidden(scalar.text.trimmedWhitespace) else { return }
      sink.error(
        scalar.position, DiagnosticCode.controlCharacter,
        "\(path.isEmpty ? "text" : "'\(path)'") contains the control character "
          + "\(SafeText.code(bad)); protocol text is shown to the call-taker as it is")
    case .mapping(let entries, _):
      for entry in entries {
        let name = SafeText.isClean(entry.key.text) ? entry.key.text : "a key"
        checkText(.scalar(entry.key), path: path)
        checkText(entry.value, path: path.isEmpty ? name : "\(path).\(name)")
      }
    case .sequence(let items, _):
      for (index, item) in items.enumerated() { checkText(item, path: "\(path)[\(index + 1)]") }
    }
  }

  /// Whether protocol text is free of control and bidirectional characters; ``checkText`` has
  /// already said where it is not.
  func safeText(_ scalar: SourceScalar, key: String, what: String) -> Bool {
    SafeText.firstForbidden(scalar.text.trimmedWhitespace) == nil
  }

  /// How to say on purpose that a language translates only some texts.
  static let partialHint =
    " (a language translated only in part on purpose goes in 'partial_languages')"

  /// Reads text that may be given per language; warns about missing translations.
  func localized(_ reader: MappingReader, _ key: String) -> LocalizedText? {
    guard let node = reader.node(key) else { return nil }
    return localized(node, key: key, what: reader.what)
  }

  func localized(_ node: SourceNode, key: String, what: String) -> LocalizedText? {
    switch node {
    case .scalar(let scalar):
      let text = scalar.text.trimmedWhitespace
      guard !text.isEmpty else {
        sink.error(scalar.position, DiagnosticCode.textLength, "'\(key)' in \(what) is empty")
        return nil
      }
      guard safeText(scalar, key: key, what: what) else { return nil }
      if expectedLanguages.count > 1 {
        sink.warning(
          scalar.position, DiagnosticCode.missingTranslation,
          "'\(key)' in \(what) has no translation into "
            + expectedLanguages.dropFirst().map { "'\($0)'" }.joined(separator: ", ")
            + Self.partialHint)
      }
      return LocalizedText([(languages[0], text)])
    case .mapping(let entries, let position):
      var texts: [(language: String, text: String)] = []
      for entry in entries {
        guard languages.contains(entry.key.text) else {
          let name = entry.key.text
          var emptyValue = false
          if case .scalar(let value) = entry.value { emptyValue = value.text.isEmpty }
          let suggestion: String? =
            if name.contains(" ") || (emptyValue && !languages.isEmpty) {
              // `{ en: In a bag, backpack or box }`: the comma split the text.
              "a comma in the text split it here: quote text that contains a comma, "
                + "like { \(languages[0]): \"In a bag, backpack or box\" }"
            } else if CompilerPass.questionKeys.contains(name)
              || CompilerPass.topLevelKeys.contains(name)
            {
              "check the indentation of line \(entry.key.position.line): '\(name)' belongs to "
                + "the item, not to '\(key)'"
            } else {
              NameSuggestion.didYouMean(name, among: languages)
            }
          sink.error(
            entry.key.position, DiagnosticCode.undeclaredLanguage,
            "language '\(SafeText.quoted(name))' is not in protocol.languages",
            suggestion: suggestion)
          continue
        }
        guard case .scalar(let scalar) = entry.value,
          !scalar.text.trimmedWhitespace.isEmpty
        else {
          sink.error(
            entry.value.position,
            entry.value.isText ? DiagnosticCode.textLength : DiagnosticCode.wrongType,
            "'\(key)' in '\(entry.key.text)' must be non-empty text")
          continue
        }
        guard safeText(scalar, key: key, what: what) else { continue }
        texts.append(
          (entry.key.text, scalar.text.trimmedWhitespace))
      }
      for entry in texts { languageUse.used.insert(entry.language) }
      let missing = expectedLanguages.filter { language in
        !texts.contains { $0.language == language }
      }
      if !missing.isEmpty, !texts.isEmpty {
        sink.warning(
          position, DiagnosticCode.missingTranslation,
          "'\(key)' in \(what) has no translation into "
            + missing.map { "'\($0)'" }.joined(separator: ", ") + Self.partialHint)
      }
      guard !texts.isEmpty else { return nil }
      // The default language comes first so `text()` falls back to it.
      texts.sort { a, b in
        (languages.firstIndex(of: a.language) ?? 0) < (languages.firstIndex(of: b.language) ?? 0)
      }
      return LocalizedText(texts)
    case .sequence(_, let position):
      sink.error(
        position, DiagnosticCode.wrongType,
        "'\(key)' in \(what) must be text or a mapping of languages to text, found a list")
      return nil
    }
  }
}
