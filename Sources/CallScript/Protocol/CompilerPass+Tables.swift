extension CompilerPass {
  // MARK: - Determinants

  func readDeterminants(
    _ top: MappingReader, levels: [(String, SourcePosition)], resources: [Resource]
  ) -> [DeterminantRule] {
    guard let items = top.list("determinants") else { return [] }
    if items.isEmpty {
      sink.error(
        top.keyPosition("determinants"), DiagnosticCode.missingDefault,
        "'determinants' is empty: give at least a default row")
    }
    return readRules(items, noun: "determinant row", levels: levels, resources: resources)
  }

  /// Reads a first-match table of response rows (`code`, `level`, `plan`, `label`).
  func readRules(
    _ items: [SourceNode], noun: String, levels: [(String, SourcePosition)],
    resources: [Resource], takenCodes: Set<String> = []
  ) -> [DeterminantRule] {
    let rows = readTable(
      items, what: noun, allowed: ["when", "code", "level", "plan", "label"],
      required: ["code", "level", "plan", "label"])
    var codes: [String: SourcePosition] = [:]
    var rules: [DeterminantRule] = []
    let levelNames = levels.map(\.0)
    let resourceIDs = Set(resources.map(\.id))
    for row in rows {
      let reader = row.reader
      guard let codeScalar = reader.scalar("code") else { continue }
      let code = codeScalar.text
      guard Self.isDeterminantCode(code) else {
        sink.error(
          codeScalar.position, DiagnosticCode.invalidIdentifier,
          "'\(SafeText.quoted(code))' is not a valid determinant code: use letters, digits "
            + "and '-', up to 16 characters")
        continue
      }
      if let first = codes[code] {
        sink.error(
          codeScalar.position, DiagnosticCode.duplicateID,
          "duplicate determinant code '\(code)'; first used at line \(first.line)")
      } else if takenCodes.contains(code) {
        sink.error(
          codeScalar.position, DiagnosticCode.duplicateID,
          "code '\(code)' is already a determinant code")
      }
      codes[code] = codeScalar.position
      var rank = 0
      if let levelScalar = reader.scalar("level") {
        if let index = levelNames.firstIndex(of: levelScalar.text) {
          rank = index
        } else {
          sink.unknownName(
            "response level", levelScalar.text, at: levelScalar.position, among: levelNames)
        }
      }
      var plan: [String] = []
      for scalar in reader.scalarList("plan") ?? [] {
        guard resourceIDs.contains(scalar.text) else {
          sink.unknownName(
            "resource", scalar.text, at: scalar.position, "in plan of '\(code)'",
            among: resources.map(\.id))
          continue
        }
        plan.append(scalar.text)
      }
      rules.append(
        DeterminantRule(
          when: row.when, code: code, level: reader.scalar("level")?.text ?? "",
          levelRank: rank, plan: plan, label: reader.text("label") ?? "",
          position: reader.position))
    }
    return rules
  }

  /// Reads the EMS and fire part of the response (`medical`), a first-match table like
  /// `determinants`; its resources may not appear in any determinant plan (`CS130`), so that
  /// holding the medical part never holds police resources.
  func readMedical(
    _ top: MappingReader, levels: [(String, SourcePosition)], resources: [Resource],
    determinants: [DeterminantRule]
  ) -> [DeterminantRule] {
    guard top.has("medical") else { return [] }
    guard let items = top.list("medical") else { return [] }
    if items.isEmpty {
      sink.error(
        top.keyPosition("medical"), DiagnosticCode.missingDefault,
        "'medical' is empty: give at least a default row")
    }
    let rules = readRules(
      items, noun: "medical row", levels: levels, resources: resources,
      takenCodes: Set(determinants.map(\.code)))
    let police = Set(determinants.flatMap(\.plan))
    for item in items {
      guard case .mapping(let entries, _) = item,
        let codeNode = entries.first(where: { $0.key.text == "code" })?.value,
        case .scalar(let code) = codeNode,
        let planNode = entries.first(where: { $0.key.text == "plan" })?.value,
        case .sequence(let scalars, _) = planNode
      else { continue }
      for node in scalars {
        guard case .scalar(let scalar) = node, police.contains(scalar.text) else { continue }
        sink.error(
          scalar.position, DiagnosticCode.responsePart,
          "resource '\(scalar.text)' in medical row '\(code.text)' is also in a determinant "
            + "plan; the police part and the EMS and fire part must not share resources")
      }
    }
    return rules
  }

  static func isDeterminantCode(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 16
      && text.unicodeScalars.allSatisfy {
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
      }
  }

  // MARK: - Dispatch points, instructions, relays, verifications

  /// Reads a list of items with unique ids, handing each reader and id to `make`.
  func readItems<Item>(
    _ top: MappingReader, _ key: String, noun: String, allowed: [String], required: [String],
    make: (MappingReader, String) -> Item?
  ) -> [Item] {
    guard let items = top.list(key) else { return [] }
    var seen: [String: SourcePosition] = [:]
    var result: [Item] = []
    for (index, item) in items.enumerated() {
      guard
        let reader = MappingReader(
          item, what: "\(noun) \(index + 1)", allowed: allowed, required: required, sink: sink),
        let (id, idPosition) = reader.identifier("id")
      else { continue }
      if let first = seen[id] {
        sink.error(
          idPosition, DiagnosticCode.duplicateID,
          "duplicate \(noun) id '\(id)'; first defined at \(sink.line(first, from: idPosition))")
        continue
      }
      seen[id] = idPosition
      if let made = make(MappingReader.renamed(reader, what: "\(noun) '\(id)'"), id) {
        result.append(made)
      }
    }
    return result
  }

  func readDispatchPoints(_ top: MappingReader) -> [DispatchPoint] {
    let points = readItems(
      top, "dispatch_points", noun: "dispatch point", allowed: ["id", "when", "label"],
      required: ["id", "when"]
    ) { reader, id in
      condition(reader, "when").map {
        DispatchPoint(
          id: id, when: $0, label: reader.has("label") ? reader.text("label") ?? id : id,
          position: reader.position)
      }
    }
    if top.has("dispatch_points"), points.isEmpty, !sink.hasErrors {
      sink.error(
        top.keyPosition("dispatch_points"), DiagnosticCode.missingKey,
        "'dispatch_points' must list at least one dispatch point")
    }
    return points
  }

  /// Reads `records`: how often a record goes out for changes that do not alter the response.
  ///
  /// `interval` is a duration; 0 sends every change at once. Without `records`,
  /// ``CallProtocol/defaultRecordInterval``.
  func readRecordInterval(_ top: MappingReader) -> Double {
    guard let node = top.node("records"),
      let reader = MappingReader(
        node, what: "'records'", allowed: ["interval"], required: ["interval"], sink: sink),
      let scalar = reader.scalar("interval")
    else { return CallProtocol.defaultRecordInterval }
    guard let interval = Self.duration(scalar.text, allowZero: true) else {
      sink.error(
        scalar.position, DiagnosticCode.invalidDuration,
        "'\(SafeText.quoted(scalar.text))' is not a duration such as '10s', '1m' or '0'")
      return CallProtocol.defaultRecordInterval
    }
    return interval
  }

  func readInstructions(_ top: MappingReader) -> [Instruction] {
    readItems(
      top, "instructions", noun: "instruction",
      allowed: ["id", "when", "say", "interrupt", "required", "hint"],
      required: ["id", "when", "say"]
    ) { reader, id in
      let when = condition(reader, "when")
      let say = localized(reader, "say")
      let interrupt = reader.bool("interrupt", default: false)
      let required = reader.bool("required", default: false)
      let hint = localized(reader, "hint")
      guard let when, let say else { return nil }
      return Instruction(
        id: id, when: when, say: say, interrupt: interrupt, required: required, hint: hint,
        position: reader.position)
    }
  }

  /// The longest a relay may be once filled in: what fits a unit's screen and one breath on
  /// the radio.
  static let relayLimit = 160

  /// How long a typical value of each slot reads in a relay, for the length lint: the longest
  /// option label (two for a many-of answer), 9 for a count ("2 or more"), 40 for text, 50 for
  /// a place, the longest word of a `cases` fact, 3 for yes/no; free text gets 5 more for a
  /// language mark ("[es] ") when the protocol has several languages.
  func typicalLengths(questions: [Question], derived: [DerivedFact]) -> [Int] {
    let mark = languages.count > 1 ? 5 : 0
    var lengths: [Int] = questions.map { question in
      let labels = question.options.map { $0.label.text().count }.sorted(by: >)
      switch question.kind {
      case .yesNo: return 3
      case .oneOf: return labels.first ?? 0
      case .manyOf: return labels.prefix(2).reduce(0, +) + (labels.count > 1 ? 2 : 0)
      case .count: return 9
      case .text: return 40 + mark
      case .location: return 50 + mark
      }
    }
    for fact in derived {
      switch fact.definition {
      case .condition, .lineDropped: lengths.append(3)
      case .incidentFact: lengths.append(20)
      case .elapsed, .observed: lengths.append(5)
      case .cases(let rows): lengths.append(rows.map(\.value.count).max() ?? 0)
      }
    }
    return lengths
  }

  func readRelays(_ top: MappingReader, typicalLengths: [Int] = []) -> [Relay] {
    readItems(
      top, "relays", noun: "relay", allowed: ["id", "when", "priority", "text", "resend_on"],
      required: ["id", "when", "text"]
    ) { reader, id in
      let when = condition(reader, "when")
      let text = template(reader, "text")
      if let text, let scalar = reader.scalar("text") {
        let longest = text.longestLength { slot in
          slot < typicalLengths.count ? typicalLengths[slot] : 40
        }
        if longest > Self.relayLimit {
          sink.warning(
            scalar.position, DiagnosticCode.relayTooLong,
            "relay '\(id)' can read \(longest) characters with typical values, over the "
              + "\(Self.relayLimit) a unit's screen and one radio breath allow; shorten it or make "
              + "parts optional with '[…]'")
        }
      }
      let priority = reader.has("priority") ? reader.integer("priority", in: 0...1000) ?? 50 : 50
      let resend = resendSlots(reader, default: text?.dependencies ?? [])
      guard let when, let text else { return nil }
      return Relay(
        id: id, when: when, priority: priority, text: text, resendOn: resend,
        position: reader.position)
    }
  }

  func readVerifications(_ top: MappingReader) -> [Verification] {
    readItems(
      top, "verifications", noun: "verification",
      allowed: ["id", "when", "confirm", "evidence", "resend_on"],
      required: ["id", "when", "confirm", "evidence"]
    ) { reader, id in
      let when = condition(reader, "when")
      let confirm = template(reader, "confirm")
      let evidence = template(reader, "evidence")
      let named = Set((confirm?.dependencies ?? []) + (evidence?.dependencies ?? [])).sorted()
      let resend = resendSlots(reader, default: named)
      guard let when, let confirm, let evidence else { return nil }
      return Verification(
        id: id, when: when, confirm: confirm, evidence: evidence, resendOn: resend,
        position: reader.position)
    }
  }

  func resendSlots(_ reader: MappingReader, default defaultSlots: [Int]) -> [Int] {
    guard reader.has("resend_on") else { return defaultSlots }
    var slots: [Int] = []
    for scalar in reader.scalarList("resend_on") ?? [] {
      guard let symbol = symbols.symbol(named: scalar.text) else {
        sink.unknownName(
          "fact", scalar.text, at: scalar.position, "in 'resend_on' of \(reader.what)",
          among: symbols.allSymbolNames)
        continue
      }
      slots.append(symbol.slot)
    }
    return Array(Set(slots)).sorted()
  }

  // MARK: - Dependencies

  /// Orders every slot after what it reads, reporting cycles.
  ///
  /// A question's effective value depends on what its `ask_if` reads (an answer that no longer
  /// applies reads as unanswered); a derived fact's on what its expressions read.
  func evaluationOrder(questions: [Question], derived: [DerivedFact]) -> [Int] {
    let count = questions.count + derived.count
    var edges = [[Int]](repeating: [], count: count)
    for question in questions {
      edges[question.slot] = question.askIf?.dependencies ?? []
    }
    for fact in derived where fact.slot < count {
      edges[fact.slot] = fact.dependencies
    }
    func name(_ slot: Int) -> String {
      slot < questions.count ? questions[slot].id : derived[slot - questions.count].id
    }
    // Iterative depth-first search: protocols may have chains thousands of items long.
    var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 on stack, 2 done
    var order: [Int] = []
    order.reserveCapacity(count)
    var reported: Set<Int> = []
    for start in 0..<count where state[start] == 0 {
      var stack: [(slot: Int, next: Int)] = [(start, 0)]
      state[start] = 1
      while let top = stack.last {
        let slot = top.slot
        let targets = edges[slot]
        if top.next < targets.count {
          stack[stack.count - 1].next += 1
          let target = targets[top.next]
          guard target >= 0, target < count else { continue }
          switch state[target] {
          case 0:
            state[target] = 1
            stack.append((target, 0))
          case 1:
            let cycleStart = stack.firstIndex { $0.slot == target } ?? 0
            let cycle = stack[cycleStart...].map(\.slot)
            reportCycle(
              cycle + [target], name: name, questions: questions, derived: derived,
              reported: &reported)
          default:
            break
          }
        } else {
          state[slot] = 2
          order.append(slot)
          stack.removeLast()
        }
      }
    }
    return order
  }

  private func reportCycle(
    _ cycle: [Int], name: (Int) -> String, questions: [Question], derived: [DerivedFact],
    reported: inout Set<Int>
  ) {
    let members = Set(cycle)
    guard reported.isDisjoint(with: members) else { return }
    reported.formUnion(members)
    let path = cycle.map { "'\(name($0))'" }.joined(separator: " -> ")
    if let questionSlot = cycle.first(where: { $0 < questions.count }) {
      let question = questions[questionSlot]
      if cycle.count == 2 { return }  // reads itself: reported where its ask_if is compiled
      sink.error(
        question.position, DiagnosticCode.neverAsked,
        "question '\(question.id)' can never be asked: its 'ask_if' depends on its own answer "
          + "through \(path)")
    } else {
      let fact = derived[cycle[0] - questions.count]
      sink.error(
        fact.position, DiagnosticCode.derivedCycle, "derived facts form a cycle: \(path)")
    }
  }
}
