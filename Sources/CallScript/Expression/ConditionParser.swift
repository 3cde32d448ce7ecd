/// Parses and type-checks condition text into a ``ConditionProgram`` in one pass.
///
/// Syntax problems stop the parse (thrown as an ``ExpressionIssue``); type and name problems are
/// collected in `issues` and parsing goes on, so one run reports every one of them.
struct ConditionParser<Table: SymbolTable> {
  /// A stretch of source text, in Unicode scalars.
  struct Span: Hashable {
    var offset: Int
    var length: Int

    init(_ token: ExpressionToken) {
      offset = token.offset
      length = token.length
    }

    init(from start: ExpressionToken, through end: ExpressionToken) {
      offset = start.offset
      length = end.offset + end.length - start.offset
    }
  }

  /// A parsed term, before the comparison around it gives it a meaning.
  enum Operand {
    /// A word not yet resolved: a name, or an option id / `yes` / `no` on a right side.
    case word(String, Span)
    case name(Symbol, Span)
    case number(Int, Span)
    case text(String, Span)
    /// A condition: `true`, `false` (with `literal`), a parenthesised expression or a status test.
    case condition(node: Int, literal: Bool?, Span)
    /// `count(q)`.
    case selectedCount(Symbol, Span)
    /// `a + b`, `a - b`, already checked to be numbers.
    case arithmetic(NumericOperand, Span)
    /// A term whose problem has already been reported.
    case invalid
  }

  static var maximumDepth: Int { ExpressionCompiler.maximumDepth }

  private static var reservedWords: Set<String> { ["and", "or", "not", "has", "in"] }
  private static var functionWords: Set<String> {
    ["known", "unknown", "refused", "answered", "count", "age", "minutes", "seconds", "hours"]
  }

  /// Milliseconds in one unit of `minutes(q)`, `seconds(q)` and `hours(q)`.
  private static var unitFactors: [String: Int] {
    ["seconds": 1000, "minutes": 60_000, "hours": 3_600_000]
  }

  private let tokens: [ExpressionToken]
  private let symbols: Table
  private var position = 0
  private var depth = 0
  private(set) var program = ConditionProgram()
  private(set) var issues: [ExpressionIssue] = []
  /// Slots of every name the text mentions.
  private(set) var dependencies: Set<Int> = []
  /// Types of the slots in `dependencies`, for contradiction checks.
  private(set) var slotTypes: [Int: ValueType] = [:]

  init(tokens: [ExpressionToken], symbols: Table) {
    self.tokens = tokens
    self.symbols = symbols
  }

  // MARK: - Grammar

  /// Parses the whole text and sets the program's root.
  mutating func parse() throws(ExpressionIssue) {
    if case .end = current.kind {
      throw syntax("the expression is empty", at: Span(current))
    }
    let root = try parseOr()
    switch current.kind {
    case .end:
      program.root = root
    case .punctuation(.close):
      throw syntax("unmatched ')'", at: Span(current))
    default:
      throw syntax("expected 'and' or 'or' before \(current.described)", at: Span(current))
    }
  }

  private var current: ExpressionToken { tokens[min(position, tokens.count - 1)] }

  private var next: ExpressionToken { tokens[min(position + 1, tokens.count - 1)] }

  private var previous: ExpressionToken? { position > 0 ? tokens[position - 1] : nil }

  private mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  private func isWord(_ word: String) -> Bool {
    if case .word(let found) = current.kind { return found == word }
    return false
  }

  private mutating func enter(_ token: ExpressionToken) throws(ExpressionIssue) {
    depth += 1
    if depth > Self.maximumDepth {
      throw syntax(
        "expression is nested too deeply",
        suggestion: "the limit is \(Self.maximumDepth) levels of parentheses and 'not'",
        at: Span(token))
    }
  }

  private mutating func leave() { depth -= 1 }

  private mutating func parseOr() throws(ExpressionIssue) -> Int {
    var children = [try parseAnd()]
    while isWord("or") {
      advance()
      children.append(try parseAnd())
    }
    return makeJunction(children, isAll: false)
  }

  private mutating func parseAnd() throws(ExpressionIssue) -> Int {
    var children = [try parseUnary()]
    while isWord("and") {
      advance()
      children.append(try parseUnary())
    }
    return makeJunction(children, isAll: true)
  }

