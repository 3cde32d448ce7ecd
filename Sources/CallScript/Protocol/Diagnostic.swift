import Foundation

/// A 1-based line and column in a source file; columns count Unicode scalars.
public struct SourcePosition: Sendable, Hashable, Codable, Comparable {
  public var line: Int
  public var column: Int
  /// Which of a protocol's files the position is in.
  ///
  /// 0 is the file compiled, then come the files it reads (`include:`, the protocol an
  /// override file names) in the order read. A ``Diagnostic`` names its file in words and
  /// keeps 0 here.
  public var source = 0

  enum CodingKeys: String, CodingKey {
    case line, column
  }

  public init(line: Int, column: Int, source: Int = 0) {
    self.line = line
    self.column = column
    self.source = source
  }

  /// The position of the first character of a file.
  public static let start = SourcePosition(line: 1, column: 1)

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.source, lhs.line, lhs.column) < (rhs.source, rhs.line, rhs.column)
  }
}

/// How serious a finding is.
public enum Severity: String, Sendable, Hashable, Codable {
  case error
  case warning
}

/// One problem found in a protocol (or a scenario file), with a stable code and a position.
///
/// Rendered as `file:line:col: error[CS104]: message`. Messages are lowercase, have no
/// trailing period and name the offending thing in single quotes.
public struct Diagnostic: Error, Sendable, Hashable, Codable {
  public var file: String
  public var position: SourcePosition
  public var severity: Severity
  public var code: String
  public var message: String

  public init(
    file: String, position: SourcePosition, severity: Severity = .error, code: String,
    message: String
  ) {
    self.file = file
    self.position = position
    self.severity = severity
    self.code = code
    self.message = message
  }

  /// The one-line form printed by `callscript lint`.
  public var rendered: String {
    SafeText.visible(
      "\(file):\(position.line):\(position.column): \(severity.rawValue)[\(code)]: \(message)",
      limit: .max)
  }

  /// The same finding with warnings promoted to errors, as `lint --strict` wants.
  public func promoted() -> Diagnostic {
    var copy = self
    copy.severity = .error
    return copy
  }

  enum CodingKeys: String, CodingKey {
    case file, line, column, severity, code, message
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    file = try container.decode(String.self, forKey: .file)
    position = SourcePosition(
      line: try container.decode(Int.self, forKey: .line),
      column: try container.decode(Int.self, forKey: .column))
    severity = try container.decode(Severity.self, forKey: .severity)
    code = try container.decode(String.self, forKey: .code)
    message = try container.decode(String.self, forKey: .message)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(file, forKey: .file)
    try container.encode(position.line, forKey: .line)
    try container.encode(position.column, forKey: .column)
    try container.encode(severity, forKey: .severity)
    try container.encode(code, forKey: .code)
    try container.encode(message, forKey: .message)
  }
}

/// The stable diagnostic codes; docs/protocol-format.md lists what each means.
public enum DiagnosticCode {
  public static let yamlSyntax = "CS100"
  public static let unknownKey = "CS101"
  public static let missingKey = "CS102"
  public static let duplicateID = "CS103"
  public static let undefinedReference = "CS104"
  public static let wrongType = "CS105"
  public static let duplicateKey = "CS106"
  public static let anchorOrAlias = "CS107"
  public static let customTag = "CS108"
  public static let expressionSyntax = "CS109"
  public static let expressionType = "CS110"
  public static let unknownOption = "CS111"
  public static let derivedCycle = "CS112"
  public static let neverAsked = "CS113"
  public static let missingDefault = "CS114"
  public static let unreachableRow = "CS115"
  public static let template = "CS116"
  public static let shortcutClash = "CS117"
  public static let missingTranslation = "CS118"
  public static let invalidIdentifier = "CS119"
  public static let notAProtocol = "CS120"
  public static let tooLarge = "CS121"
  public static let invalidVersion = "CS122"
  public static let undeclaredLanguage = "CS123"
  public static let invalidDuration = "CS124"
  public static let optionsMismatch = "CS125"
  public static let tooDeep = "CS126"
  public static let unknownRecordField = "CS127"
  /// A relay whose longest rendering with typical values is over 160 characters (warning).
  public static let relayTooLong = "CS128"
  public static let optionalSegment = "CS129"
  /// A rule table of the response (determinants, medical) naming a resource twice across parts,
  /// or a medical row sending police resources.
  public static let responsePart = "CS130"
  /// Protocol text (a question, a label, an instruction…) holding a control or bidirectional
  /// character, which would drive the call-taker's terminal or reorder what is shown.
  public static let controlCharacter = "CS131"
  /// A setting that changes nothing where it is written (`expect_change` on a question whose
  /// changes raise no conflict anyway), a partial language no text uses (warnings).
  public static let noEffect = "CS132"
  /// A question without a `label` (the short name the call-taker sees), or with one longer
  /// than 40 characters.
  public static let questionLabel = "CS133"
  /// A review fact whose `relay` cannot carry it: the relay's text reads none of its questions.
  public static let reviewRelay = "CS134"
  /// A review fact that can never go out: its questions fill no record field and no relay
  /// reads them, so the review would flag it every time it is known.
  public static let reviewFactNeverOut = "CS135"
  /// A file the protocol names (`include:`, `overrides:`) that cannot be read, is read twice
  /// or forms a cycle.
  public static let include = "CS136"
}

extension NameSuggestion {
  /// Suffix for a message: `; did you mean 'x'?`, or nothing when no name is close.
  public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
    guard let match = closest(to: name, among: candidates) else { return "" }
    return "; did you mean '\(match)'?"
  }
}
