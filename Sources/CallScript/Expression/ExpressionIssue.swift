/// A problem in an expression or template, with its position in the source text.
///
/// `offset` and `length` count Unicode scalars from the start of the expression or template
/// text (not bytes, not grapheme clusters); the protocol compiler adds the position of the text
/// in its file.
package struct ExpressionIssue: Error, Sendable, Hashable {
  /// The kind of problem.
  package enum Kind: Sendable, Hashable, CaseIterable {
    /// Expression syntax error.
    case syntax
    /// Expression type error.
    case type
    /// Undefined name.
    case undefined
    /// An option the question does not have, or a word a `cases` fact cannot give.
    case badOption
    /// Template error: unknown fact, unclosed or stray brace.
    case template
    /// An optional template segment that names no fact and has no guard.
    case optionalSegment

    /// The diagnostic code the protocol compiler reports it with.
    package var code: DiagnosticCode {
      switch self {
      case .syntax: .expressionSyntax
      case .type: .expressionType
      case .undefined: .undefinedReference
      case .badOption: .unknownOption
      case .template: .template
      case .optionalSegment: .optionalSegment
      }
    }
  }

  /// The kind of problem.
  package var kind: Kind
  /// Lowercase text without a trailing period, naming the offending thing in single quotes.
  package var message: String
  /// What to write instead, or what the rule is, when there is something to add
  /// (`did you mean 'attack'?`, `join them with 'and'`); the protocol compiler passes it on as
  /// the diagnostic's suggestion, after the place it names.
  package var suggestion: String?
  /// Start of the offending text, in Unicode scalars from the start of the source.
  package var offset: Int
  /// Length of the offending text, in Unicode scalars.
  package var length: Int

  /// Creates an issue.
  package init(
    kind: Kind, message: String, suggestion: String? = nil, offset: Int, length: Int
  ) {
    self.kind = kind
    self.message = message
    self.suggestion = suggestion
    self.offset = offset
    self.length = length
  }

  /// The message followed by `; ` and the suggestion, when there is one.
  package var text: String {
    guard let suggestion else { return message }
    return "\(message); \(suggestion)"
  }

  /// The diagnostic code, such as `CS109`.
  package var code: DiagnosticCode { kind.code }
}

// `Result` needs an `Error` failure, and the compilers fail with every issue they found. The
// conformance is retroactive (stdlib type, stdlib protocol) but constrained to our own element
// type, so no other module can declare a conflicting one.
extension Array: @retroactive Error where Element == ExpressionIssue {}