  private mutating func parseUnary() throws(ExpressionIssue) -> Int {
    guard isWord("not") else { return try parseComparison() }
    let token = current
    advance()
    try enter(token)
    let child = try parseUnary()
    leave()
    return makeNot(child)
  }

  private mutating func parseComparison() throws(ExpressionIssue) -> Int {
    let left = try parseSum()
    switch current.kind {
    case .punctuation(let punctuation) where Self.isComparison(punctuation):
      let operatorToken = current
      advance()
      let right = try parseSum()
      if case .punctuation(let following) = current.kind, Self.isComparison(following) {
        throw syntax(
          "comparisons cannot be chained", suggestion: "join them with 'and'", at: Span(current))
      }
      return comparison(left, punctuation, right, operatorToken: operatorToken)
    case .word("has"):
      let operatorToken = current
      advance()
      guard case .word(let option) = current.kind else {
        throw syntax(
          "expected an option after 'has' but found \(current.described)", at: Span(current))
      }
      let optionSpan = Span(current)
      advance()
      return has(left, option, optionSpan, operatorToken: operatorToken)
    case .word("contains"):
      // Not a reserved word: after a term a word can only be an operator, so a question or
      // option named 'contains' keeps working.
      let operatorToken = current
      advance()
      guard case .text(let words) = current.kind else {
        throw syntax(
          "expected quoted text after 'contains' but found \(current.described)",
          suggestion: "quote the words, as in exact_words contains \"school\"", at: Span(current))
      }
      let wordsSpan = Span(current)
      advance()
      return containsText(left, words, wordsSpan, operatorToken: operatorToken)
    case .word("in"):
      let operatorToken = current
      advance()
      guard case .punctuation(.open) = current.kind else {
        throw syntax("expected '(' after 'in' but found \(current.described)", at: Span(current))
      }
      advance()
      var choices: [(String, Span)] = []
      while true {
        guard case .word(let choice) = current.kind else {
          throw syntax(
            "expected an option name but found \(current.described)", at: Span(current))
        }
        choices.append((choice, Span(current)))
        advance()
        if case .punctuation(.comma) = current.kind {
          advance()
        } else if case .punctuation(.close) = current.kind {
          advance()
          break
        } else {
          throw syntax("expected ',' or ')' but found \(current.described)", at: Span(current))
        }
      }
      return among(left, choices, operatorToken: operatorToken)
    default:
      return bare(left)
    }
  }

  /// Terms joined by `+` and `-`, left to right.
  private mutating func parseSum() throws(ExpressionIssue) -> Operand {
    let first = current
    var left = try parseTerm()
    while case .punctuation(let punctuation) = current.kind,
      punctuation == .plus || punctuation == .minus
    {
      advance()
      let right = try parseTerm()
      let span = Span(from: first, through: tokens[max(0, position - 1)])
      left = arithmetic(left, punctuation == .plus ? .plus : .minus, right, span: span)
    }
    return left
  }

  private mutating func parseTerm() throws(ExpressionIssue) -> Operand {
    let token = current
    switch token.kind {
    case .number(let value):
      advance()
      return .number(value, Span(token))
    case .duration(let milliseconds):
      advance()
      return .arithmetic(.duration(milliseconds), Span(token))
    case .text(let text):
      advance()
      return .text(text, Span(token))
    case .punctuation(.open):
      advance()
      try enter(token)
      let node = try parseOr()
      leave()
      guard case .punctuation(.close) = current.kind else {
        let expected =
          switch current.kind {
          case .end, .punctuation: "expected ')' to close '('"
          default: "expected 'and', 'or' or ')'"
          }
        throw syntax("\(expected) but found \(current.described)", at: Span(current))
      }
      let span = Span(from: token, through: current)
      advance()
      return .condition(node: node, literal: nil, span)
    case .word("true"), .word("false"):
      advance()
      let value = token.kind == .word("true")
      return .condition(node: add(.constant(value)), literal: value, Span(token))
    case .word(let word) where Self.functionWords.contains(word):
      if case .punctuation(.open) = next.kind { return try parseFunction() }
      if symbols.symbol(named: word) != nil {
        advance()
        return .word(word, Span(token))
      }
      throw syntax("expected '(' after '\(word)' but found \(next.described)", at: Span(next))
    case .word(let word) where !Self.reservedWords.contains(word):
      advance()
      return .word(word, Span(token))
    default:
      if case .end = token.kind, let previous {
        throw syntax(
          "expected a name, number or '(' after \(previous.described)", at: Span(token))
      }
      if case .punctuation(.minus) = token.kind {
        throw syntax(
          "expected a name, number or '(' but found '-'",
          suggestion: "numbers are written without a sign",
          at: Span(token))
      }
      throw syntax(
        "expected a name, number or '(' but found \(token.described)", at: Span(token))
    }
  }

