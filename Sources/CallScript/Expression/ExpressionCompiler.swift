/// Compiles condition text (`ask_if`, `when`, `expr`, checks) into ``CompiledCondition``s.
///
/// The language is described in `docs/protocol-format.md`, section "Expressions". Choices the
/// document leaves open:
/// - Every derived fact defined with `expr` is a condition (``derivedExpressionType``), even when
///   its text is a single name; `cases` facts have type ``ValueType/word(values:)``.
/// - `count(q)` is 0 when `q` has no known answer, so `count(q) = 0` holds while unanswered.
/// - `q = r` between two names needs names of the same kind (yes/no with yes/no, one-of with
///   one-of, ...) and holds when both are known and equal; count ranges compare as numbers.
/// - On the right of `=` with a one-of answer, a word that is an option id of the question is
///   that option, even if a question has the same name; `yes` and `no` are always values.
/// - Text compares exactly (case and spaces matter); `"..."` has no escapes and cannot contain
///   `"`. Text on the left of `=` (`"x" = q`) is read as `q = "x"`.
/// - `unknown(d)`, `refused(d)` and `answered(d)` are type errors on derived facts; `known(d)` is
///   allowed. A condition fact compared with `=` to anything but another condition is an error.
/// - `known`, `unknown`, `refused`, `answered` and `count` are functions only before `(`;
///   `and`, `or`, `not`, `has`, `in`, `true` and `false` are reserved.
/// - Separators are space, tab, line feed and carriage return; any other character outside
///   names, numbers, text and operators (no-break space, zero-width space, curly quotes) is a
///   syntax error naming it.
package enum ExpressionCompiler {
  /// The longest expression or template, in Unicode scalars.
  package static let maximumLength = 4_000
  /// The deepest nesting of parentheses and `not`.
  package static let maximumDepth = 64
  /// The type of every derived fact defined with `expr`: a condition.
  package static let derivedExpressionType = ValueType.condition

  /// Parses and type-checks a condition.
  ///
  /// On failure returns every type and name issue found, in source order; a syntax issue stops
  /// the parse, so at most one is reported, after the issues found before it.
  package static func compileCondition(
    _ text: String, symbols: some SymbolTable
  ) -> Result<CompiledCondition, [ExpressionIssue]> {
    if let issue = lengthIssue(text, kind: .syntax, what: "expression") {
      return .failure([issue])
    }
    let scalars = Array(text.unicodeScalars)
    let tokens: [ExpressionToken]
    switch ExpressionLexer.tokens(scalars) {
    case .success(let found): tokens = found
    case .failure(let issue): return .failure([issue])
    }
    var parser = ConditionParser(tokens: tokens, symbols: symbols)
    var issues: [ExpressionIssue] = []
    do {
      try parser.parse()
    } catch {
      issues.append(error)
    }
    issues.insert(contentsOf: parser.issues, at: 0)
    guard issues.isEmpty else { return .failure(sorted(issues)) }
    let program = parser.program
    let check = ContradictionCheck(program: program, slotTypes: parser.slotTypes)
    return .success(
      CompiledCondition(
        source: text, dependencies: parser.dependencies.sorted(),
        isConstantlyFalse: check.isUnsatisfiable(), program: program))
  }

  /// An issue when `text` is longer than ``maximumLength``, found without reading all of it.
  static func lengthIssue(
    _ text: String, kind: ExpressionIssue.Kind, what: String
  ) -> ExpressionIssue? {
    var count = 0
    for _ in text.unicodeScalars {
      count += 1
      if count > maximumLength { break }
    }
    guard count > maximumLength else { return nil }
    return ExpressionIssue(
      kind: kind,
      message: "\(what) is too long", suggestion: "the limit is \(maximumLength) characters",
      offset: maximumLength, length: text.unicodeScalars.count - maximumLength)
  }

  /// Issues in source order; the sort is stable.
  static func sorted(_ issues: [ExpressionIssue]) -> [ExpressionIssue] {
    issues.enumerated()
      .sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
      .map(\.element)
  }
}
