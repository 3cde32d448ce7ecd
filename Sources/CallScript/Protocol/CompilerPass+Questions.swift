import Foundation

/// A question read from the file, before its expressions are compiled.
struct QuestionSource {
  var reader: MappingReader
  var id: String
  var kind: AnswerKind?
  var options: [AnswerOption]
  var position: SourcePosition
}

/// A derived fact read from the file, before its expressions are compiled.
struct DerivedSource {
  var reader: MappingReader
  var id: String
  var slot: Int
  /// The words a `cases` fact can take, or nil for a condition.
  var words: [String]?
  var position: SourcePosition
}

extension CompilerPass {
  static let questionKeys = [
    "id", "ask", "label", "kind", "priority", "options", "ask_if", "allow_unknown", "allow_refused",
    "reask_every", "reask_if", "required", "checks", "fills", "hint", "dates", "priority_if",
    "call_data", "expect_change",
  ]

  /// The longest question label, in characters: it names the fact on a crowded screen.
  static let labelLimit = 40

  /// The items of call data the phone system and CAD can give (`call_data`).
  static let callDataItems = ["callback", "location"]

  // MARK: - Declarations (names and types, before any expression is read)

  mutating func readQuestionDeclarations(_ top: MappingReader) -> [QuestionSource] {
    guard let items = top.list("questions") else { return [] }
    if items.isEmpty {
      sink.error(
        top.keyPosition("questions"), DiagnosticCode.missingKey,
        "'questions' must list at least one question")
    }
    var result: [QuestionSource] = []
    var seen: [String: SourcePosition] = [:]
    for (index, item) in items.enumerated() {
      guard
        let reader = MappingReader(
          item, what: "question \(index + 1)", allowed: Self.questionKeys,
          required: ["id", "ask", "kind", "priority"], sink: sink),
        let (id, idPosition) = reader.identifier("id")
      else { continue }
      let named = MappingReader.renamed(reader, what: "question '\(id)'")
      if let first = seen[id] {
        sink.error(
          idPosition, DiagnosticCode.duplicateID,
          "duplicate question id '\(id)'; first defined at \(sink.line(first, from: idPosition))")
        continue
      }
      seen[id] = idPosition
      var kind: AnswerKind?
      if let scalar = named.scalar("kind") {
        kind = AnswerKind(rawValue: scalar.text)
        if kind == nil {
          sink.error(
            scalar.position, DiagnosticCode.unknownValue,
            "unknown answer kind '\(SafeText.quoted(scalar.text))' for question '\(id)' "
              + "(kinds are " + AnswerKind.allCases.map(\.rawValue).joined(separator: ", ") + ")",
            suggestion: NameSuggestion.didYouMean(
              scalar.text, among: AnswerKind.allCases.map(\.rawValue)))
        }
      }
      let options = kind.map { readOptions(named, questionID: id, kind: $0) } ?? []
      result.append(
        QuestionSource(reader: named, id: id, kind: kind, options: options, position: item.position)
      )
    }
    return result
  }