  /// `known(q)`, `unknown(q)`, `refused(q)`, `answered(q)` or `count(q)`.
  private mutating func parseFunction() throws(ExpressionIssue) -> Operand {
    let functionToken = current
    guard case .word(let function) = functionToken.kind else { return .invalid }
    advance()
    advance()
    guard case .word(let name) = current.kind, !Self.reservedWords.contains(name) else {
      throw syntax(
        "expected a name inside '\(function)(...)' but found \(current.described)",
        at: Span(current))
    }
    let nameSpan = Span(current)
    advance()
    guard case .punctuation(.close) = current.kind else {
      throw syntax(
        "expected ')' after '\(function)(\(name)' but found \(current.described)",
        at: Span(current))
    }
    let span = Span(from: functionToken, through: current)
    advance()
    guard let symbol = resolve(name, nameSpan) else { return .invalid }
    if function == "age" { return age(of: symbol, nameSpan: nameSpan, span: span) }
    if let factor = Self.unitFactors[function] {
      guard case .count = symbol.type else {
        report(
          .type,
          "'\(function)(...)' reads a count answer as a duration",
          suggestion: "'\(name)' is " + symbol.kindPhrase,
          at: nameSpan)
        return .invalid
      }
      return .arithmetic(.scaled(slot: symbol.slot, factor: factor, unit: function), span)
    }
    if function == "count" {
      guard case .manyOf = symbol.type else {
        let hint =
          if case .count = symbol.type { ", compare it directly, as in \(name) > 1" } else { "" }
        report(
          .type,
          "'count(...)' counts the options chosen in a many-of answer",
          suggestion: "'\(name)' is " + symbol.kindPhrase + hint,
          at: nameSpan)
        return .invalid
      }
      return .selectedCount(symbol, span)
    }
    guard let status = AnswerStatus(rawValue: function) else { return .invalid }
    if !symbol.isQuestion && status != .known {
      report(
        .type,
        "'\(function)(...)' applies to questions",
        suggestion: "'\(name)' is a derived fact, use 'known(\(name))'",
        at: nameSpan)
      return .invalid
    }
    return .condition(node: add(.status(slot: symbol.slot, status)), literal: nil, span)
  }

  /// `age(q)`: how long ago question `q`'s fact was observed, as the clock moves on.
  private mutating func age(of symbol: Symbol, nameSpan: Span, span: Span) -> Operand {
    guard symbol.isQuestion else {
      report(
        .type,
        "'age(...)' measures the time since a question's answer",
        suggestion: "'\(symbol.name)' is a derived fact",
        at: nameSpan)
      return .invalid
    }
    guard let observed = symbols.observedTime(of: symbol),
      let elapsed = symbols.symbol(named: BuiltInTime.elapsed)
    else {
      report(.undefined, "'age(...)' needs the call clock, which is not available here", at: span)
      return .invalid
    }
    for time in [observed, elapsed] {
      dependencies.insert(time.slot)
      slotTypes[time.slot] = time.type
    }
    return .arithmetic(
      .age(elapsed: elapsed.slot, observed: observed.slot, question: symbol.slot), span)
  }

  private static func isComparison(_ punctuation: ExpressionToken.Punctuation) -> Bool {
    switch punctuation {
    case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
    case .open, .close, .comma, .plus, .minus: false
    }
  }

  // MARK: - Meaning and types

