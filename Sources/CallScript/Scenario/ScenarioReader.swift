import Foundation

/// Reads scenario files, reporting problems as diagnostics with positions.
public enum ScenarioReader {
  static let stepActions = [
    "answer", "set", "note", "back", "override", "confirm", "disconnect", "callback", "end", "wait",
  ]
  static let stepKeys =
    stepActions + ["at", "after", "ask", "expect", "reason", "confirmed", "unit", "value"]
  static let expectKeys = [
    "error", "record", "determinant", "say", "not_say", "relay", "verify", "warn", "next",
    "off_route", "eido", "not_eido", "due", "plan", "not_plan", "not_relay",
  ]
  static let finalKeys = [
    "asked", "first_record_step", "determinant", "last_record", "instructions",
    "not_instructions", "relays", "verifications", "no_record", "last_eido", "not_relays",
    "plan", "not_plan",
  ]

  /// Parses a scenario file's bytes.
  public static func read(data: Data, file: String) -> (Scenario?, [Diagnostic]) {
    let text: String
    switch SourceReader.decode(data, file: file) {
    case .failure(let diagnostic): return (nil, [diagnostic])
    case .success(let decoded): text = decoded
    }
    let (root, diagnostics) = SourceReader.read(text, file: file)
    guard let root else { return (nil, diagnostics) }
    let sink = DiagnosticSink(file: file)
    let scenario = parse(root, file: file, sink: sink)
    return (sink.hasErrors ? nil : scenario, sink.diagnostics)
  }

  static func parse(_ root: SourceNode, file: String, sink: DiagnosticSink) -> Scenario? {
    guard
      let top = MappingReader(
        root, what: "the scenario file",
        allowed: ["scenario", "description", "protocol", "language", "call", "steps", "expect"],
        required: ["scenario", "steps"], sink: sink)
    else { return nil }
    var steps: [Scenario.Step] = []
    var time = 0.0
    for (index, item) in (top.list("steps") ?? []).enumerated() {
      guard
        let reader = MappingReader(
          item, what: "step \(index + 1)", allowed: stepKeys, required: [], sink: sink)
      else { continue }
      let actions = stepActions.filter { reader.has($0) && $0 != "wait" }
      if actions.count > 1 {
        sink.error(
          reader.position, DiagnosticCode.conflictingKeys,
          "step \(index + 1) has several actions (\(actions.joined(separator: ", ")))",
          suggestion: "give one")
        continue
      }
      // Each step moves the clock on 5 s unless it says when it happens (`at`) or how long
      // after the step before (`after`: the caller taking their time).
      if reader.has("at"), let after = reader.scalar("after") {
        sink.error(
          after.position, DiagnosticCode.conflictingKeys, "give 'at' or 'after' on a step, not both"
        )
        continue
      }
      if let after = reader.scalar("after") {
        guard let seconds = CompilerPass.duration(after.text) else {
          sink.error(
            after.position, DiagnosticCode.invalidDuration,
            "'after' must be a duration such as 40s or 2m")
          continue
        }
        time += seconds
      } else if let at = reader.scalar("at") {
        guard let value = Double(at.text), value.isFinite, value >= time else {
          sink.error(
            at.position, DiagnosticCode.invalidNumber,
            "'at' must be seconds since the call started, not before the previous step")
          continue
        }
        time = value
      } else {
        time += 5
      }
      if let wait = reader.scalar("wait") {
        guard let seconds = CompilerPass.duration(wait.text) else {
          sink.error(wait.position, DiagnosticCode.invalidDuration, "'wait' must be a duration")
          continue
        }
        time += seconds
      }
      guard let action = action(reader, actions.first, sink: sink) else { continue }
      steps.append(
        Scenario.Step(
          action: action, at: time, ask: reader.scalar("ask")?.text,
          expect: expectations(reader, sink: sink), position: reader.position))
    }
    var scenario = Scenario(
      name: top.text("scenario") ?? file, file: file, protocolPath: top.scalar("protocol")?.text,
      language: top.scalar("language")?.text, callData: callData(top, sink: sink), steps: steps,
      final: final(top, sink: sink))
    scenario.position = top.has("expect") ? top.keyPosition("expect") : top.keyPosition("scenario")
    return scenario
  }

  static func action(_ reader: MappingReader, _ name: String?, sink: DiagnosticSink)
    -> Scenario.Step.Action?
  {
    switch name {
    case "answer": return input(reader, "answer").map { .answer($0) }
    case "set":
      guard let question = reader.scalar("set")?.text else { return nil }
      guard let value = input(reader, "value") ?? input(reader, "answer") else {
        sink.error(reader.position, DiagnosticCode.missingKey, "'set' needs a 'value'")
        return nil
      }
      return .set(question: question, input: value)
    case "note": return reader.scalar("note").map { .note($0.text) }
    case "back": return .back
    case "override":
      guard let code = reader.scalar("override")?.text else { return nil }
      return .override(code: code, reason: reader.scalar("reason")?.text ?? "")
    case "confirm":
      guard let id = reader.scalar("confirm")?.text else { return nil }
      return .confirm(
        verification: id, confirmed: reader.bool("confirmed", default: true),
        unit: reader.scalar("unit")?.text)
    case "disconnect": return .disconnect
    case "callback": return .callback
    case "end": return .end
    default: return .wait
    }
  }