  func readOptions(_ reader: MappingReader, questionID: String, kind: AnswerKind) -> [AnswerOption]
  {
    let takesOptions = kind == .oneOf || kind == .manyOf
    guard reader.has("options") else {
      if takesOptions {
        sink.error(
          reader.position, DiagnosticCode.optionsMismatch,
          "question '\(questionID)' is \(kind.rawValue) and needs 'options'")
      }
      return []
    }
    guard takesOptions else {
      sink.error(
        reader.keyPosition("options"), DiagnosticCode.optionsMismatch,
        "question '\(questionID)' is \(kind.rawValue) and takes no 'options'")
      return []
    }
    guard let items = reader.list("options") else { return [] }
    if items.count < 2 {
      sink.error(
        reader.keyPosition("options"), DiagnosticCode.optionsMismatch,
        "question '\(questionID)' needs at least two options")
    }
    let allowUnknown = reader.bool("allow_unknown", default: true)
    let allowRefused = reader.bool("allow_refused", default: true)
    var reserved: [Character: String] = [:]
    if allowUnknown { reserved["u"] = "unknown" }
    if allowRefused { reserved["r"] = "refused" }
    var options: [AnswerOption] = []
    var keys: [Character: String] = [:]
    // Ids seen so far, so a repeated one is found in constant time (a list's `contains` made
    // lint quadratic in the number of options).
    var ids: Set<String> = []
    for (index, item) in items.enumerated() {
      guard
        let optionReader = MappingReader(
          item, what: "option \(index + 1) of question '\(questionID)'",
          allowed: ["id", "label", "key", "ago"], required: ["id", "label", "key"], sink: sink),
        let (id, idPosition) = optionReader.identifier("id"),
        let label = localized(optionReader, "label"),
        let keyScalar = optionReader.scalar("key")
      else { continue }
      guard ids.insert(id).inserted else {
        sink.error(
          idPosition, DiagnosticCode.duplicateID,
          "question '\(questionID)' has option '\(id)' twice")
        continue
      }
      let keyText = keyScalar.text.lowercased()
      guard keyText.count == 1, let key = keyText.first, key.isASCII,
        key.isLetter || key.isNumber
      else {
        sink.error(
          keyScalar.position, DiagnosticCode.invalidFormat,
          "option key '\(SafeText.quoted(keyScalar.text))' must be a single letter or digit")
        continue
      }
      if let other = keys[key] {
        sink.error(
          keyScalar.position, DiagnosticCode.shortcutClash,
          "key '\(key)' of option '\(id)' clashes with option '\(other)' of question '\(questionID)'"
        )
      } else if let meaning = reserved[key] {
        sink.error(
          keyScalar.position, DiagnosticCode.shortcutClash,
          "key '\(key)' of option '\(id)' clashes with '\(meaning)' in question '\(questionID)'")
      }
      keys[key] = id
      var ago: Double?
      if let scalar = optionReader.scalar("ago") {
        ago = Self.duration(scalar.text, allowZero: true)
        if ago == nil {
          sink.error(
            scalar.position, DiagnosticCode.invalidDuration,
            "'\(SafeText.quoted(scalar.text))' is not a duration such as '30s', '3m' or '0s'")
        }
        if !reader.has("dates") {
          sink.error(
            optionReader.keyPosition("ago"), DiagnosticCode.missingKey,
            "option '\(id)' has 'ago' but question '\(questionID)' has no 'dates' naming the "
              + "facts it dates")
        }
      } else if reader.has("dates") {
        sink.error(
          item.position, DiagnosticCode.missingKey,
          "option '\(id)' of question '\(questionID)' needs 'ago': the question dates facts "
            + "('dates'), so each answer must say how long ago")
      }
      options.append(
        AnswerOption(id: id, label: label, key: key, ago: ago, position: item.position))
    }
    return options
  }

  mutating func readDerivedDeclarations(_ top: MappingReader, questionCount: Int)
    -> [DerivedSource]
  {
    guard let items = top.list("derived") else { return [] }
    var result: [DerivedSource] = []
    var seen: Set<String> = []
    for (index, item) in items.enumerated() {
      guard
        let reader = MappingReader(
          item, what: "derived fact \(index + 1)", allowed: ["id", "expr", "cases", "fills"],
          required: ["id"], sink: sink),
        let (id, idPosition) = reader.identifier("id")
      else { continue }
      let named = MappingReader.renamed(reader, what: "derived fact '\(id)'")
      guard seen.insert(id).inserted else {
        sink.error(idPosition, DiagnosticCode.duplicateID, "duplicate derived fact id '\(id)'")
        continue
      }
      var words: [String]?
      switch (named.has("expr"), named.has("cases")) {
      case (true, true):
        sink.error(
          named.keyPosition("cases"), DiagnosticCode.conflictingKeys,
          "derived fact '\(id)' has both 'expr' and 'cases'", suggestion: "give one")
      case (false, false):
        sink.error(
          named.position, DiagnosticCode.missingKey,
          "derived fact '\(id)' needs 'expr' or 'cases'")
      case (false, true):
        words = []
        for row in named.list("cases") ?? [] {
          if case .mapping(let entries, _) = row,
            let value = entries.first(where: { $0.key.text == "value" }),
            case .scalar(let scalar) = value.value, Identifier.isValid(scalar.text),
            !(words ?? []).contains(scalar.text)
          {
            words?.append(scalar.text)
          }
        }
      case (true, false):
        break
      }
      result.append(
        DerivedSource(
          reader: named, id: id, slot: questionCount + result.count, words: words,
          position: item.position))
    }
    return result
  }