  /// `left op right` for the six comparison operators.
  private mutating func comparison(
    _ left: Operand, _ punctuation: ExpressionToken.Punctuation, _ right: Operand,
    operatorToken: ExpressionToken
  ) -> Int {
    let isEquality = punctuation == .equal || punctuation == .notEqual
    // Text on the left of `=` with a name on the right reads the same as the other way round.
    if isEquality, case .text = left, case .word = right {
      return comparison(right, punctuation, left, operatorToken: operatorToken)
    }
    let left = resolveLeft(left)
    switch punctuation {
    case .less, .lessOrEqual, .greater, .greaterOrEqual:
      let comparison: NumericComparison =
        switch punctuation {
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        default: .greaterOrEqual
        }
      let leftNumber = numeric(left, for: punctuation)
      let rightNumber = numeric(right, for: punctuation)
      guard let leftNumber, let rightNumber,
        sameMeasure(leftNumber, rightNumber, left: left, right: right, what: punctuation.rawValue)
      else { return placeholder() }
      return compare(leftNumber, comparison, rightNumber)
    default:
      let node = equality(left, right)
      return punctuation == .notEqual ? makeNot(node) : node
    }
  }

  /// Resolves a word on the left of an operator to a name.
  private mutating func resolveLeft(_ operand: Operand) -> Operand {
    guard case .word(let word, let span) = operand else { return operand }
    if word == "yes" || word == "no", symbols.symbol(named: word) == nil {
      report(
        .type, "'\(word)' is a value, not a name",
        suggestion: "write the question first, as in q = \(word)",
        at: span)
      return .invalid
    }
    guard let symbol = resolve(word, span) else { return .invalid }
    return .name(symbol, span)
  }

  /// `left + right` or `left - right`: both sides numbers or counts.
  private mutating func arithmetic(
    _ left: Operand, _ operation: ArithmeticOperator, _ right: Operand, span: Span
  ) -> Operand {
    let what =
      operation == .plus
      ? "'+' adds counts and numbers" : "'-' subtracts counts and numbers"
    let leftNumber = numeric(left, what: what)
    let rightNumber = numeric(right, what: what)
    guard let leftNumber, let rightNumber,
      sameMeasure(leftNumber, rightNumber, left: left, right: right, what: operation.rawValue)
    else { return .invalid }
    if leftNumber.isLiteral, rightNumber.isLiteral, leftNumber.isDuration {
      report(
        .type,
        "'\(operation.rawValue)' between two durations: write the duration it makes, in one "
          + "unit (5m + 30s is 330s)",
        at: span)
      return .invalid
    }
    if leftNumber.isLiteral, rightNumber.isLiteral {
      report(
        .type,
        "'\(operation.rawValue)' between two numbers: write the number it makes",
        suggestion: "a range of a count is written 'q >= 2 and q <= 3'",
        at: span)
      return .invalid
    }
    return .arithmetic(.combined(leftNumber, operation, rightNumber), span)
  }

  /// Whether both sides measure the same thing (numbers, or durations); reports when not.
  private mutating func sameMeasure(
    _ leftNumber: NumericOperand, _ rightNumber: NumericOperand, left: Operand, right: Operand,
    what: String
  ) -> Bool {
    guard leftNumber.isDuration != rightNumber.isDuration else { return true }
    let (number, numberSide) = leftNumber.isDuration ? (rightNumber, right) : (leftNumber, left)
    let hint: String
    switch number {
    case .number(let value): hint = "write a duration such as \(value)s or \(value)m"
    case .count(let slot):
      let name = symbols.allSymbolNames.first { symbols.symbol(named: $0)?.slot == slot } ?? "q"
      hint = "read a count as a duration with minutes(\(name)) or seconds(\(name))"
    default: hint = "both sides must be durations, or both numbers"
    }
    report(
      .type, "'\(what)' between a duration and a number", suggestion: hint,
      at: span(of: numberSide))
    return false
  }

  /// Where an operand was written, for messages.
  private func span(of operand: Operand) -> Span {
    switch operand {
    case .word(_, let span), .name(_, let span), .number(_, let span), .text(_, let span),
      .condition(_, _, let span), .selectedCount(_, let span), .arithmetic(_, let span):
      span
    case .invalid: Span(tokens[max(0, position - 1)])
    }
  }

