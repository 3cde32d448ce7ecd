import CallScript
import Testing

@testable import callscript

/// The call-taker's screen fitted to a window, and the facts panel it shows.
@Suite("the call-taker's screen layout")
struct TerminalScreenTests {
  typealias Block = TerminalScreen.Block

  @Test("when rows run short the least urgent lines go first, and the cut is said")
  func cutsLeastUrgentFirst() {
    let blocks = [
      Block(["title"], keep: .max, clipped: true),
      Block(["ASK Where?  [location]", "    a place"], keep: .max),
      Block(["SAY NOW Hide."], keep: 90),
      Block(["RELAY one", "RELAY two"], keep: 30),
      Block(["ATTACKER gym"], keep: .max),
      Block(["THREATS Weapons: Gun"], keep: 50),
      Block(["  Callback number: 555", "  Still happening: yes"], keep: 5, marksCut: true),
    ]
    #expect(TerminalScreen.fit(blocks, rows: 20, columns: 80).count == 10)
    let eight = TerminalScreen.fit(blocks, rows: 8, columns: 80)
    #expect(
      eight == [
        "title", "ASK Where?  [location]", "    a place", "SAY NOW Hide.", "RELAY one",
        "ATTACKER gym", "THREATS Weapons: Gun", "  … 3 more: /status",
      ])
    // Never below what must stay, even in a tiny window.
    let tiny = TerminalScreen.fit(blocks, rows: 3, columns: 80)
    #expect(
      tiny == [
        "title", "ASK Where?  [location]", "    a place", "ATTACKER gym", "  … 6 more: /status",
      ])
  }

  @Test("wrapped lines count every row they take; clipped ones one")
  func countsRows() {
    let long = String(repeating: "word ", count: 30)
    let blocks = [
      Block([long], keep: .max, clipped: true),
      Block([long], keep: .max),
      Block(["  other"], keep: 5, marksCut: true),
    ]
    let lines = TerminalScreen.fit(blocks, rows: 4, columns: 40)
    let wrapped = TerminalText.wrapped(long, columns: 40).count
    #expect(wrapped > 3)
    #expect(lines.count == 1 + wrapped + 1, "1 clipped + the wrapped rows + the marker: \(lines)")
    #expect(lines.first?.hasSuffix("…") == true)
    #expect(lines.last == "  … 1 more: /status")
  }

  /// The built-in protocol's call with these answers, 5 s apart.
  static func session(_ answers: [(String, FactValue)]) throws -> Session {
    let loaded = try ProtocolSource.load(nil)
    var session = Session(callProtocol: loaded.compiled)
    for (index, (question, value)) in answers.enumerated() {
      let applied = session.apply(
        .answer(question: question, value: value), at: Double(index + 1) * 5)
      #expect((try? applied.get()) != nil, "\(question)")
    }
    return session
  }

  static let start: [(String, FactValue)] = [
    ("location", .text("1 Main St")), ("what_happening", .option("shooting")),
    ("caller_safe", .yesNo(false)), ("can_leave", .yesNo(false)),
  ]

  @Test("the panel names facts by label, groups them and marks a withdrawn answer")
  func panel() throws {
    var session = try Self.session(
      Self.start + [
        ("can_talk", .yesNo(true)), ("attacker_location", .text("gym")),
        ("victim_count", .count(low: 3, high: 3)), ("weapons", .options(["handgun"])),
      ])
    var panel = BoardText.panel(session)
    #expect(panel.attacker == "ATTACKER gym · 10 s ago")
    #expect(
      panel.groups == [
        "CALLER not safe · can talk", "VICTIMS Number hurt or killed: 3",
        "THREATS Weapons: Handgun",
      ])
    #expect(panel.others.contains("  Place of the emergency: 1 Main St (35 s ago)"))
    #expect(!panel.others.joined().contains("what_happening"))
    _ = session.advance(to: 200)
    #expect(BoardText.panel(session).attacker == "ATTACKER STALE gym · 2 min ago: ask again")
    _ = session.apply(.back, at: 201)
    panel = BoardText.panel(session)
    #expect(panel.groups.last == "THREATS Weapons: Handgun (WITHDRAWN, being corrected)")
    #expect(
      BoardText.taken(.back, session: session) == [
        "WITHDRAWN Weapons: Handgun, being corrected; the relay that read it is marked "
          + "withdrawn to units until you answer again"
      ])
    #expect(
      BoardText.board(session).contains("THREATS Weapons: Handgun (WITHDRAWN, being corrected)"))
  }

  @Test("a caller who cannot talk is shown as hidden, first on the caller line")
  func hiddenCaller() throws {
    let session = try Self.session(Self.start + [("can_talk", .yesNo(false))])
    #expect(
      BoardText.panel(session).groups == [
        "CALLER HIDDEN CALLER, cannot talk: yes/no questions only · not safe"
      ])
    #expect(BoardText.panel(session).attacker == "ATTACKER where: not yet known")
  }

  @Test(
    "the board's clock is the library's call clock with two-digit minutes",
    arguments: [
      (-3.0, "00:00"), (0, "00:00"), (59.9, "00:59"), (65, "01:05"), (600, "10:00"),
      (7425.5, "123:45"),
    ])
  func clock(_ seconds: Double, _ text: String) {
    #expect(BoardText.clock(seconds) == text)
  }
}