  mutating func declareSymbols(
    questions: [QuestionSource], derived: [DerivedSource], lineSlot: Int
  ) {
    for (slot, question) in questions.enumerated() {
      let type: ValueType
      switch question.kind {
      case .yesNo: type = .yesNo
      case .oneOf: type = .oneOf(options: question.options.map(\.id))
      case .manyOf: type = .manyOf(options: question.options.map(\.id))
      case .count: type = .count
      case .text, .location, nil: type = .text
      }
      symbols.add(Symbol(name: question.id, slot: slot, type: type, isQuestion: true))
    }
    for fact in derived {
      if symbols.symbol(named: fact.id) != nil {
        sink.error(
          fact.position, DiagnosticCode.duplicateID,
          "derived fact '\(fact.id)' has the same id as a question")
        continue
      }
      let type: ValueType = fact.words.map { .word(values: $0) } ?? .condition
      symbols.add(Symbol(name: fact.id, slot: fact.slot, type: type, isQuestion: false))
    }
    // The engine's own facts: a question or derived fact may not take their ids.
    let builtIns: [(name: String, type: ValueType, what: String)] = [
      (BuiltInFact.lineDropped, .condition, "a fact the engine gives (the caller's line is down)"),
      (
        BuiltInTime.elapsed, .duration,
        "the call clock the engine gives (time since the call started)"
      ),
    ]
    for builtIn in builtIns {
      let name = builtIn.name
      let taken =
        questions.first { $0.id == name }?.position ?? derived.first { $0.id == name }?.position
      if let taken {
        sink.error(
          taken, DiagnosticCode.duplicateID, "'\(name)' is \(builtIn.what); choose another id")
      } else {
        symbols.addBuiltIn(name, type: builtIn.type)
      }
    }
    symbols.builtInBase = lineSlot
    // An incident fact has the type of the question or derived fact filling its record field.
    var fillers: [RecordField: ValueType] = [:]
    let readers =
      questions.map { ($0.id, $0.reader) } + derived.map { ($0.id, $0.reader) }
    for (id, reader) in readers {
      guard let scalar = reader.scalar("fills"), let field = RecordField(rawValue: scalar.text),
        fillers[field] == nil, let type = symbols.byName[id]?.type
      else { continue }
      fillers[field] = type
    }
    symbols.addBuiltIn(IncidentFact.prefix + IncidentFact.calls, type: .count)
    for (name, field) in IncidentFact.fields {
      if let type = fillers[field] { symbols.addBuiltIn(IncidentFact.prefix + name, type: type) }
    }
  }

  // MARK: - Expressions

  /// Compiles the condition under `key`, reporting issues at their exact positions.
  func condition(_ reader: MappingReader, _ key: String) -> CompiledCondition? {
    guard let scalar = reader.scalar(key) else { return nil }
    return condition(scalar, key: key, what: reader.what)
  }

  func condition(_ scalar: SourceScalar, key: String, what: String) -> CompiledCondition? {
    switch ExpressionCompiler.compileCondition(scalar.text, symbols: symbols) {
    case .success(let compiled): return compiled
    case .failure(let issues):
      report(issues, in: scalar, key: key, what: what)
      return nil
    }
  }