  /// The numeric meaning of an operand of `<`, `<=`, `>`, `>=` (or `=` with a count).
  private mutating func numeric(
    _ operand: Operand, for punctuation: ExpressionToken.Punctuation
  ) -> NumericOperand? {
    numeric(operand, what: "'\(punctuation.rawValue)' compares counts and numbers")
  }

  /// The numeric meaning of an operand; `what` says what the operator needs.
  private mutating func numeric(_ operand: Operand, what: String) -> NumericOperand? {
    switch operand {
    case .arithmetic(let value, _):
      return value
    case .number(let value, _):
      return .number(value)
    case .selectedCount(let symbol, _):
      return .selectedCount(slot: symbol.slot)
    case .name(let symbol, let span):
      if case .count = symbol.type { return .count(slot: symbol.slot) }
      if case .duration = symbol.type { return .time(slot: symbol.slot) }
      report(.type, what, suggestion: "'\(symbol.name)' is \(symbol.kindPhrase)", at: span)
      return nil
    case .word(let word, let span):
      if word == "yes" || word == "no", symbols.symbol(named: word) == nil {
        report(.type, "\(what), not '\(word)'", at: span)
        return nil
      }
      guard let symbol = resolve(word, span) else { return nil }
      return numeric(.name(symbol, span), what: what)
    case .text(_, let span):
      report(.type, "\(what), not text", at: span)
      return nil
    case .condition(_, let literal, let span):
      let thing = literal.map { "'\($0)'" } ?? "conditions"
      report(.type, "\(what), not \(thing)", at: span)
      return nil
    case .invalid:
      return nil
    }
  }

  /// `left = right`.
  private mutating func equality(_ left: Operand, _ right: Operand) -> Int {
    switch left {
    case .invalid:
      return placeholder()
    case .number, .selectedCount, .arithmetic:
      guard let leftNumber = numeric(left, for: .equal),
        let rightNumber = numeric(right, for: .equal),
        sameMeasure(leftNumber, rightNumber, left: left, right: right, what: "=")
      else { return placeholder() }
      if leftNumber.isDuration {
        report(
          .type,
          "durations are compared with <, <=, > or >=, never '=' (the clock passes any "
            + "exact time within a millisecond)",
          at: span(of: left))
        return placeholder()
      }
      return compare(leftNumber, .equal, rightNumber)
    case .condition(_, _, let span):
      report(
        .type,
        "'=' compares an answer with a value",
        suggestion: "combine conditions with 'and', 'or' and 'not'",
        at: span)
      return placeholder()
    case .text(_, let span):
      report(.type, "text can only be compared with a text answer", at: span)
      return placeholder()
    case .word:
      return placeholder()
    case .name(let symbol, _):
      return equality(symbol, right)
    }
  }

  /// `name = right`, by the name's type.
  private mutating func equality(_ symbol: Symbol, _ right: Operand) -> Int {
    let slot = symbol.slot
    switch symbol.type {
    case .count:
      guard let rightNumber = numeric(right, for: .equal),
        sameMeasure(
          .count(slot: slot), rightNumber, left: .name(symbol, Span(tokens[0])),
          right: right, what: "=")
      else { return placeholder() }
      return compare(.count(slot: slot), .equal, rightNumber)
    case .duration:
      report(
        .type,
        "durations are compared with <, <=, > or >=, never '=' (the clock passes any exact "
          + "time within a millisecond)",
        at: span(of: right))
      return placeholder()
    case .yesNo:
      if case .word(let word, let wordSpan) = right {
        if word == "yes" || word == "no" { return add(.isYesNo(slot: slot, word == "yes")) }
        if symbols.symbol(named: word) == nil, !isCloseToAName(word) {
          report(
            .type,
            "'\(symbol.name)' is a yes/no answer",
            suggestion: "compare it with yes or no, not '\(word)'",
            at: wordSpan)
          return placeholder()
        }
      }
      return sameValue(symbol, right, hint: "compare it with yes or no")
    case .oneOf(let choices), .word(let choices):
      if case .word(let word, _) = right, choices.contains(word) {
        return add(.isChoice(slot: slot, word))
      }
      if case .condition(_, let literal?, _) = right, choices.contains(String(literal)) {
        return add(.isChoice(slot: slot, String(literal)))
      }
      if case .word(let word, let wordSpan) = right {
        if let other = symbols.symbol(named: word), other.type.hasSameKind(as: symbol.type) {
          return sameValue(symbol, right, hint: "")
        }
        reportMissingChoice(word, of: symbol, at: wordSpan)
        return placeholder()
      }
      let hint =
        if case .word = symbol.type { "compare it with one of its values" } else {
          "compare it with one of its options"
        }
      return sameValue(symbol, right, hint: hint)
    case .manyOf(let options):
      var example = options.first ?? "option"
      if case .word(let word, _) = right, options.contains(word) { example = word }
      return sameValue(
        symbol, right, hint: "test an option with 'has', as in \(symbol.name) has \(example)")
    case .text:
      if case .text(let text, _) = right { return add(.isText(slot: slot, text)) }
      return sameValue(symbol, right, hint: "compare it with \"quoted text\"")
    case .condition:
      return sameValue(
        symbol, right,
        hint: "use it on its own, as in \(symbol.name) or not \(symbol.name)")
    }
  }

