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
/// Rendered as `file:line:col: error[CS104]: message; suggestion`. Messages are lowercase, have
/// no trailing period and name the offending thing in single quotes; the suggestion, when there
/// is one, says what to write instead (`did you mean 'weapon_type'?`, `give one`).
public struct Diagnostic: Error, Sendable, Hashable, Codable {
  public var file: String
  public var position: SourcePosition
  public var severity: Severity
  public var code: DiagnosticCode
  /// What is wrong, without the suggestion.
  public var message: String
  /// What to write instead, when something can be suggested: a close name
  /// (`did you mean 'weapon_type'?`) or the fix (`give one`).
  public var suggestion: String?

  public init(
    file: String, position: SourcePosition, severity: Severity = .error, code: DiagnosticCode,
    message: String, suggestion: String? = nil
  ) {
    self.file = file
    self.position = position
    self.severity = severity
    self.code = code
    self.message = message
    self.suggestion = suggestion
  }

  /// The message followed by `; ` and the suggestion, as `lint` prints it.
  public var text: String {
    guard let suggestion else { return message }
    return "\(message); \(suggestion)"
  }

  /// The one-line form printed by `callscript lint`.
  public var rendered: String {
    SafeText.visible(
      "\(file):\(position.line):\(position.column): \(severity.rawValue)[\(code.rawValue)]: \(text)",
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

  /// Reads the documented JSON form; the suggestion stays in `message` as it was printed.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    file = try container.decode(String.self, forKey: .file)
    position = SourcePosition(
      line: try container.decode(Int.self, forKey: .line),
      column: try container.decode(Int.self, forKey: .column))
    severity = try container.decode(Severity.self, forKey: .severity)
    code = try container.decode(DiagnosticCode.self, forKey: .code)
    message = try container.decode(String.self, forKey: .message)
  }

  /// Writes the documented JSON form, `message` holding the printed ``text``.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(file, forKey: .file)
    try container.encode(position.line, forKey: .line)
    try container.encode(position.column, forKey: .column)
    try container.encode(severity, forKey: .severity)
    try container.encode(code, forKey: .code)
    try container.encode(text, forKey: .message)
  }
}

extension NameSuggestion {
  /// Suffix for a message: `; did you mean 'x'?`, or nothing when no name is close.
  public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
    guard let suggestion = didYouMean(name, among: candidates) else { return "" }
    return "; " + suggestion
  }

  /// A diagnostic's suggestion: `did you mean 'x'?`, or nil when no name is close.
  public static func didYouMean(_ name: String, among candidates: some Sequence<String>)
    -> String?
  {
    closest(to: name, among: candidates).map { "did you mean '\($0)'?" }
  }
}
