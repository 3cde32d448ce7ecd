import Foundation

/// A difference between what a scenario expected and what the session did.
public struct ScenarioFailure: Sendable, Hashable {
  /// 1-based step number; nil for whole-call expectations.
  public var step: Int?
  public var position: SourcePosition
  public var message: String
}

/// What a set of scenarios reached in a protocol.
public struct Coverage: Sendable, Hashable {
  public var questions: Set<String> = []
  public var options: Set<String> = []
  public var determinantRows: Set<String> = []
  public var instructions: Set<String> = []
  public var relays: Set<String> = []
  public var verifications: Set<String> = []

  public init() {}

  public mutating func merge(_ other: Coverage) {
    questions.formUnion(other.questions)
    options.formUnion(other.options)
    determinantRows.formUnion(other.determinantRows)
    instructions.formUnion(other.instructions)
    relays.formUnion(other.relays)
    verifications.formUnion(other.verifications)
  }

  /// What no scenario reached, by category, in protocol order.
  public func missing(in callProtocol: CallProtocol) -> [(category: String, items: [String])] {
    let options = callProtocol.questions.flatMap { question in
      question.options.map { "\(question.id).\($0.id)" }
    }
    return [
      ("questions", callProtocol.questions.map(\.id).filter { !questions.contains($0) }),
      ("options", options.filter { !self.options.contains($0) }),
      (
        "determinant rows",
        callProtocol.determinants.map(\.code).filter {
          !determinantRows.contains($0)
        }
      ),
      ("instructions", callProtocol.instructions.map(\.id).filter { !instructions.contains($0) }),
      ("relays", callProtocol.relays.map(\.id).filter { !relays.contains($0) }),
      (
        "verifications",
        callProtocol.verifications.map(\.id).filter {
          !verifications.contains($0)
        }
      ),
    ]
  }

  /// Reached items over all items, by category.
  public func totals(in callProtocol: CallProtocol) -> [(
    category: String, reached: Int, total: Int
  )] {
    let missing = missing(in: callProtocol)
    let totals = [
      callProtocol.questions.count,
      callProtocol.questions.reduce(0) { $0 + $1.options.count },
      callProtocol.determinants.count, callProtocol.instructions.count, callProtocol.relays.count,
      callProtocol.verifications.count,
    ]
    return zip(missing, totals).map { ($0.category, $1 - $0.items.count, $1) }
  }
}

/// The result of running one scenario.
public struct ScenarioResult: Sendable {
  public var scenario: Scenario
  public var failures: [ScenarioFailure]
  public var coverage: Coverage
  /// Every event accepted, with its time and the prompt it answered, in order: enough to
  /// rebuild the call and write its transcript.
  public var events: [Transcript.Entry]
  /// Every record that went out.
  public var records: [RecordSnapshot]
  public var passed: Bool { failures.isEmpty }
}

/// Plays a scenario against a compiled protocol and checks its expectations.
public enum ScenarioRunner {
  /// The fixed who-and-when of a scenario call, so its transcript and records are reproducible:
  /// the call id is the scenario file's name, the start 2026-01-01T00:00:00Z.
  public static func context(for scenario: Scenario) -> CallContext {
    let name = scenario.file.split(separator: "/").last.map(String.init) ?? scenario.file
    let callID =
      name.hasSuffix(".scenario.yaml")
      ? String(name.dropLast(".scenario.yaml".count))
      : name.hasSuffix(".yaml") ? String(name.dropLast(".yaml".count)) : name
    return CallContext(
      callID: callID, startedAt: Date(timeIntervalSince1970: 1_767_225_600),
      agencyID: "psap.callscript.example", agentID: "position-1")
  }

  /// The text of the EIDO document at a dotted path; arrays match if any element does.
  static func eidoTexts(_ value: JSONValue, path: ArraySlice<Substring>) -> [String] {
    if case .array(let items) = value {
      return items.flatMap { eidoTexts($0, path: path) }
    }
    guard let key = path.first else {
      if case .string(let text) = value { return [text] }
      return [value.canonical]
    }
    guard let next = value[String(key)] else { return [] }
    return eidoTexts(next, path: path.dropFirst())
  }