  /// `name = other` where `other` must be a name of the same kind; reports anything else.
  private mutating func sameValue(_ symbol: Symbol, _ right: Operand, hint: String) -> Int {
    let suggestion = hint.isEmpty ? nil : hint
    switch right {
    case .word(let word, let span):
      if symbols.symbol(named: word) == nil, !isCloseToAName(word) {
        report(
          .type, "cannot compare \(symbol.described) with '\(word)'", suggestion: suggestion,
          at: span)
        return placeholder()
      }
      guard let other = resolve(word, span) else { return placeholder() }
      guard other.type.hasSameKind(as: symbol.type) else {
        report(
          .type, "cannot compare \(symbol.described) with \(other.described)",
          suggestion: suggestion, at: span)
        return placeholder()
      }
      return add(.sameValue(symbol.slot, other.slot))
    case .number(_, let span), .selectedCount(_, let span), .arithmetic(_, let span):
      report(
        .type, "cannot compare \(symbol.described) with a number", suggestion: suggestion,
        at: span)
    case .text(_, let span):
      report(
        .type, "cannot compare \(symbol.described) with text", suggestion: suggestion, at: span)
    case .condition(_, let literal, let span):
      let thing = literal.map { "'\($0)'" } ?? "a condition"
      report(
        .type, "cannot compare \(symbol.described) with \(thing)", suggestion: suggestion,
        at: span)
    case .name(let other, let span):
      report(
        .type, "cannot compare \(symbol.described) with \(other.described)",
        suggestion: suggestion, at: span)
    case .invalid:
      break
    }
    return placeholder()
  }

  /// `left has option`.
  private mutating func has(
    _ left: Operand, _ option: String, _ optionSpan: Span, operatorToken: ExpressionToken
  ) -> Int {
    let left = resolveLeft(left)
    guard case .name(let symbol, let span) = left else {
      if case .invalid = left { return placeholder() }
      report(.type, "'has' needs a many-of answer on its left", at: Span(operatorToken))
      return placeholder()
    }
    guard case .manyOf(let options) = symbol.type else {
      var suggestion = "'\(symbol.name)' is \(symbol.kindPhrase)"
      if case .oneOf = symbol.type {
        suggestion += ", use \(symbol.name) = \(option) or \(symbol.name) in (\(option), ...)"
      }
      report(.type, "'has' needs a many-of answer", suggestion: suggestion, at: span)
      return placeholder()
    }
    guard options.contains(option) else {
      reportMissingChoice(option, of: symbol, at: optionSpan)
      return placeholder()
    }
    return add(.includes(slot: symbol.slot, option))
  }