  func template(_ reader: MappingReader, _ key: String) -> CompiledTemplate? {
    guard let scalar = reader.scalar(key) else { return nil }
    switch TemplateCompiler.compile(scalar.text, symbols: symbols) {
    case .success(let compiled): return compiled
    case .failure(let issues):
      report(issues, in: scalar, key: key, what: reader.what)
      return nil
    }
  }

  func report(
    _ issues: some Sequence<ExpressionIssue>, in scalar: SourceScalar, key: String, what: String
  ) {
    for issue in issues {
      // "unknown name 'x' in 'ask_if' of question 'y'; did you mean 'z'?"
      sink.error(
        scalar.position(atOffset: issue.offset), issue.code,
        "\(issue.message) in '\(key)' of \(what)", suggestion: issue.suggestion)
    }
  }

  // MARK: - Questions

  func compileQuestion(_ source: QuestionSource, questionIDs: [String] = []) -> Question {
    let reader = source.reader
    let kind = source.kind ?? .text
    let ask = localized(reader, "ask") ?? LocalizedText([])
    let label = questionLabel(reader, id: source.id)
    let priority = reader.integer("priority", in: 0...1000) ?? 0
    let askIf = condition(reader, "ask_if")
    if let askIf, askIf.dependencies.contains(symbols.symbol(named: source.id)?.slot ?? -1) {
      sink.error(
        reader.keyPosition("ask_if"), DiagnosticCode.neverAsked,
        "question '\(source.id)' can never be asked: its 'ask_if' reads its own answer")
    }
    var reask: Double?
    if let scalar = reader.scalar("reask_every") {
      reask = Self.duration(scalar.text)
      if reask == nil {
        sink.error(
          scalar.position, DiagnosticCode.invalidDuration,
          "'\(SafeText.quoted(scalar.text))' is not a duration such as '45s', '2m' or '90'")
      }
    }
    let reaskIf = condition(reader, "reask_if")
    if reader.has("reask_if"), !reader.has("reask_every") {
      sink.error(
        reader.keyPosition("reask_if"), DiagnosticCode.missingKey,
        "question '\(source.id)' has 'reask_if' but no 'reask_every'")
    }
    var checks: [AnswerCheck] = []
    for (index, item) in (reader.list("checks") ?? []).enumerated() {
      let what = "check \(index + 1) of question '\(source.id)'"
      guard
        let checkReader = MappingReader(
          item, what: what, allowed: ["reject_if", "warn_if", "message"],
          required: ["message"], sink: sink)
      else { continue }
      let level: AnswerCheck.Level
      let key: String
      switch (checkReader.has("reject_if"), checkReader.has("warn_if")) {
      case (true, false): (level, key) = (.reject, "reject_if")
      case (false, true): (level, key) = (.warn, "warn_if")
      default:
        sink.error(
          checkReader.position, DiagnosticCode.missingKey,
          "\(what) needs exactly one of 'reject_if' or 'warn_if'")
        continue
      }
      guard let check = condition(checkReader, key), let message = localized(checkReader, "message")
      else { continue }
      checks.append(AnswerCheck(level: level, condition: check, message: message))
    }
    let fills = recordField(reader)
    let dates = datedQuestions(reader, source: source, kind: kind, questionIDs: questionIDs)
    var priorityIf: [PriorityRule] = []
    for (index, item) in (reader.list("priority_if") ?? []).enumerated() {
      guard
        let row = MappingReader(
          item, what: "row \(index + 1) of 'priority_if' of question '\(source.id)'",
          allowed: ["when", "priority"], required: ["when", "priority"], sink: sink),
        let when = condition(row, "when"), let rowPriority = row.integer("priority", in: 0...1000)
      else { continue }
      priorityIf.append(PriorityRule(when: when, priority: rowPriority))
    }
    var callData: String?
    if let scalar = reader.scalar("call_data") {
      if Self.callDataItems.contains(scalar.text), kind == .text || kind == .location {
        callData = scalar.text
      } else {
        sink.error(
          scalar.position, DiagnosticCode.unknownValue,
          "'call_data' of question '\(source.id)' must be one of "
            + Self.callDataItems.map { "'\($0)'" }.joined(separator: ", ")
            + " on a text or location question",
          suggestion: NameSuggestion.didYouMean(scalar.text, among: Self.callDataItems))
      }
    }
    let expectChange = reader.bool("expect_change", default: false)
    if expectChange {
      let because: String? =
        if reask != nil {
          "it is re-asked ('reask_every'), and re-asked facts never raise one"
        } else if !(fills?.isReportedFact ?? false) {
          "only questions that fill a reported fact of the attack (a 'fills' of suspect.*, "
            + "victims.*, threats.*, officer.*, incident.location or incident.kind) raise one"
        } else {
          nil
        }
      if let because {
        sink.warning(
          reader.keyPosition("expect_change"), DiagnosticCode.noEffect,
          "'expect_change' of question '\(source.id)' changes nothing: a changed answer would "
            + "raise no conflicting-reports verification anyway; \(because)")
      }
    }
    return Question(
      id: source.id, slot: 0, ask: ask, label: label, kind: kind, priority: priority,
      options: source.options,
      allowUnknown: reader.bool("allow_unknown", default: true),
      allowRefused: reader.bool("allow_refused", default: true), askIf: askIf,
      reaskEvery: reask, reaskIf: reaskIf, required: reader.bool("required", default: false),
      checks: checks,
      fills: fills, hint: localized(reader, "hint"), dates: dates, priorityIf: priorityIf,
      callData: callData, expectChange: expectChange, position: source.position)
  }

