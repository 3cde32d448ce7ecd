import Foundation
import Testing

@testable import CallScript

/// A call driven as a frontend drives it: inputs at call-clock times, events recorded in order.
struct DrivenCall {
  var driver: CallDriver
  var entries: [Transcript.Entry] = []

  init(_ callProtocol: CallProtocol) {
    driver = CallDriver(
      session: Session(
        callProtocol: callProtocol,
        timeline: CallTimeline(
          startedAt: Date(timeIntervalSince1970: 1_767_225_600),
          timeZone: TimeZone(identifier: "UTC") ?? .current)))
  }

  var session: Session { driver.session }
  var shown: String? { driver.prompt?.questionID }

  @discardableResult
  mutating func handle(_ action: CallAction, at: Double) -> DriverOutcome {
    driver.handle(action, at: at) { event, time, prompt in
      entries.append(
        Transcript.Entry(sequence: entries.count + 1, at: time, event: event, prompt: prompt))
    }
  }

  /// Types `input` for the question on screen at `at`.
  @discardableResult
  mutating func type(_ input: String, at: Double) -> DriverOutcome {
    handle(.answer(.typed(input), to: .onScreen), at: at)
  }

  func answer(_ id: String) -> FactValue? {
    session.callProtocol.slotsByName[id].flatMap { session.answers[$0]?.value }
  }

  /// What a caller hiding from a shooter says to each question, by id; anything else unknown.
  static let replies: [String: String] = [
    "location": "Lincoln High School, 1200 Elm Street", "what_happening": "shooting",
    "callback": "555-0100", "still_happening": "yes", "caller_safe": "no", "can_leave": "no",
    "can_talk": "yes", "attacker_location": "gym", "how_known": "saw", "last_seen": "w",
    "caller_spot": "room 214", "hurt_beside": "no",
  ]

  /// Answers whatever is on screen, 5 s apart, as the caller above would, until `id` is on
  /// screen; gives the time reached.
  ///
  /// The protocol decides the order, the test does not.
  @discardableResult
  mutating func answer(until id: String, from start: Double = 0) throws -> Double {
    var at = start
    for _ in 0..<60 where shown != id {
      let current = try #require(shown, "nothing on screen before '\(id)'")
      at += 5
      let reply = Self.replies[current].map { AnswerInput.typed($0) } ?? .value(.unknown)
      let outcome = handle(.answer(reply, to: .onScreen), at: at)
      #expect(outcome.error == nil, "\(current): \(outcome.error?.description ?? "")")
    }
    #expect(shown == id)
    return at
  }

  /// When the question was last answered.
  func answeredAt(_ id: String) -> Double? {
    session.callProtocol.slotsByName[id].flatMap { session.answers[$0]?.at }
  }
}

@Suite("The call driver: every answer lands on the question asked")
struct CallDriverTests {
  static let builtIn: CallProtocol = {
    guard let compiled = BuiltInProtocol.compile().protocolValue else {
      fatalError("the built-in protocol does not compile")
    }
    return compiled
  }()

  /// The issue's reproduction: the caller takes 80 s to say which way the attacker is going;
  /// the position falls due meanwhile and must not take the answer.
  @Test("a re-ask that falls due while a question waits never takes its answer")
  func slowAnswerKeepsItsQuestion() throws {
    var call = DrivenCall(Self.builtIn)
    let asked = try call.answer(until: "attacker_direction")
    let waiting = try #require(call.driver.prompt?.number)
    let positionAt = try #require(call.answeredAt("attacker_location"))
    let at = max(asked + 80, positionAt + 61)
    let outcome = call.handle(
      .answer(.json(.string("toward the cafeteria")), to: .onScreen), at: at)
    #expect(outcome.error == nil)
    #expect(outcome.due.map(\.questionID).contains("attacker_location"))
    #expect(outcome.dueBehind == waiting)
    #expect(call.answer("attacker_direction") == .text("toward the cafeteria"))
    #expect(call.answer("attacker_location") == .text("gym"))
    #expect(call.entries.last?.prompt == waiting)
    let relays = outcome.step?.relays ?? []
    let heading = try #require(relays.first { $0.id == "attacker_heading" })
    #expect(heading.text.contains("toward the cafeteria"))
    #expect(!relays.contains { $0.text.contains("seen: toward the cafeteria") })
    #expect(!heading.text.contains("0 s ago"))
    // The re-ask comes next, with its own number.
    #expect(call.shown == "attacker_location")
    #expect(call.driver.prompt?.isReask == true)
    #expect(call.driver.prompt?.number == waiting + 1)
  }