  /// Failures for EIDO expectations against a record: each text must be found at its path, or
  /// with `absent`, found nowhere there.
  static func checkEIDO(
    _ expectations: [(path: String, text: String)], record: RecordSnapshot?,
    context: CallContext, callProtocol: CallProtocol, absent: Bool = false
  ) -> [String] {
    guard !expectations.isEmpty else { return [] }
    guard let record else { return ["expected an EIDO record, but none went out"] }
    let data = EIDOEncoder.document(for: record, context: context, callProtocol: callProtocol)
    guard let document = JSONValue.parse(data, maxDepth: 64) else {
      return ["the EIDO record is not JSON"]
    }
    var failures: [String] = []
    for (path, text) in expectations {
      let found = eidoTexts(document, path: path.split(separator: ".")[...])
      if absent {
        for match in found where contains(match, text) {
          failures.append(
            "expected EIDO '\(path)' not to contain '\(text)' in record #\(record.sequence), "
              + "found '\(match.prefix(80))'")
        }
        continue
      }
      if !found.contains(where: { contains($0, text) }) {
        failures.append(
          "expected EIDO '\(path)' to contain '\(text)' in record #\(record.sequence), found "
            + (found.isEmpty ? "nothing" : list(found.map { String($0.prefix(80)) })))
      }
    }
    return failures
  }

