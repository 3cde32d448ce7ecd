/// Compiles relay and verification text into ``CompiledTemplate``s.
///
/// `{name}` interpolates a question or derived fact and `{name.age}` how long ago it was
/// answered; spaces just inside the braces are ignored. `[ … ]` is an optional segment, left out
/// when a fact it names is not known, `[?name:…]` one that also needs `name` to hold. `{{`,
/// `}}`, `[[` and `]]` are literal braces and brackets. An unclosed `{` or `[`, a stray `}` or
/// `]`, a nested segment, an empty or malformed hole and an unknown name are
/// ``ExpressionIssue/Kind/template`` issues; a segment that names no fact is an
/// ``ExpressionIssue/Kind/optionalSegment`` issue.
package enum TemplateCompiler {
  /// Parses a template and resolves its names; returns every issue found.
  package static func compile(
    _ text: String, symbols: some SymbolTable
  ) -> Result<CompiledTemplate, [ExpressionIssue]> {
    if let issue = ExpressionCompiler.lengthIssue(text, kind: .template, what: "template") {
      return .failure([issue])
    }
    let scalars = Array(text.unicodeScalars)
    var issues: [ExpressionIssue] = []
    var dependencies: Set<Int> = []
    let parts = compile(
      scalars, from: 0, to: scalars.count, inSegment: false, symbols: symbols, issues: &issues,
      dependencies: &dependencies)
    guard issues.isEmpty else { return .failure(issues) }
    return .success(
      CompiledTemplate(source: text, dependencies: dependencies.sorted(), parts: parts))
  }

  /// Compiles the scalars in `start..<end`; offsets in issues count from the template's start.
  private static func compile(
    _ scalars: [Unicode.Scalar], from start: Int, to end: Int, inSegment: Bool,
    symbols: some SymbolTable, issues: inout [ExpressionIssue], dependencies: inout Set<Int>
  ) -> [CompiledTemplate.Part] {
    var parts: [CompiledTemplate.Part] = []
    var literal = String.UnicodeScalarView()
    var index = start

    func flush() {
      guard !literal.isEmpty else { return }
      parts.append(.literal(String(literal)))
      literal = String.UnicodeScalarView()
    }

    while index < end {
      let scalar = scalars[index]
      let next: Unicode.Scalar? = index + 1 < end ? scalars[index + 1] : nil
      if scalar == "{" && next == "{" || scalar == "}" && next == "}"
        || scalar == "[" && next == "[" || scalar == "]" && next == "]"
      {
        literal.append(scalar)
        index += 2
      } else if scalar == "}" {
        issues.append(
          issue(
            "stray '}'", suggestion: "write '}}' for a literal brace", offset: index, length: 1))
        index += 1
      } else if scalar == "]" {
        issues.append(
          issue(
            "stray ']'", suggestion: "write ']]' for a literal bracket", offset: index,
            length: 1))
        index += 1
      } else if scalar == "[" {
        var close = index + 1
        while close < end {
          let here = scalars[close]
          let after: Unicode.Scalar? = close + 1 < end ? scalars[close + 1] : nil
          if (here == "[" || here == "]") && after == here {
            close += 2
          } else if here == "[" || here == "]" {
            break
          } else {
            close += 1
          }
        }
        guard !inSegment, close < end, scalars[close] == "]" else {
          issues.append(
            issue(
              inSegment ? "optional segments cannot be nested" : "unclosed '['",
              suggestion: inSegment ? nil : "write '[[' for a literal bracket",
              offset: index, length: 1))
          index += 1
          continue
        }
        flush()
        var bodyStart = index + 1
        var guardSlot: Int?
        if bodyStart < close, scalars[bodyStart] == "?" {
          var nameEnd = bodyStart + 1
          while nameEnd < close, scalars[nameEnd] != ":" { nameEnd += 1 }
          var view = String.UnicodeScalarView()
          view.append(contentsOf: scalars[(bodyStart + 1)..<nameEnd])
          let name = String(view)
          if let symbol = symbols.symbol(named: name) {
            guardSlot = symbol.slot
            dependencies.insert(symbol.slot)
          } else {
            issues.append(
              issue(
                "unknown guard '\(ExpressionText.abbreviated(name))' in '[?…]'",
                suggestion: NameSuggestion.didYouMean(name, among: symbols.allSymbolNames),
                offset: bodyStart + 1, length: max(1, nameEnd - bodyStart - 1)))
          }
          if nameEnd == close {
            issues.append(
              issue(
                "a guarded segment is written '[?fact:text]'",
                suggestion: "add ':' after the fact's name",
                offset: index, length: close - index + 1))
          }
          // A colon ends the guard's name; the segment's text starts right after it.
          bodyStart = nameEnd < close ? nameEnd + 1 : nameEnd
        }
        let inner = compile(
          scalars, from: bodyStart, to: close, inSegment: true, symbols: symbols, issues: &issues,
          dependencies: &dependencies)
        let namesFact = inner.contains {
          switch $0 {
          case .value, .age, .time: true
          default: false
          }
        }
        if !namesFact && guardSlot == nil {
          issues.append(
            ExpressionIssue(
              kind: .optionalSegment,
              message: "optional segment '[…]' names no fact, so it is never left out",
              suggestion: "name a fact in braces or give a guard '[?fact:…]'",
              offset: index, length: close - index + 1))
        }
        parts.append(.optional(parts: inner, guard: guardSlot))
        index = close + 1
      } else if scalar == "{" {
        var close = index + 1
        while close < end, scalars[close] != "}", scalars[close] != "{" { close += 1 }
        guard close < end, scalars[close] == "}" else {
          issues.append(
            issue(
              "unclosed '{'", suggestion: "write '{{' for a literal brace", offset: index,
              length: 1))
          index += 1
          continue
        }
        switch hole(scalars, from: index + 1, to: close, symbols: symbols) {
        case .success(let part):
          flush()
          parts.append(part)
          switch part {
          case .value(let slot, _), .age(let slot), .time(let slot): dependencies.insert(slot)
          case .literal, .optional: break
          }
        case .failure(let problem):
          issues.append(problem)
        }
        index = close + 1
      } else {
        literal.append(scalar)
        index += 1
      }
    }
    flush()
    return parts
  }

  /// The part for the hole between `start` and `end` (exclusive), the braces left out.
  private static func hole(
    _ scalars: [Unicode.Scalar], from start: Int, to end: Int, symbols: some SymbolTable
  ) -> Result<CompiledTemplate.Part, ExpressionIssue> {
    var start = start
    var end = end
    while start < end, ExpressionText.isSpace(scalars[start]) { start += 1 }
    while end > start, ExpressionText.isSpace(scalars[end - 1]) { end -= 1 }
    guard start < end else {
      return .failure(
        issue(
          "empty '{}'", suggestion: "write a fact name inside, or '{{}}' for literal braces",
          offset: start - 1, length: end - start + 2))
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[start..<end])
    let content = String(view)
    let shown = ExpressionText.abbreviated(content)
    var pieces = content.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    // An incident fact's name has a dot of its own: `{incident.calls}`.
    if pieces.count >= 2, pieces[0] + "." == IncidentFact.prefix {
      pieces = [pieces[0] + "." + pieces[1]] + pieces.dropFirst(2)
    }
    let name = pieces[0]
    let nameLength = name.unicodeScalars.count
    let bareName =
      name.hasPrefix(IncidentFact.prefix) ? String(name.dropFirst(IncidentFact.prefix.count)) : name
    guard isName(bareName) else {
      return .failure(
        issue(
          "'{\(shown)}' is not a fact name", suggestion: "write '{name}' or '{name.age}'",
          offset: start, length: end - start))
    }
    guard let symbol = symbols.symbol(named: name) else {
      return .failure(
        issue(
          "unknown name '\(ExpressionText.abbreviated(name))'",
          suggestion: NameSuggestion.didYouMean(name, among: symbols.allSymbolNames),
          offset: start, length: nameLength))
    }
    if case .duration = symbol.type {
      return .failure(
        issue(
          "'\(name)' is the call clock, which text does not show (every relay and record "
            + "carries its own time)",
          suggestion: "use it in conditions",
          offset: start, length: nameLength))
    }
    switch pieces.count {
    case 1:
      let options = if case .manyOf(let options) = symbol.type { options } else { [String]() }
      return .success(.value(slot: symbol.slot, options: options))
    case 2 where pieces[1] == "age":
      return .success(.age(slot: symbol.slot))
    case 2 where pieces[1] == "time":
      return .success(.time(slot: symbol.slot))
    default:
      let property = ExpressionText.abbreviated(pieces.dropFirst().joined(separator: "."))
      return .failure(
        issue(
          "unknown property '\(property)' in '{\(shown)}'",
          suggestion: "only '.age' and '.time' are available",
          offset: start + nameLength + 1, length: end - start - nameLength - 1))
    }
  }

  /// Whether `text` is an identifier: `[a-z][a-z0-9_]*`.
  private static func isName(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, ExpressionText.isLowercase(first) else {
      return false
    }
    return text.unicodeScalars.allSatisfy {
      ExpressionText.isLowercase($0) || ExpressionText.isDigit($0) || $0 == "_"
    }
  }

  private static func issue(
    _ message: String, suggestion: String? = nil, offset: Int, length: Int
  ) -> ExpressionIssue {
    ExpressionIssue(
      kind: .template, message: message, suggestion: suggestion, offset: offset, length: length)
  }
}