  /// The question's short `label`, required and at most ``labelLimit`` characters in every
  /// language (`CS133`); the id stands in when it is missing from an archived protocol.
  func questionLabel(_ reader: MappingReader, id: String) -> LocalizedText {
    let fallback = LocalizedText([(languages[0], id)])
    guard reader.has("label") else {
      if !archived {
        sink.error(
          reader.position, DiagnosticCode.questionLabel,
          "question '\(id)' has no 'label': give the fact a short name for the call-taker's "
            + "screen, such as 'Attacker's location'")
      }
      return fallback
    }
    guard let label = localized(reader, "label") else { return fallback }
    for (language, text) in label.texts where text.count > Self.labelLimit {
      sink.error(
        reader.keyPosition("label"), DiagnosticCode.questionLabel,
        "'label' of question '\(id)' is \(text.count) characters in '\(language)'; keep it to "
          + "\(Self.labelLimit) or fewer, a name for the fact, not the question")
    }
    return label
  }

  /// The questions whose facts a question dates (`dates`), as slots.
  func datedQuestions(
    _ reader: MappingReader, source: QuestionSource, kind: AnswerKind, questionIDs: [String]
  ) -> [Int] {
    guard reader.has("dates") else { return [] }
    guard kind == .oneOf else {
      sink.error(
        reader.keyPosition("dates"), DiagnosticCode.optionsMismatch,
        "question '\(source.id)' dates facts ('dates') and must be one_of, with 'ago' on each "
          + "option")
      return []
    }
    var slots: [Int] = []
    for scalar in reader.scalarList("dates") ?? [] {
      guard let slot = questionIDs.firstIndex(of: scalar.text), scalar.text != source.id else {
        sink.error(
          scalar.position, DiagnosticCode.undefinedReference,
          "'dates' of question '\(source.id)' names '\(SafeText.quoted(scalar.text))', which "
            + "is not another question",
          suggestion: NameSuggestion.didYouMean(
            scalar.text, among: questionIDs.filter { $0 != source.id }))
        continue
      }
      if !slots.contains(slot) { slots.append(slot) }
    }
    return slots
  }

  func recordField(_ reader: MappingReader) -> RecordField? {
    guard let scalar = reader.scalar("fills") else { return nil }
    guard let field = RecordField(rawValue: scalar.text) else {
      sink.error(
        scalar.position, DiagnosticCode.unknownRecordField,
        "unknown record field '\(SafeText.quoted(scalar.text))' in 'fills'",
        suggestion: [
          NameSuggestion.didYouMean(scalar.text, among: RecordField.allCases.map(\.rawValue)),
          "fields are " + RecordField.allCases.map(\.rawValue).joined(separator: ", "),
        ].compactMap { $0 }.joined(separator: "; "))
      return nil
    }
    return field
  }

