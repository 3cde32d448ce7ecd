/// The stable code of a finding, such as `CS104`, with the one-line meaning trainers look up.
///
/// Codes are never renumbered: trainers, scripts and CI match on them. The table under
/// "Diagnostics" in docs/protocol-format.md lists every case with its ``summary``, and a test
/// checks that it does; another test requires a broken fixture for every case.
public enum DiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable {
  /// YAML syntax error.
  case yamlSyntax = "CS100"
  /// A key the mapping does not take.
  case unknownKey = "CS101"
  /// A required key left out.
  case missingKey = "CS102"
  /// An id given twice.
  case duplicateID = "CS103"
  /// A name that refers to nothing defined.
  case undefinedReference = "CS104"
  /// A YAML value of the wrong shape: a list or mapping where text is expected, or the reverse.
  case wrongType = "CS105"
  /// A key given twice in one mapping.
  case duplicateKey = "CS106"
  /// A YAML anchor or alias.
  case anchorOrAlias = "CS107"
  /// A YAML custom tag.
  case customTag = "CS108"
  /// Expression syntax error.
  case expressionSyntax = "CS109"
  /// Expression type error.
  case expressionType = "CS110"
  /// An option the question does not have.
  case unknownOption = "CS111"
  /// A cycle among derived facts.
  case derivedCycle = "CS112"
  /// A question that can never be asked.
  case neverAsked = "CS113"
  /// A rule table without a default row.
  case missingDefault = "CS114"
  /// A row after the default row, never reached.
  case unreachableRow = "CS115"
  /// Template error: unknown fact, unclosed or stray brace.
  case template = "CS116"
  /// Clashing option shortcut keys.
  case shortcutClash = "CS117"
  /// A text missing in one of the protocol's languages (warning).
  case missingTranslation = "CS118"
  /// An id that is not an identifier.
  case invalidIdentifier = "CS119"
  /// Not a protocol: empty, binary, not a mapping at the top.
  case notAProtocol = "CS120"
  /// A file too large to read.
  case tooLarge = "CS121"
  /// A version that is not a semantic version.
  case invalidVersion = "CS122"
  /// A language not declared in `protocol.languages`.
  case undeclaredLanguage = "CS123"
  /// A value that is not a duration.
  case invalidDuration = "CS124"
  /// Options given for a kind that takes none, or missing for one that needs them.
  case optionsMismatch = "CS125"
  /// Nesting too deep.
  case tooDeep = "CS126"
  /// An unknown record field in `fills`.
  case unknownRecordField = "CS127"
  /// A relay whose longest rendering with typical values is over 160 characters (warning).
  case relayTooLong = "CS128"
  /// An optional template segment that names no fact and has no guard.
  case optionalSegment = "CS129"
  /// A rule table of the response naming a resource twice across parts, or a medical row
  /// sending police resources.
  case responsePart = "CS130"
  /// Protocol text holding a control or bidirectional character.
  case controlCharacter = "CS131"
  /// A setting that changes nothing where it is written (warning).
  case noEffect = "CS132"
  /// A question without a `label`, or with one longer than 40 characters.
  case questionLabel = "CS133"
  /// A review fact whose `relay` cannot carry it.
  case reviewRelay = "CS134"
  /// A review fact that can never go out in a record or a relay.
  case reviewFactNeverOut = "CS135"
  /// A file the protocol names that cannot be read, is read twice or forms a cycle.
  case include = "CS136"
  /// Text that is empty where some is needed, or longer than its limit.
  case textLength = "CS137"
  /// A value that is not a whole number in its range, or not a number of seconds.
  case invalidNumber = "CS138"
  /// A yes/no setting that is not `true` or `false`.
  case invalidBoolean = "CS139"
  /// A word the key does not take, such as an unknown answer `kind` or review `severity`.
  case unknownValue = "CS140"
  /// Text not in the form its key takes: a language code, a file path, an option key.
  case invalidFormat = "CS141"
  /// Keys that exclude each other, given together.
  case conflictingKeys = "CS142"

