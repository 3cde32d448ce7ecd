/// Words in one or more languages; the first language of the protocol is the default.
public struct LocalizedText: Sendable, Hashable {
  /// Texts by language code, in the order written.
  public var texts: [(language: String, text: String)]

  public init(_ texts: [(language: String, text: String)]) {
    self.texts = texts
  }

  /// The text in `language`, else in the first language given.
  public func text(in language: String? = nil) -> String {
    if let language, let match = texts.first(where: { $0.language == language }) {
      return match.text
    }
    return texts.first?.text ?? ""
  }

  public static func == (lhs: LocalizedText, rhs: LocalizedText) -> Bool {
    lhs.texts.map(\.language) == rhs.texts.map(\.language)
      && lhs.texts.map(\.text)
        == rhs.texts.map(\.text)
  }

  public func hash(into hasher: inout Hasher) {
    for entry in texts {
      hasher.combine(entry.language)
      hasher.combine(entry.text)
    }
  }
}

/// What kind of answer a question takes.
public enum AnswerKind: String, Sendable, Hashable, CaseIterable, Codable {
  case yesNo = "yes_no"
  case oneOf = "one_of"
  case manyOf = "many_of"
  case count
  case text
  case location

  /// How the kind reads in messages to the call-taker.
  public var summary: String {
    switch self {
    case .yesNo: "yes or no"
    case .oneOf: "one of the options"
    case .manyOf: "one or more of the options"
    case .count: "a number, a range such as 2-3, 2+ or 'several'"
    case .text: "free text"
    case .location: "a description of a place"
    }
  }
}

/// One choice of a one-of or many-of question.
public struct AnswerOption: Sendable, Hashable {
  public var id: String
  public var label: LocalizedText
  public var key: Character
  /// For a question that dates other facts (`dates`): how long before the answer the facts
  /// were seen or heard, in seconds.
  public var ago: Double?
  public var position: SourcePosition
}

/// A check applied to a proposed answer before it is accepted.
public struct AnswerCheck: Sendable, Hashable {
  public enum Level: String, Sendable, Hashable {
    /// The answer is refused and the session stays as it was.
    case reject
    /// The answer is accepted and the call-taker is warned.
    case warn
  }

  public var level: Level
  package var condition: CompiledCondition
  public var message: LocalizedText
}

/// A row of a question's `priority_if`: the priority the question takes while `when` holds.
public struct PriorityRule: Sendable, Hashable {
  package var when: CompiledCondition
  public var priority: Int
}

/// A question the call-taker may ask.
public struct Question: Sendable, Hashable {
  public var id: String
  public var slot: Int
  public var ask: LocalizedText
  /// A short human name for the question's fact ("Attacker's location"), shown to the
  /// call-taker and in reviews where the id would otherwise appear; `/set` and Tab keep the id.
  public var label: LocalizedText
  public var kind: AnswerKind
  public var priority: Int
  public var options: [AnswerOption]
  public var allowUnknown: Bool
  public var allowRefused: Bool
  package var askIf: CompiledCondition?
  /// Seconds after which an answered question is due again while it applies.
  public var reaskEvery: Double?
  /// Condition under which a due re-ask is made (default: whenever the question applies).
  package var reaskIf: CompiledCondition?
  public var required: Bool
  public var checks: [AnswerCheck]
  public var fills: RecordField?
  public var hint: LocalizedText?
  /// Question slots whose facts this question's answer dates ("when did you last see the
  /// attacker" dates the attacker's position); its options say how long ago, in `ago`.
  public var dates: [Int] = []
  /// Priorities that replace `priority` while their condition holds; the first row that holds
  /// wins (`priority_if`).
  public var priorityIf: [PriorityRule] = []
  /// The item of the phone system's call data that answers this question (`call_data`:
  /// `callback` or `location`); such a question is answered when the call comes in.
  public var callData: String?
  /// The fact is expected to change during a call (`expect_change`: a device found later, a
  /// count that grows): a changed answer raises no "conflicting reports" verification.
  public var expectChange = false
  public var position: SourcePosition

  /// The priority the question has with these facts: the first `priority_if` row that holds,
  /// else `priority`.
  public func priority(with values: [FactValue]) -> Int {
    priorityIf.first { $0.when.evaluate(values) }?.priority ?? priority
  }

  /// The option with this id, if the question has one.
  public func option(id: String) -> AnswerOption? {
    options.first { $0.id == id }
  }
}