  /// An answer as typed: text, or a list of option keys/ids joined by commas.
  static func input(_ reader: MappingReader, _ key: String) -> String? {
    guard let node = reader.node(key) else { return nil }
    switch node {
    case .scalar(let scalar): return scalar.text
    case .sequence(let items, _):
      return items.compactMap { item -> String? in
        if case .scalar(let scalar) = item { return scalar.text }
        return nil
      }.joined(separator: ",")
    case .mapping(_, let position):
      reader.sink.error(position, DiagnosticCode.wrongType, "'\(key)' must be text or a list")
      return nil
    }
  }

  /// The items of `call:`, what the phone system and CAD give with the call.
  static func callData(_ top: MappingReader, sink: DiagnosticSink) -> [(
    item: String, text: String
  )] {
    guard let node = top.node("call"),
      let reader = MappingReader(
        node, what: "'call'", allowed: CompilerPass.callDataItems, required: [], sink: sink)
    else { return [] }
    return CompilerPass.callDataItems.compactMap { item in
      reader.scalar(item).map { (item, $0.text) }
    }
  }

  static func strings(_ reader: MappingReader, _ key: String) -> [String] {
    guard let node = reader.node(key) else { return [] }
    if case .scalar(let scalar) = node { return [scalar.text] }
    return reader.scalarList(key)?.map(\.text) ?? []
  }

  static func expectations(_ step: MappingReader, sink: DiagnosticSink) -> Scenario.Expectations {
    var result = Scenario.Expectations()
    guard let node = step.node("expect"),
      let reader = MappingReader(
        node, what: "'expect' of \(step.what)", allowed: expectKeys, required: [], sink: sink)
    else { return result }
    result.error = reader.scalar("error")?.text
    if reader.has("record") { result.record = reader.bool("record", default: true) }
    result.determinant = reader.scalar("determinant")?.text
    result.say = strings(reader, "say")
    result.notSay = strings(reader, "not_say")
    result.relay = strings(reader, "relay")
    result.verify = strings(reader, "verify")
    result.warn = strings(reader, "warn")
    result.next = reader.scalar("next")?.text
    result.offRoute = strings(reader, "off_route")
    result.due = strings(reader, "due")
    result.eido = eidoPaths(reader, "eido").map { ($0.path, $0.text) }
    result.notEIDO = eidoPaths(reader, "not_eido").map { ($0.path, $0.text) }
    result.plan = strings(reader, "plan")
    result.notPlan = strings(reader, "not_plan")
    result.notRelay = strings(reader, "not_relay")
    return result
  }

  /// A mapping of EIDO paths (`incidentComponent.incidentTypeCommonRegistryText`) to text.
  static func eidoPaths(_ reader: MappingReader, _ key: String)
    -> [(path: String, text: String, position: SourcePosition)]
  {
    guard let node = reader.node(key) else { return [] }
    guard case .mapping(let entries, _) = node else {
      reader.sink.error(
        node.position, DiagnosticCode.wrongType, "'\(key)' must map EIDO paths to expected text")
      return []
    }
    // A path maps to one text, or to a list of texts that must all be found there.
    return entries.flatMap { entry -> [(path: String, text: String, position: SourcePosition)] in
      switch entry.value {
      case .scalar(let scalar): return [(entry.key.text, scalar.text, entry.key.position)]
      case .sequence(let items, _):
        return items.compactMap { item in
          guard case .scalar(let scalar) = item else { return nil }
          return (entry.key.text, scalar.text, entry.key.position)
        }
      case .mapping(_, let position):
        reader.sink.error(
          position, DiagnosticCode.wrongType, "expected text or a list of texts for an EIDO path")
        return []
      }
    }
  }

  static func final(_ top: MappingReader, sink: DiagnosticSink) -> Scenario.Final {
    var result = Scenario.Final()
    guard let node = top.node("expect"),
      let reader = MappingReader(
        node, what: "the scenario's 'expect'", allowed: finalKeys, required: [], sink: sink)
    else { return result }
    for key in finalKeys where reader.has(key) { result.positions[key] = reader.keyPosition(key) }
    if reader.has("asked") { result.asked = strings(reader, "asked") }
    result.firstRecordStep = reader.integer("first_record_step", in: 1...100_000)
    result.determinant = reader.scalar("determinant")?.text
    result.instructions = strings(reader, "instructions")
    result.notInstructions = strings(reader, "not_instructions")
    result.relays = strings(reader, "relays")
    result.verifications = strings(reader, "verifications")
    result.noRecord = reader.bool("no_record", default: false)
    result.lastEIDO = eidoPaths(reader, "last_eido")
    result.notRelays = strings(reader, "not_relays")
    result.plan = strings(reader, "plan")
    result.notPlan = strings(reader, "not_plan")
    if let recordNode = reader.node("last_record") {
      guard case .mapping(let entries, _) = recordNode else {
        sink.error(
          recordNode.position, DiagnosticCode.wrongType,
          "'last_record' must map record fields to expected text")
        return result
      }
      for entry in entries {
        guard let field = RecordField(rawValue: entry.key.text) else {
          sink.error(
            entry.key.position, DiagnosticCode.unknownRecordField,
            "unknown record field '\(entry.key.text)'",
            suggestion: NameSuggestion.didYouMean(
              entry.key.text, among: RecordField.allCases.map(\.rawValue)))
          continue
        }
        guard case .scalar(let scalar) = entry.value else { continue }
        result.lastRecord.append((field, scalar.text, entry.key.position))
      }
    }
    return result
  }
}