  /// What the code means, as the table under "Diagnostics" in docs/protocol-format.md says it.
  public var summary: String {
    switch self {
    case .yamlSyntax: "YAML syntax error (position from the parser)"
    case .unknownKey: "unknown key"
    case .missingKey: "missing required key"
    case .duplicateID: "duplicate id"
    case .undefinedReference:
      "undefined reference (question, fact, option, resource, level, dispatch point)"
    case .wrongType:
      "a value of the wrong shape: a list or a mapping where text was expected, text where a "
        + "list or a mapping was expected, a mapping key that is not plain text"
    case .duplicateKey: "duplicate key in a mapping"
    case .anchorOrAlias: "anchor or alias"
    case .customTag: "custom tag"
    case .expressionSyntax: "expression syntax error"
    case .expressionType: "expression type error"
    case .unknownOption: "option the question does not have"
    case .derivedCycle: "cycle among derived facts"
    case .neverAsked:
      "question that can never be asked (its condition is constantly false or depends on the "
        + "question itself)"
    case .missingDefault: "rule table without a default row"
    case .unreachableRow: "row after the default, never reached"
    case .template: "template error (unknown fact, unclosed brace)"
    case .shortcutClash: "clashing option shortcut keys"
    case .missingTranslation: "missing translation (warning)"
    case .invalidIdentifier: "invalid identifier"
    case .notAProtocol: "not a protocol: empty, binary, not a mapping at the top"
    case .tooLarge: "file too large"
    case .invalidVersion: "invalid semantic version"
    case .undeclaredLanguage: "language not declared in `protocol.languages`"
    case .invalidDuration: "invalid duration"
    case .optionsMismatch:
      "options given for a kind that takes none, or missing for one that needs them"
    case .tooDeep: "nesting too deep (past 64 levels, or past libyaml's own limit)"
    case .unknownRecordField: "unknown record field in `fills`"
    case .relayTooLong:
      "relay whose longest rendering with typical values is over 160 characters (warning)"
    case .optionalSegment: "optional template segment that names no fact and has no guard"
    case .responsePart:
      "a resource in both the police part (`determinants`) and the EMS and fire part "
        + "(`medical`)"
    case .controlCharacter:
      "any text of the protocol file (a question, label, instruction, relay template, "
        + "determinant label, resource, title, key…) holding a character `SafeText` forbids: "
        + "a C0 or C1 control (tab aside), DEL, U+2028/9, a bidirectional mark, embedding, "
        + "override or isolate (U+061C, U+200E/F, U+202A–E, U+2066–9) or the byte order mark "
        + "U+FEFF; the same characters are refused in every text entering a call (answers, "
        + "notes, override reasons, unit names, call data)"
    case .noEffect:
      "a setting that changes nothing (warning): `expect_change` on a question whose changes "
        + "raise no conflict anyway, a partial language no text is given in"
    case .questionLabel:
      "question without a `label`, or with one longer than 40 characters (a protocol kept "
        + "beside transcripts to replay them is read without this rule: its ids stand in)"
    case .reviewRelay:
      "a `review` fact whose `relay` cannot carry it: the relay's text reads none of the "
        + "fact's questions"
    case .reviewFactNeverOut:
      "a `review` fact that can never go out: none of its questions has `fills` and no "
        + "relay's text reads them"
    case .include:
      "a file a protocol names (`include:`, `overrides:`) that cannot be read, is named twice "
        + "or forms a cycle; an override file that names another override file"
    case .textLength:
      "text that is empty or only spaces where some is needed, or longer than its limit (a "
        + "`review` fact's `label`: 40 characters)"
    case .invalidNumber:
      "a value that is not a whole number in its range (`priority`: 0 to 1000), or a "
        + "scenario step's `at` that is not a number of seconds, not before the step before"
    case .invalidBoolean:
      "a yes/no setting (`required`, `allow_unknown`, `interrupt`, `expect_change`…) that is "
        + "not `true` or `false`"
    case .unknownValue:
      "a word the key does not take: an unknown answer `kind`, review `severity` or "
        + "`call_data` item, `call_data` on a question that is not text or a location, the "
        + "first language named as partial"
    case .invalidFormat:
      "text not in the form its key takes: a language code (`en`, `es-MX`), a file path, an "
        + "option `key` (one letter or digit)"
    case .conflictingKeys:
      "keys that exclude each other given together: `expr` and `cases` on a derived fact; in "
        + "a scenario step, two actions, or `at` and `after`"
    }
  }
}