  /// `left contains "words"`.
  private mutating func containsText(
    _ left: Operand, _ words: String, _ wordsSpan: Span, operatorToken: ExpressionToken
  ) -> Int {
    let left = resolveLeft(left)
    guard case .name(let symbol, let span) = left else {
      if case .invalid = left { return placeholder() }
      report(
        .type,
        "'contains' needs a text answer on its left",
        suggestion: "write it as in exact_words contains \"school\"",
        at: Span(operatorToken))
      return placeholder()
    }
    guard case .text = symbol.type else {
      var suggestion = "'\(symbol.name)' is \(symbol.kindPhrase)"
      switch symbol.type {
      case .manyOf: suggestion += ", use 'has'"
      case .oneOf, .word: suggestion += ", use '=' or 'in'"
      default: break
      }
      report(
        .type, "'contains' needs a text or location answer", suggestion: suggestion, at: span)
      return placeholder()
    }
    guard !words.trimmedWhitespace.isEmpty else {
      report(
        .type, "'contains' needs words to look for",
        suggestion: "empty text is contained in every answer",
        at: wordsSpan)
      return placeholder()
    }
    return add(.containsText(slot: symbol.slot, words))
  }

  /// `left in (a, b, ...)`.
  private mutating func among(
    _ left: Operand, _ choices: [(String, Span)], operatorToken: ExpressionToken
  ) -> Int {
    let left = resolveLeft(left)
    guard case .name(let symbol, let span) = left else {
      if case .invalid = left { return placeholder() }
      report(
        .type, "'in' needs a one-of answer or a fact with values on its left",
        at: Span(operatorToken))
      return placeholder()
    }
    let allowed: [String]
    switch symbol.type {
    case .oneOf(let options): allowed = options
    case .word(let values): allowed = values
    default:
      var suggestion = "'\(symbol.name)' is " + symbol.kindPhrase
      if case .manyOf = symbol.type { suggestion += ", use 'has'" }
      report(
        .type, "'in' needs a one-of answer or a fact with values", suggestion: suggestion,
        at: span)
      return placeholder()
    }
    var listed: [String] = []
    var isValid = true
    for (choice, choiceSpan) in choices {
      if !allowed.contains(choice) {
        reportMissingChoice(choice, of: symbol, at: choiceSpan)
        isValid = false
      } else if !listed.contains(choice) {
        listed.append(choice)
      }
    }
    guard isValid else { return placeholder() }
    if listed.count == 1 { return add(.isChoice(slot: symbol.slot, listed[0])) }
    return add(.isAmong(slot: symbol.slot, listed))
  }

  /// A term used on its own as a condition.
  private mutating func bare(_ operand: Operand) -> Int {
    switch operand {
    case .condition(let node, _, _):
      return node
    case .invalid:
      return placeholder()
    case .number(let value, let span):
      report(.type, "'\(value)' is a number, not a condition", at: span)
    case .arithmetic(let value, let span):
      report(
        .type,
        value.isDuration
          ? "a duration is not a condition" : "a sum or difference is a number, not a condition",
        suggestion: value.isDuration ? "compare it, as in age(q) > 2m" : "compare it",
        at: span)
    case .text(_, let span):
      report(.type, "text is not a condition", at: span)
    case .selectedCount(let symbol, let span):
      report(
        .type,
        "'count(\(symbol.name))' is a number, not a condition",
        suggestion: "compare it, as in count(\(symbol.name)) > 0",
        at: span)
    case .word(let word, let span):
      if word == "yes" || word == "no", symbols.symbol(named: word) == nil {
        report(
          .type, "'\(word)' is a value, not a condition",
          suggestion: "compare a question with it", at: span)
        return placeholder()
      }
      guard let symbol = resolve(word, span) else { return placeholder() }
      return bare(.name(symbol, span))
    case .name(let symbol, let span):
      let name = symbol.name
      let example: String
      switch symbol.type {
      case .condition:
        return add(.holds(slot: symbol.slot))
      case .yesNo:
        example = "compare it, as in \(name) = yes"
      case .oneOf(let options):
        example = "compare it, as in \(name) = \(options.first ?? "option")"
      case .word(let values):
        example = "compare it, as in \(name) = \(values.first ?? "value")"
      case .manyOf(let options):
        example = "test it, as in \(name) has \(options.first ?? "option")"
      case .count:
        example = "compare it, as in \(name) > 0"
      case .duration:
        example = "compare it, as in \(name) > 5m"
      case .text:
        example = "test it, as in known(\(name))"
      }
      report(.type, "'\(name)' is \(symbol.kindPhrase)", suggestion: example, at: span)
    }
    return placeholder()
  }