/// Facts the engine gives a protocol that names them in an expression or a template.
public enum BuiltInFact {
  /// Yes from the moment the caller's line drops until the caller is reached again.
  ///
  /// No otherwise. A condition, like a derived fact defined with `expr`.
  public static let lineDropped = "line_dropped"
  /// Every built-in fact's name; a protocol may not give its own questions or facts these ids.
  ///
  /// The incident's facts (``IncidentFact``, `incident.attacker_count`) are built in as well.
  public static let names = [lineDropped]
}

/// A fact computed from answers.
public struct DerivedFact: Sendable, Hashable {
  package enum Definition: Sendable, Hashable {
    /// A condition: the fact is yes or no.
    case condition(CompiledCondition)
    /// A first-match table of words; the last row (`when` nil) is the default.
    case cases([(when: CompiledCondition?, value: String)])
    /// Given by the engine, not the file: yes while the caller's line is down
    /// (``BuiltInFact/lineDropped``).
    case lineDropped
    /// Given by the engine from the call's `incident_facts` events: the incident fact `name`
    /// (without the `incident.` prefix, see ``IncidentFact``).
    case incidentFact(String)
    /// Given by the engine: the call-clock time in milliseconds (``BuiltInTime/elapsed``).
    case elapsed
    /// Given by the engine: when question `question`'s fact was observed, in call-clock
    /// milliseconds (``Session/observedAt(_:)``: its answer's time, moved back by the answers
    /// to `daters`, the questions that date it); what `age(q)` reads.
    case observed(question: Int, daters: [Int])

    package static func == (lhs: Definition, rhs: Definition) -> Bool {
      switch (lhs, rhs) {
      case (.condition(let a), .condition(let b)): a == b
      case (.lineDropped, .lineDropped): true
      case (.incidentFact(let a), .incidentFact(let b)): a == b
      case (.elapsed, .elapsed): true
      case (.observed(let a, let c), .observed(let b, let d)): a == b && c == d
      case (.cases(let a), .cases(let b)):
        a.map(\.when) == b.map(\.when) && a.map(\.value) == b.map(\.value)
      default: false
      }
    }

    package func hash(into hasher: inout Hasher) {
      switch self {
      case .condition(let condition): hasher.combine(condition)
      case .lineDropped: hasher.combine(BuiltInFact.lineDropped)
      case .incidentFact(let name): hasher.combine(IncidentFact.prefix + name)
      case .elapsed: hasher.combine(BuiltInTime.elapsed)
      case .observed(let question, let daters):
        hasher.combine(question)
        hasher.combine(daters)
      case .cases(let rows):
        for row in rows {
          hasher.combine(row.when)
          hasher.combine(row.value)
        }
      }
    }
  }

  public var id: String
  public var slot: Int
  package var definition: Definition
  public var fills: RecordField?

  /// The slots the fact's value is computed from.
  public var dependencies: [Int] {
    switch definition {
    case .condition(let condition): condition.dependencies
    case .cases(let rows): Array(Set(rows.flatMap { $0.when?.dependencies ?? [] })).sorted()
    case .lineDropped, .incidentFact, .elapsed: []
    case .observed(let question, let daters): [question] + daters
    }
  }
  public var position: SourcePosition
}

/// A resource a response plan can send.
public struct Resource: Sendable, Hashable {
  public var id: String
  public var label: String
}

/// A row of the determinant table: first match wins.
public struct DeterminantRule: Sendable, Hashable {
  /// Nil for the default row.
  package var when: CompiledCondition?
  public var code: String
  public var level: String
  /// Index of `level` in the protocol's response levels (higher is more severe).
  public var levelRank: Int
  public var plan: [String]
  public var label: String
  public var position: SourcePosition
}

/// A condition under which a dispatch record goes out.
public struct DispatchPoint: Sendable, Hashable {
  public var id: String
  package var when: CompiledCondition
  public var label: String
  public var position: SourcePosition
}

/// Words to read to the caller.
public struct Instruction: Sendable, Hashable {
  public var id: String
  package var when: CompiledCondition
  public var say: LocalizedText
  public var interrupt: Bool
  public var required: Bool
  public var hint: LocalizedText?
  public var position: SourcePosition
}

/// A radio-ready line for responding units.
public struct Relay: Sendable, Hashable {
  public var id: String
  package var when: CompiledCondition
  public var priority: Int
  package var text: CompiledTemplate
  /// Slots whose change sends the relay again.
  public var resendOn: [Int]
  public var position: SourcePosition
}