  func checkFills(questions: [QuestionSource], derived: [DerivedSource]) {
    var filledBy: [RecordField: String] = [:]
    let readers = questions.map { ($0.id, $0.reader) } + derived.map { ($0.id, $0.reader) }
    for (id, reader) in readers {
      guard let scalar = reader.scalar("fills"), let field = RecordField(rawValue: scalar.text),
        field != .note
      else { continue }
      if let other = filledBy[field] {
        sink.error(
          scalar.position, DiagnosticCode.duplicateID,
          "record field '\(field.rawValue)' is already filled by '\(other)'")
      } else {
        filledBy[field] = id
      }
    }
  }

  /// Seconds in `45s`, `2m`, `1h` or a bare number of seconds; at most a day.
  static func duration(_ text: String, allowZero: Bool = false) -> Double? {
    var digits = Substring(text.trimmedWhitespace)
    var unit = 1.0
    switch digits.last {
    case "s": digits = digits.dropLast()
    case "m": (digits, unit) = (digits.dropLast(), 60)
    case "h": (digits, unit) = (digits.dropLast(), 3600)
    default: break
    }
    guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      let value = Double(digits), value > 0 || (allowZero && value == 0), value * unit <= 86_400
    else { return nil }
    return value * unit
  }

  // MARK: - Derived facts

  func compileDerived(_ source: DerivedSource) -> DerivedFact {
    let reader = source.reader
    // Placeholder until compiled; a protocol with errors is never returned.
    var definition = DerivedFact.Definition.cases([])
    if source.words == nil {
      if let compiled = condition(reader, "expr") { definition = .condition(compiled) }
    } else {
      let rows = readTable(
        reader.list("cases") ?? [], what: "row of 'cases' in derived fact '\(source.id)'",
        allowed: ["when", "value"], required: ["value"])
      var compiled: [(when: CompiledCondition?, value: String)] = []
      for row in rows {
        guard let (value, _) = row.reader.identifier("value") else { continue }
        compiled.append((row.when, value))
      }
      definition = .cases(compiled)
    }
    return DerivedFact(
      id: source.id, slot: source.slot, definition: definition, fills: recordField(reader),
      position: source.position)
  }

  /// A row of a first-match table, with its condition compiled (nil for the default row).
  struct TableRow {
    var reader: MappingReader
    var when: CompiledCondition?
  }

  /// Reads a first-match table: every row but the last has `when`, the last has none.
  func readTable(_ items: [SourceNode], what: String, allowed: [String], required: [String])
    -> [TableRow]
  {
    var rows: [TableRow] = []
    var defaultSeen: SourcePosition?
    for (index, item) in items.enumerated() {
      guard
        let reader = MappingReader(
          item, what: "\(what) \(index + 1)", allowed: allowed, required: required, sink: sink)
      else { continue }
      if let defaultPosition = defaultSeen {
        sink.error(
          reader.position, DiagnosticCode.unreachableRow,
          "\(what) \(index + 1) is never reached: the default row at line "
            + "\(defaultPosition.line) matches first")
      }
      if reader.has("when") {
        rows.append(TableRow(reader: reader, when: condition(reader, "when")))
      } else {
        if defaultSeen == nil { defaultSeen = reader.position }
        rows.append(TableRow(reader: reader, when: nil))
      }
    }
    if defaultSeen == nil, let last = items.last {
      sink.error(
        last.position, DiagnosticCode.missingDefault,
        "the table of \(what)s has no default: end it with a row without 'when'")
    }
    return rows
  }
}

extension MappingReader {
  /// The same reader, naming the item by its id in later messages.
  static func renamed(_ reader: MappingReader, what: String) -> MappingReader {
    var copy = reader
    copy.rename(what)
    return copy
  }
}
