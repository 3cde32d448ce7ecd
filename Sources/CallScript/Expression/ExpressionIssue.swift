/// A problem in an expression or template, with its position in the source text.
///
/// `offset` and `length` count Unicode scalars from the start of the expression or template
/// text (not bytes, not grapheme clusters); the protocol compiler adds the position of the text
/// in its file.
package struct ExpressionIssue: Error, Sendable, Hashable {
  /// The kind of problem; the raw value is the diagnostic code.
  package enum Kind: String, Sendable, Hashable, CaseIterable {
    /// Expression syntax error.
    case syntax = "CS109"
    /// Expression type error.
    case type = "CS110"
    /// Undefined name.
    case undefined = "CS104"
    /// An option the question does not have, or a word a `cases` fact cannot give.
    case badOption = "CS111"
    /// Template error: unknown fact, unclosed or stray brace.
    case template = "CS116"
    /// An optional template segment that names no fact and has no guard.
    case optionalSegment = "CS129"
  }

  /// The kind of problem.
  package var kind: Kind
  /// Lowercase text without a trailing period, naming the offending thing in single quotes.
  package var message: String
  /// Start of the offending text, in Unicode scalars from the start of the source.
  package var offset: Int
  /// Length of the offending text, in Unicode scalars.
  package var length: Int

  /// Creates an issue.
  package init(kind: Kind, message: String, offset: Int, length: Int) {
    self.kind = kind
    self.message = message
    self.offset = offset
    self.length = length
  }

  /// The diagnostic code, such as `CS109`.
  package var code: String { kind.rawValue }
}

// `Result` needs an `Error` failure, and the compilers fail with every issue they found. The
// conformance is retroactive (stdlib type, stdlib protocol) but constrained to our own element
// type, so no other module can declare a conflicting one.
extension Array: @retroactive Error where Element == ExpressionIssue {}