/// What arriving units must confirm, and what the report rests on.
public struct Verification: Sendable, Hashable {
  public var id: String
  package var when: CompiledCondition
  package var confirm: CompiledTemplate
  package var evidence: CompiledTemplate
  public var resendOn: [Int]
  public var position: SourcePosition
}

/// A fact the supervisor's review follows from the caller to the units (`review.facts`).
///
/// The review measures when an answer first made it known, when a record or a relay first
/// carried it out, and scores a fact known and never sent out at its `severity`
/// (docs/review.md).
public struct ReviewFact: Sendable, Hashable {
  public var id: String
  /// How reports name it: its `label`, else the id with spaces for underscores.
  public var title: String
  /// The weight of the miss when the fact was known and never went out.
  public var severity: MissSeverity
  /// The question slots whose known answers establish it, in the order written.
  public var questions: [Int]
  /// The relay (an index into the protocol's relays) that must carry it to units; when set,
  /// only this relay counts as carrying it.
  public var relay: Int?
  /// Seconds from known to `relay` carrying it, at most; later is a miss.
  public var within: Double?
  public var position: SourcePosition
}

/// A compiled protocol: every name resolved, every expression type-checked.
public struct CallProtocol: Sendable {
  public var id: String
  public var version: String
  public var title: String
  public var description: String?
  public var languages: [String]
  /// Languages that translate only some texts on purpose (`partial_languages`); a text
  /// without them is shown in the first language.
  public var partialLanguages: [String] = []
  public var responseLevels: [String]
  public var resources: [Resource]
  public var questions: [Question]
  public var derived: [DerivedFact]
  public var determinants: [DeterminantRule]
  /// The EMS and fire part of the response (`medical`), a first-match table; empty when the
  /// protocol gives the whole response in `determinants`.
  public var medical: [DeterminantRule] = []
  public var dispatchPoints: [DispatchPoint]
  public var instructions: [Instruction]
  public var relays: [Relay]
  public var verifications: [Verification]
  /// The facts the review follows and scores (`review.facts`), in the order written; empty
  /// when the protocol declares none, and its review then has the generic metrics only.
  public var reviewFacts: [ReviewFact] = []
  /// Seconds between records for changes that do not alter the response.
  ///
  /// From `records: interval:`; 0 sends a record at every change. See docs/records.md, "When
  /// a record goes out".
  public var recordInterval = CallProtocol.defaultRecordInterval
  /// Questions take slots `0..<questions.count`; derived facts follow.
  public var slotCount: Int { questions.count + derived.count }
  /// Every slot in an order where each comes after everything its value depends on.
  public var evaluationOrder: [Int]
  /// Question indices, highest priority first, file order breaking ties.
  public var askingOrder: [Int]
  /// The file the protocol was compiled from, as named to the compiler.
  public var file: String
  /// Slots by question or derived-fact id.
  public var slotsByName: [String: Int]
  /// The conditions in flat tables, for the engine's hot path.
  package internal(set) var tables = EvaluationTables.empty
  /// For each question slot, the questions whose answers date its fact (their `dates`).
  public internal(set) var datedBy: [[Int]] = []

  /// The slot of the built-in fact `line_dropped` (the last derived slot), nil when the
  /// protocol never names it.
  public internal(set) var lineDroppedSlot: Int?

  /// The incident facts the protocol reads (`incident.attacker_count`), in slot order; empty
  /// when it reads none, and then its calls take no `incident_facts` events.
  public internal(set) var incidentFacts: [IncidentFact.Reading] = []

  /// Whether any question has `priority_if`, so the asking order depends on the facts.
  public internal(set) var hasConditionalPriority = false

  /// The default language.
  public var language: String { languages.first ?? "en" }

  /// The record interval of a protocol that does not give one: 10 seconds.
  public static let defaultRecordInterval = 10.0

  /// The slot of a question or derived fact by id.
  public func slot(named name: String) -> Int? {
    slotsByName[name]
  }

  /// The id of the question or derived fact in a slot.
  public func name(ofSlot slot: Int) -> String {
    slot < questions.count ? questions[slot].id : derived[slot - questions.count].id
  }

  /// The question with this id.
  public func question(id: String) -> Question? {
    guard let slot = slotsByName[id], slot < questions.count else { return nil }
    return questions[slot]
  }
}