  public static func run(_ scenario: Scenario, on callProtocol: CallProtocol) -> ScenarioResult {
    let context = context(for: scenario)
    var driver = CallDriver(
      session: Session(callProtocol: callProtocol, language: scenario.language))
    var failures: [ScenarioFailure] = []
    var coverage = Coverage()
    var asked: [String] = []
    var given: [String] = []
    var relayTexts: [String] = []
    var verificationTexts: [String] = []
    var records: [RecordSnapshot] = []
    var events: [Transcript.Entry] = []
    var firstRecordStep: Int?

    func absorb(_ outcome: StepOutcome, records stepRecords: [RecordSnapshot], step: Int) {
      for instruction in outcome.instructions {
        given.append(instruction.id)
        coverage.instructions.insert(instruction.id)
      }
      for relay in outcome.relays {
        relayTexts.append(relay.text)
        coverage.relays.insert(relay.id)
        // Lint checks relays with typical values; a scenario checks them with the caller's own
        // words, which are what units hear.
        let length = relay.text.count
        if length > CompilerPass.relayLimit {
          failures.append(
            ScenarioFailure(
              step: step == 0 ? nil : step,
              position: step == 0 ? .start : scenario.steps[step - 1].position,
              message: "relay '\(relay.id)' is \(length) characters, over the "
                + "\(CompilerPass.relayLimit) a radio line takes: '\(relay.text)'; "
                + "split it or leave out optional segments"))
        }
      }
      for verification in outcome.verifications {
        verificationTexts.append(verification.confirm + " — " + verification.evidence)
        coverage.verifications.insert(verification.id)
      }
      if let determinant = outcome.determinant {
        coverage.determinantRows.insert(determinant.code)
      }
      records += stepRecords
      if !stepRecords.isEmpty, firstRecordStep == nil { firstRecordStep = step }
    }
    // An expectation naming an id the protocol does not have could never fail: stop here.
    let unknown = ScenarioCheck.unknownIDs(in: scenario, for: callProtocol)
    if !unknown.isEmpty {
      return ScenarioResult(
        scenario: scenario, failures: unknown, coverage: coverage, events: [], records: [])
    }
    absorb(driver.startOutcome, records: [], step: 0)
    for (item, text) in scenario.callData {
      let result = driver.handle(.callData(item: item, text: text), at: 0) { event, at, prompt in
        events.append(
          Transcript.Entry(sequence: events.count + 1, at: at, event: event, prompt: prompt))
      }
      if let error = result.error {
        failures.append(
          ScenarioFailure(
            step: nil, position: .start, message: "call data '\(item)' refused: \(error)"))
      }
      if let step = result.step { absorb(step, records: result.records, step: 0) }
    }
    if let prompt = driver.prompt { coverage.questions.insert(prompt.questionID) }

    for (offset, step) in scenario.steps.enumerated() {
      let number = offset + 1
      func fail(_ message: String) {
        failures.append(ScenarioFailure(step: number, position: step.position, message: message))
      }
      // What the caller is asked is what was on screen before the step's time passed.
      // A step whose question is not on screen would feed its answer to another question, and
      // every failure after it would be noise: the scenario stops here.
      if let expected = step.ask, driver.prompt?.questionID != expected {
        fail(
          "expected question '\(expected)' on screen, found "
            + (driver.prompt.map { "'\($0.questionID)'" } ?? "none") + ": "
            + ScenarioCheck.whyNotAsked(expected, instead: driver.prompt, in: driver.session)
            + "; the scenario stops here")
        return ScenarioResult(
          scenario: scenario, failures: failures, coverage: coverage, events: events,
          records: records)
      }
      let action: CallAction
      switch step.action {
      case .answer(let input): action = .answer(.typed(input), to: .onScreen)
      case .set(let id, let input): action = .answer(.typed(input), to: .question(id))
      case .note(let text): action = .note(text)
      case .back: action = .back
      case .override(let code, let reason): action = .override(code: code, reason: reason)
      case .confirm(let id, let confirmed, let unit):
        action = .confirm(verification: id, confirmed: confirmed, unit: unit, note: nil)
      case .disconnect: action = .disconnect
      case .callback: action = .callback
      case .end: action = .end
      case .wait: action = .wait
      }
      let result = driver.handle(action, at: step.at) { event, at, prompt in
        events.append(
          Transcript.Entry(sequence: events.count + 1, at: at, event: event, prompt: prompt))
      }
      let dueIDs = result.due.map(\.questionID)
      for id in step.expect.due where !dueIDs.contains(id) {
        fail("expected question '\(id)' to fall due at this step; due: \(list(dueIDs))")
      }
      if let prompt = driver.prompt { coverage.questions.insert(prompt.questionID) }
      var outcome = StepOutcome()
      outcome.prompt = driver.prompt
      if let error = result.error {
        if let expected = step.expect.error {
          if !error.description.localizedLowercase.contains(expected.localizedLowercase) {
            fail("expected an error containing '\(expected)', got '\(error.description)'")
          }
        } else {
          fail("step was refused: \(error.description)")
        }
        // A refused step changes nothing; what else it expects is checked against that (a
        // record that fell due as its time passed still went out).
        records += result.records
        check(
          step.expect, outcome: outcome, recorded: !result.records.isEmpty,
          session: driver.session, fail: fail)
        continue
      }
      if let expected = step.expect.error {
        if case .wait = step.action {
          fail("expected an error containing '\(expected)', but only time passed")
        } else {
          fail("expected an error containing '\(expected)', but the step was accepted")
        }
      }
      if let step = result.step { outcome = step }
      if case .answer(let question, let value) = result.event {
        if case .answer = step.action { asked.append(question) }
        switch value {
        case .option(let id): coverage.options.insert("\(question).\(id)")
        case .options(let ids): for id in ids { coverage.options.insert("\(question).\(id)") }
        default: break
        }
      }
      absorb(outcome, records: result.records, step: number)
      check(
        step.expect, outcome: outcome, recorded: !result.records.isEmpty,
        session: driver.session, fail: fail)
      // The step's own record: the last that went out at this step.
      let stepRecord = result.records.last
      for failure in checkEIDO(
        step.expect.eido, record: stepRecord, context: context, callProtocol: callProtocol)
        + checkEIDO(
          step.expect.notEIDO, record: stepRecord, context: context,
          callProtocol: callProtocol, absent: true)
      {
        fail(failure)
      }
    }
    // The call ends where the scenario ends, so its transcript is a complete call, and its
    // last record carries the last state (a change waiting for the record interval goes out
    // with the end).
    if !driver.session.ended {
      let ending = driver.handle(.end, at: driver.session.now) { event, at, prompt in
        events.append(
          Transcript.Entry(sequence: events.count + 1, at: at, event: event, prompt: prompt))
      }
      records += ending.records
    }
    let session = driver.session

    let final = scenario.final
    func failFinal(_ message: String, _ position: SourcePosition) {
      failures.append(ScenarioFailure(step: nil, position: position, message: message))
    }
    /// Where a whole-call key is written; the scenario's own line when it is not.
    func at(_ key: String) -> SourcePosition {
      final.positions[key] ?? scenario.position
    }
    if let expected = final.asked, expected != asked {
      failFinal(
        "expected questions asked \(list(expected)), actual \(list(asked))"
          + firstDifference(expected, asked), at("asked"))
    }
    if let expected = final.firstRecordStep, expected != firstRecordStep {
      failFinal(
        "expected the first record at step \(expected), actual "
          + (firstRecordStep.map { "step \($0)" } ?? "no record"), at("first_record_step"))
    }
    if final.noRecord, let step = firstRecordStep {
      failFinal("expected no record, but one went out at step \(step)", at("no_record"))
    }
    if let expected = final.determinant, session.determinant?.code != expected {
      failFinal(
        "expected final determinant '\(expected)', actual '\(session.determinant?.code ?? "none")'",
        at("determinant"))
    }
    for id in final.instructions where !given.contains(id) {
      failFinal(
        "expected instruction '\(id)' to be given; given: \(list(given))", at("instructions"))
    }
    for id in final.notInstructions where given.contains(id) {
      failFinal("instruction '\(id)' was given but should not have been", at("not_instructions"))
    }
    for text in final.relays where !relayTexts.contains(where: { contains($0, text) }) {
      failFinal("no relay contains '\(text)'; relays: \(list(relayTexts))", at("relays"))
    }
    for text in final.notRelays {
      for relay in relayTexts where contains(relay, text) {
        failFinal("a relay contains '\(text)': '\(relay)'", at("not_relays"))
      }
    }
    let plan = session.determinant?.plan ?? []
    for id in final.plan where !plan.contains(id) {
      failFinal("expected '\(id)' in the final response; plan: \(list(plan))", at("plan"))
    }
    for id in final.notPlan where plan.contains(id) {
      failFinal("'\(id)' is in the final response but should not be", at("not_plan"))
    }
    for text in final.verifications where !verificationTexts.contains(where: { contains($0, text) })
    {
      failFinal(
        "no verification contains '\(text)'; verifications: \(list(verificationTexts))",
        at("verifications"))
    }
    for (field, text, position) in final.lastRecord {
      guard let record = session.lastRecord else {
        failFinal("expected a record with '\(field.rawValue)', but no record went out", position)
        break
      }
      let actual = record.field(field)?.text
      if text == "absent" {
        if let actual {
          failFinal("expected '\(field.rawValue)' absent, found '\(actual)'", position)
        }
      } else if !contains(actual ?? "", text) {
        failFinal(
          "expected '\(field.rawValue)' to contain '\(text)' in the last record, actual "
            + (actual.map { "'\($0)'" } ?? "absent"), position)
      }
    }
    for (path, text, position) in final.lastEIDO {
      for failure in checkEIDO(
        [(path, text)], record: session.lastRecord, context: context, callProtocol: callProtocol)
      {
        failFinal(failure, position)
      }
    }
    return ScenarioResult(
      scenario: scenario, failures: failures, coverage: coverage, events: events, records: records)
  }