  @Test("a due re-ask is announced once, and the question on screen stays")
  func dueIsAnnouncedOnce() throws {
    var call = DrivenCall(Self.builtIn)
    let at = try call.answer(until: "attacker_location")
    call.handle(.answer(.typed("gym"), to: .onScreen), at: at + 5)
    let waiting = try #require(call.shown)
    let first = call.driver.tick(to: at + 70, canShow: true)
    #expect(first.due.map(\.questionID) == ["attacker_location"])
    #expect(!first.promptChanged)
    let again = call.driver.tick(to: at + 80, canShow: true)
    #expect(again.due.isEmpty)
    #expect(call.shown == waiting)
  }

  @Test("an answer naming a question while a re-ask is pending goes to that question")
  func volunteeredWhileDue() throws {
    var call = DrivenCall(Self.builtIn)
    let at = try call.answer(until: "attacker_location")
    call.handle(.answer(.typed("gym"), to: .onScreen), at: at + 5)
    let shown = try #require(call.driver.prompt)
    #expect(shown.questionID != "attacker_count")
    let outcome = call.handle(
      .answer(.typed("2"), to: .question("attacker_count")), at: at + 70)
    #expect(outcome.error == nil)
    #expect(outcome.due.map(\.questionID) == ["attacker_location"])
    #expect(call.answer("attacker_count") == .count(low: 2, high: 2))
    #expect(call.entries.last?.prompt == nil, "volunteered: no prompt")
    // The question on screen is still the one asked, with the same number.
    #expect(call.driver.prompt == shown)
    let reply = DrivenCall.replies[shown.questionID].map { AnswerInput.typed($0) }
    call.handle(.answer(reply ?? .value(.unknown), to: .onScreen), at: at + 75)
    #expect(call.answeredAt(shown.questionID) == at + 75)
    #expect(call.entries.last?.prompt == shown.number)
    #expect(call.shown == "attacker_location")
  }

  @Test("an answer names its prompt: an old unanswered one binds, an answered one is refused")
  func promptNumbers() throws {
    var call = DrivenCall(Self.builtIn)
    call.type("1 Main St", at: 5)
    let second = try #require(call.driver.prompt)
    #expect(second.questionID == "what_happening")
    #expect(second.number == 2)
    let late = call.handle(.answer(.typed("x"), to: .prompt(1, question: nil)), at: 8)
    #expect(late.error?.description.contains("already answered") == true)
    let wrong = call.handle(.answer(.typed("s"), to: .prompt(2, question: "callback")), at: 8)
    #expect(wrong.error?.description.contains("asked 'what_happening'") == true)
    let never = call.handle(.answer(.typed("s"), to: .prompt(40, question: nil)), at: 8)
    #expect(never.error?.description.contains("was not shown") == true)
    #expect(call.entries.count == 1, "refusals record nothing")
    let bound = call.handle(.answer(.typed("s"), to: .prompt(2, question: "what_happening")), at: 9)
    #expect(bound.error == nil)
    #expect(call.entries.last?.prompt == 2)
    // A question replaced by a more urgent one stays answerable by its number.
    let callback = try #require(call.driver.prompt)
    call.handle(.answer(.typed("555"), to: .question("callback")), at: 11)
    #expect(call.entries.last?.prompt == callback.number, "naming the question on screen")
  }

