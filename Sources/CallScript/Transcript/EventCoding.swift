import Foundation

/// A JSON value with a deterministic encoding: object keys sorted, no insignificant whitespace.
///
/// Transcripts hash the exact bytes of each line, so the same value must always give the same
/// bytes; this small encoder guarantees it independently of Foundation's formatting choices.
public indirect enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// Canonical JSON text.
  public var canonical: String {
    var output = ""
    write(to: &output)
    return output
  }

  func write(to output: inout String) {
    switch self {
    case .null: output += "null"
    case .bool(let value): output += value ? "true" : "false"
    case .number(let value): output += JSONValue.format(value)
    case .string(let value): JSONValue.writeString(value, to: &output)
    case .array(let items):
      output += "["
      for (index, item) in items.enumerated() {
        if index > 0 { output += "," }
        item.write(to: &output)
      }
      output += "]"
    case .object(let members):
      output += "{"
      for (index, key) in members.keys.sorted().enumerated() {
        if index > 0 { output += "," }
        JSONValue.writeString(key, to: &output)
        output += ":"
        members[key]?.write(to: &output)
      }
      output += "}"
    }
  }

  /// Integers without a fraction; others with up to millisecond precision, trailing zeros cut.
  public static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  static func writeString(_ value: String, to output: inout String) {
    output += "\""
    // Most text needs no escaping: append it whole.
    if !value.utf8.contains(where: {
      $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2
    }) {
      output += value
      output += "\""
      return
    }
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }

  /// Parses JSON text into a value; nil when it is not JSON (RFC 8259, strictly: no duplicate
  /// key, no lone surrogate) or nests deeper than `maxDepth`.
  ///
  /// One byte-level parser (``JSONBytes``) reads every JSON the program takes: jsonl input,
  /// transcripts, incident store rows.
  public static func parse(_ data: Data, maxDepth: Int = 32) -> JSONValue? {
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var parser = JSONBytes(bytes: bytes, start: 0, end: bytes.count, maxDepth: maxDepth)
      return parser.document()
    }
  }

  /// Why `data` is not one JSON value, in words, or nil when it is.
  public static func problem(_ data: Data, maxDepth: Int = 32) -> String? {
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var parser = JSONBytes(bytes: bytes, start: 0, end: bytes.count, maxDepth: maxDepth)
      guard parser.document() == nil else { return nil }
      if let key = parser.duplicateKey { return "the key \"\(key.prefix(40))\" appears twice" }
      if parser.tooDeep { return "it nests deeper than \(maxDepth) levels" }
      return "it is not valid JSON"
    }
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var number: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  public var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }
}

extension FactValue {
  /// The self-describing transcript form: `{"option":"firearm"}`, `{"count":{"low":2,"high":3}}`.
  public var json: JSONValue {
    switch self {
    case .unanswered: .object(["unanswered": .bool(true)])
    case .unknown: .object(["unknown": .bool(true)])
    case .refused: .object(["refused": .bool(true)])
    case .yesNo(let yes): .object(["yes_no": .bool(yes)])
    case .option(let id): .object(["option": .string(id)])
    case .options(let ids): .object(["options": .array(ids.sorted().map { .string($0) })])
    case .count(let low, let high):
      .object([
        "count": .object([
          "low": .number(Double(low)), "high": high.map { .number(Double($0)) } ?? .null,
        ])
      ])
    case .text(let text): .object(["text": .string(text)])
    case .condition(let value): .object(["condition": .bool(value)])
    case .word(let word): .object(["word": .string(word)])
    }
  }

  /// Reads the transcript form back; nil when it is not one.
  public init?(json: JSONValue) {
    guard case .object(let members) = json, members.count == 1, let (key, value) = members.first
    else { return nil }
    switch (key, value) {
    case ("unknown", .bool(true)): self = .unknown
    case ("refused", .bool(true)): self = .refused
    case ("yes_no", .bool(let yes)): self = .yesNo(yes)
    case ("option", .string(let id)): self = .option(id)
    case ("options", .array(let items)):
      let ids = items.compactMap(\.string)
      guard ids.count == items.count else { return nil }
      self = .options(Set(ids))
    case ("count", .object(let range)):
      guard let low = range["low"]?.number, low == low.rounded(), low >= 0, low < 1e9 else {
        return nil
      }
      switch range["high"] {
      case .number(let high)? where high == high.rounded() && high >= low && high < 1e9:
        self = .count(low: Int(low), high: Int(high))
      case .null?, nil: self = .count(low: Int(low), high: nil)
      default: return nil
      }
    case ("text", .string(let text)): self = .text(text)
    default: return nil
    }
  }
}

extension SessionEvent {
  /// The event's payload as recorded in transcripts.
  public var payload: JSONValue {
    switch self {
    case .answer(let question, let value):
      .object(["question": .string(question), "value": value.json])
    case .callData(let item, let question, let value):
      .object(["item": .string(item), "question": .string(question), "value": value.json])
    case .note(let text): .object(["text": .string(text)])
    case .override(let code, let reason):
      .object(["code": .string(code), "reason": .string(reason)])
    case .confirm(let verification, let confirmed, let unit, let note):
      .object([
        "verification": .string(verification), "confirmed": .bool(confirmed),
        "unit": unit.map { .string($0) } ?? .null, "note": note.map { .string($0) } ?? .null,
      ])
    case .link(let incident): .object(["incident": .string(incident)])
    case .aired(let relay): .object(["relay": .string(relay)])
    case .incidentFacts(let incident, let facts):
      .object(["incident": .string(incident), "facts": .object(facts.mapValues(\.json))])
    case .back, .disconnect, .callback, .end, .unlink: .object([:])
    }
  }

  /// Reads an event from its type name and payload; nil when they do not make one.
  public init?(type: String, payload: JSONValue) {
    switch type {
    case "answer":
      guard let question = payload["question"]?.string,
        let value = payload["value"].flatMap(FactValue.init(json:))
      else { return nil }
      self = .answer(question: question, value: value)
    case "call_data":
      guard let item = payload["item"]?.string, let question = payload["question"]?.string,
        let value = payload["value"].flatMap(FactValue.init(json:))
      else { return nil }
      self = .callData(item: item, question: question, value: value)
    case "note":
      guard let text = payload["text"]?.string else { return nil }
      self = .note(text)
    case "back": self = .back
    case "override":
      guard let code = payload["code"]?.string, let reason = payload["reason"]?.string else {
        return nil
      }
      self = .override(code: code, reason: reason)
    case "confirm":
      guard let id = payload["verification"]?.string, let confirmed = payload["confirmed"]?.bool
      else { return nil }
      self = .confirm(
        verification: id, confirmed: confirmed, unit: payload["unit"]?.string,
        note: payload["note"]?.string)
    case "disconnect": self = .disconnect
    case "callback": self = .callback
    case "end": self = .end
    case "link":
      guard let incident = payload["incident"]?.string else { return nil }
      self = .link(incident: incident)
    case "unlink": self = .unlink
    case "incident_facts":
      guard let incident = payload["incident"]?.string,
        case .object(let members)? = payload["facts"]
      else { return nil }
      var facts: [String: FactValue] = [:]
      for (name, json) in members {
        guard let value = FactValue(json: json) else { return nil }
        facts[name] = value
      }
      self = .incidentFacts(incident: incident, facts: facts)
    case "aired":
      guard let relay = payload["relay"]?.string else { return nil }
      self = .aired(relay: relay)
    default: return nil
    }
  }
}