  // MARK: - Names

  /// The symbol called `name`, recorded as a dependency; reports an undefined name.
  private mutating func resolve(_ name: String, _ span: Span) -> Symbol? {
    if let symbol = symbols.symbol(named: name) {
      dependencies.insert(symbol.slot)
      slotTypes[symbol.slot] = symbol.type
      return symbol
    }
    let suggestion: String?
    if let dot = name.lastIndex(of: "."), let owner = symbols.symbol(named: String(name[..<dot])),
      ["age", "time"].contains(name[name.index(after: dot)...])
    {
      // `{q.age}` is how a template shows it; a condition measures it with age(q).
      suggestion =
        "a condition reads how long ago '\(owner.name)' was answered as age(\(owner.name)), "
        + "compared with a duration: age(\(owner.name)) > 2m"
    } else {
      suggestion = NameSuggestion.didYouMean(name, among: symbols.allSymbolNames)
    }
    report(
      .undefined, "unknown name '\(ExpressionText.abbreviated(name))'", suggestion: suggestion,
      at: span)
    return nil
  }

  /// Whether a "did you mean" suggestion exists for `word`, so it is likely a misspelt name.
  private func isCloseToAName(_ word: String) -> Bool {
    NameSuggestion.closest(to: word, among: symbols.allSymbolNames) != nil
  }

  /// Reports an option id (or `cases` word) that `symbol` does not have.
  private mutating func reportMissingChoice(_ choice: String, of symbol: Symbol, at span: Span) {
    let shown = ExpressionText.abbreviated(choice)
    let message =
      if case .word = symbol.type {
        "fact '\(symbol.name)' has no value '\(shown)'"
      } else {
        "question '\(symbol.name)' has no option '\(shown)'"
      }
    report(
      .badOption, message,
      suggestion: NameSuggestion.didYouMean(choice, among: symbol.type.choices), at: span)
  }

  private mutating func report(
    _ kind: ExpressionIssue.Kind, _ message: String, suggestion: String? = nil, at span: Span
  ) {
    issues.append(
      ExpressionIssue(
        kind: kind, message: message, suggestion: suggestion, offset: span.offset,
        length: span.length))
  }

  private func syntax(_ message: String, suggestion: String? = nil, at span: Span)
    -> ExpressionIssue
  {
    ExpressionIssue(
      kind: .syntax, message: message, suggestion: suggestion, offset: span.offset,
      length: span.length)
  }

  // MARK: - Building nodes

  private mutating func add(_ node: ConditionNode) -> Int {
    program.nodes.append(node)
    return program.nodes.count - 1
  }

  /// A stand-in for a term whose problem was reported; never evaluated.
  private mutating func placeholder() -> Int { add(.constant(true)) }

  private mutating func makeNot(_ child: Int) -> Int {
    switch program.nodes[child] {
    case .constant(let value): add(.constant(!value))
    case .not(let inner): inner
    default: add(.not(child))
    }
  }

  /// An n-ary and/or node: nested ones of the same kind are flattened and constants folded.
  private mutating func makeJunction(_ children: [Int], isAll: Bool) -> Int {
    if children.count == 1 { return children[0] }
    var flat: [Int] = []
    for child in children {
      switch program.nodes[child] {
      case .constant(let value):
        if value != isAll { return add(.constant(value)) }
      case .all(let start, let count) where isAll, .any(let start, let count) where !isAll:
        flat.append(contentsOf: program.operands[start..<(start + count)])
      default:
        flat.append(child)
      }
    }
    if flat.isEmpty { return add(.constant(isAll)) }
    if flat.count == 1 { return flat[0] }
    let start = program.operands.count
    program.operands.append(contentsOf: flat)
    return add(
      isAll ? .all(start: start, count: flat.count) : .any(start: start, count: flat.count))
  }

  /// A numeric comparison, folded when both sides are literal numbers.
  private mutating func compare(
    _ left: NumericOperand, _ comparison: NumericComparison, _ right: NumericOperand
  ) -> Int {
    if case .number(let a) = left, case .number(let b) = right {
      return add(.constant(ConditionProgram.compare((a, a), comparison, (b, b))))
    }
    return add(.compare(left, comparison, right))
  }
}