  static func check(
    _ expect: Scenario.Expectations, outcome: StepOutcome, recorded: Bool, session: Session,
    fail: (String) -> Void
  ) {
    if let record = expect.record, record != recorded {
      fail(record ? "expected a record to go out at this step, none did" : "a record went out")
    }
    if let expected = expect.determinant, session.determinant?.code != expected {
      fail("expected determinant '\(expected)', actual '\(session.determinant?.code ?? "none")'")
    }
    let said = outcome.instructions.map(\.id)
    for id in expect.say where !said.contains(id) {
      fail("expected instruction '\(id)' at this step; given: \(list(said))")
    }
    for id in expect.notSay where said.contains(id) {
      fail("instruction '\(id)' was given at this step but should not have been")
    }
    let relays = outcome.relays.map(\.text)
    for text in expect.relay where !relays.contains(where: { contains($0, text) }) {
      fail("expected a relay containing '\(text)' at this step; relays: \(list(relays))")
    }
    let verifications = outcome.verifications.map { $0.confirm + " — " + $0.evidence }
    for text in expect.verify where !verifications.contains(where: { contains($0, text) }) {
      fail("expected a verification containing '\(text)'; verifications: \(list(verifications))")
    }
    for text in expect.warn where !outcome.warnings.contains(where: { contains($0, text) }) {
      fail("expected a warning containing '\(text)'; warnings: \(list(outcome.warnings))")
    }
    if let expected = expect.next {
      let actual = outcome.prompt?.questionID ?? "none"
      if actual != expected { fail("expected next question '\(expected)', actual '\(actual)'") }
    }
    for text in expect.notRelay {
      for relay in relays where contains(relay, text) {
        fail("a relay at this step contains '\(text)': '\(relay)'")
      }
    }
    let plan = session.determinant?.plan ?? []
    for id in expect.plan where !plan.contains(id) {
      fail("expected '\(id)' in the response; plan: \(list(plan))")
    }
    for id in expect.notPlan where plan.contains(id) {
      fail("'\(id)' is in the response but should not be; plan: \(list(plan))")
    }
    for id in expect.offRoute where !session.isOffRoute(id) {
      fail("expected the answer to '\(id)' to be off-route")
    }
  }

  static func contains(_ text: String, _ fragment: String) -> Bool {
    text.localizedLowercase.contains(fragment.localizedLowercase)
  }

  static func list(_ items: [String]) -> String {
    items.isEmpty ? "(none)" : "[" + items.joined(separator: ", ") + "]"
  }

  static func firstDifference(_ expected: [String], _ actual: [String]) -> String {
    for index in 0..<max(expected.count, actual.count) {
      let left = index < expected.count ? expected[index] : "(end)"
      let right = index < actual.count ? actual[index] : "(end)"
      if left != right {
        return "; first difference at position \(index + 1): expected '\(left)', actual '\(right)'"
      }
    }
    return ""
  }
}