  @Test("nothing on screen: a due question waits for an empty line, then takes the screen")
  func dueWithNothingOnScreen() throws {
    let source = try Fixtures.data("session.yaml")
    let compiled = try #require(
      ProtocolCompiler.compile(data: source, file: "s.yaml").protocolValue)
    var call = DrivenCall(compiled)
    call.type("1 Main St", at: 1)
    call.type("s", at: 2)
    var at = 2.0
    while call.shown != nil, at < 200 {
      at += 1
      let outcome = call.handle(.answer(.value(.unknown), to: .onScreen), at: at)
      if outcome.error != nil { break }
    }
    // Answer the re-asked position so it can fall due again.
    call.handle(.answer(.typed("gym"), to: .question("attacker_location")), at: at + 1)
    #expect(call.shown == nil)
    let typing = call.driver.tick(to: at + 200, canShow: false)
    #expect(typing.due.map(\.questionID) == ["attacker_location"])
    #expect(call.shown == nil)
    let waiting = call.driver.tick(to: at + 201, canShow: false)
    #expect(waiting.due.isEmpty, "announced once")
    // The line typed before the question appeared was not an answer to it.
    let refused = call.type("library", at: at + 202)
    #expect(refused.error?.description.contains("no question is waiting") == true)
    // Once the line is empty the question takes the screen.
    #expect(refused.promptChanged)
    #expect(call.shown == "attacker_location")
    #expect(call.driver.prompt?.isReask == true)
  }

  @Test("a bare yes or no is not taken as a place or as text")
  func bareYesNo() throws {
    var call = DrivenCall(Self.builtIn)
    for input in ["y", "N", "yes", "no", "sí"] {
      let outcome = call.type(input, at: 5)
      #expect(outcome.error?.description.contains("did you mean to answer the previous") == true)
    }
    let json = call.handle(.answer(.json(.string("yes")), to: .onScreen), at: 5)
    #expect(json.error != nil)
    #expect(call.entries.isEmpty)
    #expect(call.type("no 12, Elm Street", at: 6).error == nil)
  }

  @Test("times out of range, negative or not finite are refused and change nothing")
  func badTimes() throws {
    var call = DrivenCall(Self.builtIn)
    for at in [-1, .nan, .infinity, 1e20, 9.3e15, CallDriver.maximumTime + 1] {
      let outcome = call.type("1 Main St", at: at)
      #expect(outcome.error != nil, "\(at)")
    }
    #expect(call.entries.isEmpty)
    #expect(call.session.now == 0)
    #expect(call.driver.tick(to: 1e300, canShow: true).due.isEmpty)
  }

  @Test("a failing transcript write leaves the call as it was")
  func notRecorded() throws {
    var driver = CallDriver(session: Session(callProtocol: Self.builtIn))
    struct Full: Error {}
    let before = driver.prompt
    let outcome = driver.handle(.answer(.typed("1 Main St"), to: .onScreen), at: 3) { _, _, _ in
      throw Full()
    }
    guard case .notRecorded = outcome.error else {
      Issue.record("expected notRecorded, got \(String(describing: outcome.error))")
      return
    }
    #expect(driver.session.eventCount == 0)
    #expect(driver.prompt == before)
  }

  @Test("JSON answers keep their type: booleans, numbers, option lists")
  func jsonValues() throws {
    var call = DrivenCall(Self.builtIn)
    call.handle(.answer(.json(.string("1 Main St")), to: .onScreen), at: 1)
    call.handle(.answer(.json(.string("shooting")), to: .onScreen), at: 2)
    #expect(call.answer("what_happening") == .option("shooting"))
    call.handle(.answer(.json(.number(3)), to: .question("attacker_count")), at: 3)
    #expect(call.answer("attacker_count") == .count(low: 3, high: 3))
    let fraction = call.handle(.answer(.json(.number(2.5)), to: .question("attacker_count")), at: 4)
    #expect(fraction.error != nil)
    call.handle(.answer(.json(.bool(true)), to: .question("still_happening")), at: 5)
    #expect(call.answer("still_happening") == .yesNo(true))
    call.handle(
      .answer(.json(.array([.string("handgun"), .string("long_gun")])), to: .question("weapons")),
      at: 6)
    #expect(call.answer("weapons") == .options(["handgun", "long_gun"]))
    let object = call.handle(.answer(.json(.object([:])), to: .question("weapons")), at: 7)
    #expect(object.error != nil)
  }

  @Test("a replayed call goes on numbering after the last prompt answered")
  func resumeNumbering() throws {
    var call = DrivenCall(Self.builtIn)
    call.type("1 Main St", at: 5)
    call.type("s", at: 9)
    var replayed = CallDriver(session: Session(callProtocol: Self.builtIn), showing: false)
    for entry in call.entries { _ = try replayed.replay(entry).get() }
    #expect(replayed.prompt == nil)
    let resumed = replayed.resume()
    #expect(resumed.prompt?.questionID == "callback")
    #expect(resumed.prompt?.number == 3)
  }

  // MARK: - Property: generated calls with callers who take their time

  @Test("generated calls with delays of 0-180 s: answers stay on their prompts, replay agrees")
  func generatedCalls() throws {
    let timeline = CallTimeline(
      startedAt: Date(timeIntervalSince1970: 1_767_225_600),
      timeZone: TimeZone(identifier: "UTC") ?? .current)
    var answers = 0
    var problems: [String] = []
    for seed in 1...2_000 {
      let result = GeneratedCall.play(seed: UInt64(seed), on: Self.builtIn, timeline: timeline)
      answers += result.answers
      problems += result.problems
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
    #expect(answers > 15_000)
  }
}
