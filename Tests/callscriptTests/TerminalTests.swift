import CallScript
import Foundation
import Testing

@testable import callscript

/// The terminal screen (`callscript take --io tty`): its pure parts, then a whole call through
/// a real pseudo-terminal driven by tmux.
@Suite("terminal screen")
struct TerminalTests {
  // MARK: - Text shown on the terminal

  @Test(
    "control characters, escape and bidi overrides are made visible",
    arguments: [
      ("\u{1B}[2Jboom", "^[[2Jboom"),
      ("bell\u{07}", "bell^G"),
      ("del\u{7F}", "del^?"),
      ("c1 \u{9B}31m", "c1 <U+009B>31m"),
      ("rlo \u{202E}evil", "rlo <U+202E>evil"),
      ("tab\there", "tab here"),
      ("café 東京", "café 東京"),
    ])
  func printable(raw: String, shown: String) {
    #expect(SafeText.visible(raw) == shown)
  }

  @Test func printableCutsLongText() {
    let shown = SafeText.visible(String(repeating: "a", count: 10), limit: 4)
    #expect(shown == "aaaa…")
  }

  @Test func widthAndClipping() {
    #expect(TerminalText.width("abc") == 3)
    #expect(TerminalText.width("東京") == 4)
    #expect(TerminalText.width("e\u{301}") == 1)
    #expect(TerminalText.rows(String(repeating: "x", count: 81), columns: 80) == 2)
    #expect(TerminalText.clipped("abcdefgh", columns: 5) == "abcd…")
    #expect(TerminalText.clipped("abc", columns: 5) == "abc")
  }

  @Test func colourOnlyOnTags() {
    let style = TerminalStyle(colour: true)
    #expect(style.paint("SAY NOW Run.") == "\u{1B}[1;97;41mSAY NOW\u{1B}[0m Run.")
    // The question is bold end to end; a stale attacker line has a colour of its own.
    #expect(
      style.paint("ASK Where?  [location]")
        == "\u{1B}[1;36mASK\u{1B}[0m\u{1B}[1m Where?  [location]\u{1B}[0m")
    let stale = style.paint("ATTACKER STALE gym · 2 min ago: ask again")
    let fresh = style.paint("ATTACKER gym · 5 s ago")
    #expect(stale.hasPrefix("\u{1B}[1;97;45mATTACKER STALE\u{1B}[0m"))
    #expect(fresh.hasPrefix("\u{1B}[1;97;44mATTACKER\u{1B}[0m"))
    #expect(style.paint("  location: 1 Main St") == "  location: 1 Main St")
    #expect(TerminalStyle(colour: false).paint("ERROR x") == "ERROR x")
  }

  // MARK: - Lines typed

  @Test func decodeRefusesWithoutEchoing() throws {
    if case .failure(let problem) = TerminalFrontend.decode([0x40, 0xFF, 0xFE]) {
      #expect(problem.message == "the line is not valid UTF-8; nothing changed")
    } else {
      Issue.record("invalid UTF-8 was accepted")
    }
    if case .failure(let problem) = TerminalFrontend.decode(Array("a\u{1B}[31m".utf8)) {
      #expect(problem.message == "the line contains the control character U+001B; nothing changed")
    } else {
      Issue.record("an escape sequence was accepted")
    }
    let long = [UInt8](repeating: 0x61, count: 1_048_576)
    if case .failure(let problem) = TerminalFrontend.decode(long) {
      #expect(problem.message.hasPrefix("the line is too long (1048576 bytes"))
    } else {
      Issue.record("a 1 MB line was accepted")
    }
    #expect(try TerminalFrontend.decode(Array("1 Main\nApt 4".utf8)).get() == "1 Main Apt 4")
    #expect(try TerminalFrontend.decode(Array("café".utf8)).get() == "café")
  }

  @Test func historyPathFollowsXDG() {
    #expect(
      TerminalLineReader.historyPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"])
        == "/d/callscript/history")
    #expect(
      TerminalLineReader.historyPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"])
        == "/h/.local/share/callscript/history")
    #expect(
      TerminalLineReader.historyPath(environment: ["HOME": "/h"])
        == "/h/.local/share/callscript/history")
    #expect(TerminalLineReader.historyPath(environment: [:]) == nil)
  }

  // MARK: - Tab completion

  private func completion(simulated: Bool = false) throws -> TerminalCompletion {
    let loaded = try ProtocolSource.load(nil)
    var completion = TerminalCompletion(
      callProtocol: loaded.compiled, language: "en", simulated: simulated)
    var driver = CallDriver(session: Session(callProtocol: loaded.compiled, language: "en"))
    let answered = driver.handle(.answer(.value(.text("1 Main St")), to: .onScreen), at: 1)
    #expect(answered.error == nil)
    #expect(driver.prompt?.questionID == "what_happening")
    completion.update(from: driver.session, prompt: driver.prompt)
    return completion
  }

  @Test(
    "completes commands, question ids and answers",
    arguments: [
      ("", "/se", ["/set"]),
      ("", "/re", ["/refused", "/relays"]),
      ("/set ", "attacker_co", ["attacker_count"]),
      ("/unknown ", "weap", ["weapons", "weapon_count"]),
      ("/set weapons ", "kni", ["Knife or blade"]),
      ("", "shoo", ["shooting"]),
      ("", "some", ["Someone is shooting"]),
      ("Someone is ", "sh", ["shooting"]),
      ("", "unk", ["unknown"]),
      ("/note ", "x", []),
      ("/override ", "AA-1", ["AA-1", "AA-10", "AA-11", "AA-12"]),
      ("/set still_happening ", "", ["yes", "no", "unknown", "refused"]),
    ])
  func completes(before: String, text: String, expected: [String]) throws {
    #expect(try completion().candidates(before: before, text: text).sorted() == expected.sorted())
  }

  @Test func completesAfterATimePrefix() throws {
    let completion = try completion(simulated: true)
    #expect(completion.candidates(before: "@8 ", text: "shoo") == ["shooting"])
    #expect(completion.candidates(before: "@8 ", text: "/se") == ["/set"])
  }

  // MARK: - A call through a pseudo-terminal

  @Test(
    "a call at the terminal: completion, /set out of order, Ctrl-C, resize, garbage, Ctrl-D",
    .enabled(
      if: Tmux.path != nil,
      "tmux is not installed; the end-to-end terminal test needs it (CI installs it)"),
    .timeLimit(.minutes(1)))
  func callThroughPseudoTerminal() throws {
    let binary = try #require(Self.binary(), "the built callscript binary was not found")
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("callscript-tty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let transcripts = folder.appendingPathComponent("transcripts").path
    let data = folder.appendingPathComponent("data").path
    // The shell around the call traps Ctrl-C so that it outlives it and reports the exit.
    let command =
      "trap true INT; env TERM=xterm-256color NO_COLOR=1 LC_ALL=C.UTF-8 HOME=\(Tmux.quote(folder.path)) "
      + "XDG_DATA_HOME=\(Tmux.quote(data)) \(Tmux.quote(binary.path)) take --io tty "
      + "--clock simulated --transcripts \(Tmux.quote(transcripts)); "
      + "echo \"[callscript exited with $?]\"; sleep 60"
    let tmux = try Tmux(command: command)
    defer { tmux.kill() }

    try tmux.wait("the first question") { Self.asks($0, "location") && Tmux.prompt($0) == ">" }

    // Tab completes a command, then a question id; an answer to a later question goes in now.
    tmux.type("/se")
    tmux.press("Tab")
    try tmux.wait("'/se' completed") { Tmux.prompt($0) == "> /set" }
    tmux.type("attacker_co")
    tmux.press("Tab")
    try tmux.wait("the question id completed") { Tmux.prompt($0) == "> /set attacker_count" }
    tmux.type("2")
    tmux.press("Enter")
    try tmux.wait("the out-of-order answer on the board") {
      $0.contains("THREATS Number of attackers: 2") && Self.asks($0, "location")
        && Tmux.prompt($0) == ">"
    }

    tmux.type("@5 1 Main St")
    tmux.press("Enter")
    try tmux.wait("the second question") {
      Self.asks($0, "what_happening") && $0.contains("s=Someone is shooting")
        && Tmux.prompt($0) == ">"
    }

    // Tab completes an option id after the time prefix.
    tmux.type("@8 shoo")
    tmux.press("Tab")
    try tmux.wait("the option completed") { Tmux.prompt($0) == "> @8 shooting" }
    tmux.press("Enter")
    try tmux.wait("the dispatch record and the words to say") {
      $0.contains("RECORD #1 made") && $0.contains("SAY NOW Police are on the way")
        && Self.asks($0, "callback") && Tmux.prompt($0) == ">"
    }

    // Ctrl-C drops the half-typed line; the call goes on and the next answer works.
    tmux.type("half typed line")
    try tmux.wait("the half-typed line") { Tmux.prompt($0) == "> half typed line" }
    tmux.press("C-c")
    try tmux.wait("the line dropped") {
      $0.contains("line dropped; the call goes on") && Tmux.prompt($0) == ">"
        && Self.asks($0, "callback")
    }
    tmux.type("@9 555 1234")
    tmux.press("Enter")
    try tmux.wait("the answer after Ctrl-C") {
      $0.contains("Callback number: 555 1234") && Self.asks($0, "still_happening")
        && Tmux.prompt($0) == ">"
    }

    // A smaller window: the board is cut to fit, and what is typed stays on the line.
    tmux.type("ye")
    try tmux.wait("the typed text") { Tmux.prompt($0) == "> ye" }
    tmux.resize(columns: 70, rows: 10)
    try tmux.wait("the board cut to the window") {
      $0.contains("more: /status") && Self.asks($0, "still_happening")
        && Tmux.prompt($0) == "> ye"
    }
    tmux.resize(columns: 120, rows: 50)
    try tmux.wait("the whole board again") {
      !$0.contains("more: /status") && $0.contains("Number of attackers: 2")
        && Tmux.prompt($0) == "> ye"
    }
    tmux.press("C-u")
    try tmux.wait("the line cleared") { Tmux.prompt($0) == ">" }

    // An escape sequence typed literally (Ctrl-V Esc) is refused and not echoed raw.
    tmux.press("C-v")
    tmux.press("Escape")
    tmux.type("[2Jboom")
    try tmux.wait("the escape sequence on the line") { Tmux.prompt($0) == "> ^[[2Jboom" }
    tmux.press("Enter")
    try tmux.wait("the refusal") {
      $0.contains("ERROR the line contains the control character U+001B; nothing changed")
        && Self.asks($0, "still_happening") && Tmux.prompt($0) == ">"
    }

    // Ctrl-D asks first; "y" ends the call.
    tmux.press("C-d")
    try tmux.wait("the end question") { Tmux.prompt($0) == "End the call? [y/N]" }
    tmux.type("y")
    tmux.press("Enter")
    let closing = try tmux.wait("the end of the call") {
      $0.contains("call ended at 00:09") && $0.contains("[callscript exited with 0]")
    }
    #expect(!closing.contains("half typed line"))

    // The transcript: a header and one line per event, and it verifies.
    let files = try FileManager.default.contentsOfDirectory(atPath: transcripts)
      .filter { $0.hasSuffix(".jsonl") }
    #expect(files.count == 1)
    let file = (transcripts as NSString).appendingPathComponent(try #require(files.first))
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 6, "a header, four answers and the end")
    #expect(lines.last?.contains("\"type\":\"end\"") == true)
    if Self.run(binary, ["verify", "--help"]).status == 0 {
      let verified = Self.run(binary, ["verify", file])
      #expect(verified.status == 0, "verify: \(verified.output)")
    }

    // The history: appended, private, without the dropped line.
    let history = (data as NSString).appendingPathComponent("callscript/history")
    let remembered = try String(contentsOfFile: history, encoding: .utf8)
    #expect(remembered.contains("/set attacker_count 2\n"))
    #expect(remembered.contains("@8 shooting\n"))
    #expect(!remembered.contains("half typed line"))
    let mode = try FileManager.default.attributesOfItem(atPath: history)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let folderMode =
      try FileManager.default.attributesOfItem(
        atPath: (history as NSString).deletingLastPathComponent)[.posixPermissions] as? Int
    #expect(folderMode == 0o700)
  }

  @Test(
    "on the system clock a stale fact falls due while the call-taker waits: announced, never swapped in",
    .enabled(
      if: Tmux.path != nil,
      "tmux is not installed; the end-to-end terminal test needs it (CI installs it)"),
    .timeLimit(.minutes(1)))
  func reaskWhileIdle() throws {
    let binary = try #require(Self.binary(), "the built callscript binary was not found")
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("callscript-tty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // The test protocol, with the attacker's position going stale after 2 s.
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("CallScriptTests/Fixtures/session.yaml")
    let text = try String(contentsOf: fixture, encoding: .utf8)
      .replacingOccurrences(of: "reask_every: 60s", with: "reask_every: 2s")
    let protocolFile = folder.appendingPathComponent("p.yaml")
    try text.write(to: protocolFile, atomically: true, encoding: .utf8)
    let command =
      "env TERM=xterm-256color NO_COLOR=1 LC_ALL=C.UTF-8 HOME=\(Tmux.quote(folder.path)) "
      + "XDG_DATA_HOME=\(Tmux.quote(folder.appendingPathComponent("data").path)) "
      + "\(Tmux.quote(binary.path)) take --io tty --protocol \(Tmux.quote(protocolFile.path)) "
      + "--transcripts \(Tmux.quote(folder.appendingPathComponent("t").path)); sleep 60"
    let tmux = try Tmux(command: command)
    defer { tmux.kill() }
    try tmux.wait("the first question") { Self.asks($0, "location") && Tmux.prompt($0) == ">" }
    for (answer, next) in [("1 Main St", "attack"), ("s", "ongoing"), ("y", "attacker_location")] {
      tmux.type(answer)
      tmux.press("Enter")
      try tmux.wait("question '\(next)'") { Self.asks($0, next) && Tmux.prompt($0) == ">" }
    }
    tmux.type("gym")
    tmux.press("Enter")
    try tmux.wait("the next question") {
      Self.asks($0, "attackers") && Tmux.prompt($0) == ">"
    }
    // No key pressed, a half-typed line: the stale position is announced under the question
    // on screen, which stays; the line is kept. Meanwhile the call clock ticks.
    tmux.type("half")
    let before = try tmux.wait("the line typed") { Tmux.prompt($0) == "> half" }
    let clock = Self.clock(in: before)
    try tmux.wait("the clock ticking, the line kept") {
      Self.clock(in: $0) != clock && Tmux.prompt($0) == "> half"
    }
    let announced = try tmux.wait("the due re-ask, without input") {
      $0.contains("DUE NEXT AGAIN [attacker_location]") && Tmux.prompt($0) == "> half"
    }
    #expect(Self.asks(announced, "attackers"))
    #expect(!Self.asks(announced, "attacker_location"))
    // The answer typed goes to the question on screen; the re-ask comes next.
    tmux.press("C-u")
    tmux.type("2")
    tmux.press("Enter")
    try tmux.wait("the re-ask, after the count") {
      Self.asks($0, "attacker_location", again: true) && Tmux.prompt($0) == ">"
    }
    // A bare "y" meant for another question is not taken as a place.
    tmux.type("y")
    tmux.press("Enter")
    try tmux.wait("the refusal of a bare y") {
      $0.contains("'y' alone does not answer 'attacker_location'") && Tmux.prompt($0) == ">"
    }
    tmux.type("library")
    tmux.press("Enter")
    try tmux.wait("the next question") { !$0.contains("ASK AGAIN") && Tmux.prompt($0) == ">" }
    let files = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("t").path
    ).filter { $0.hasSuffix(".jsonl") }
    let file = folder.appendingPathComponent("t").appendingPathComponent(try #require(files.first))
    let reading = try TranscriptReader.read(Data(contentsOf: file)).get()
    let answers = reading.entries.compactMap { entry -> String? in
      guard case .answer(let question, let value) = entry.event else { return nil }
      return "\(question)=\(value)#\(entry.prompt.map(String.init) ?? "-")"
    }
    #expect(answers.count == 6)
    #expect(answers.dropFirst(4).first?.hasPrefix("attackers=") == true, "\(answers)")
    #expect(answers.last?.hasPrefix("attacker_location=") == true, "\(answers)")
    #expect(answers.last?.hasSuffix("#6") == true, "\(answers)")
    // A note is confirmed; /end asks first, like Ctrl-D; /end! does not.
    tmux.type("/note caller whispering")
    tmux.press("Enter")
    try tmux.wait("the note confirmed") { $0.contains("NOTED at") && $0.contains("whispering") }
    tmux.type("/end")
    tmux.press("Enter")
    try tmux.wait("the end question") { Tmux.prompt($0) == "End the call? [y/N]" }
    tmux.type("n")
    tmux.press("Enter")
    try tmux.wait("the call going on") { $0.contains("the call goes on") && Tmux.prompt($0) == ">" }
    tmux.type("/end!")
    tmux.press("Enter")
    try tmux.wait("the end of the call") { $0.contains("call ended at") }
  }

  @Test(
    "at 80×24 the question, its choices and the attacker line stay in view all call long",
    .enabled(
      if: Tmux.path != nil,
      "tmux is not installed; the end-to-end terminal test needs it (CI installs it)"),
    .timeLimit(.minutes(1)))
  func smallWindow() throws {
    let binary = try #require(Self.binary(), "the built callscript binary was not found")
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("callscript-tty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let command =
      "env TERM=xterm-256color NO_COLOR=1 LC_ALL=C.UTF-8 HOME=\(Tmux.quote(folder.path)) "
      + "XDG_DATA_HOME=\(Tmux.quote(folder.appendingPathComponent("data").path)) "
      + "\(Tmux.quote(binary.path)) take --io tty --clock simulated "
      + "--transcripts \(Tmux.quote(folder.appendingPathComponent("t").path)); sleep 60"
    let tmux = try Tmux(command: command, columns: 80, rows: 24)
    defer { tmux.kill() }

    /// The screen shows the question first (under the title and the clock), its choices on
    /// the lines after it, and the attacker line; nothing runs past 24 rows.
    func inView(_ screen: String, _ id: String, choices: String, again: Bool = false) -> Bool {
      let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
      let third = rows.count > 2 ? String(rows[2]) : ""
      return rows.count <= 25 && third.hasPrefix(again ? "ASK AGAIN " : "ASK ")
        && Self.asks(screen, id, again: again)
        && rows.dropFirst(3).prefix(3).contains { $0.contains(choices) }
        && rows.contains { $0.hasPrefix("ATTACKER ") } && Tmux.prompt(screen).hasPrefix(">")
    }
    try tmux.wait("the first question") { inView($0, "location", choices: "u=unknown") }
    try tmux.wait("the attacker line before anything is known") {
      $0.contains("ATTACKER where: not yet known")
    }
    let steps: [(typed: String, next: String, choices: String)] = [
      ("@5 1 Main St", "what_happening", "s=Someone is shooting"),
      ("@8 s", "callback", "text  u=unknown"),
      ("@12 555 1234", "still_happening", "y=yes  n=no"),
      ("@15 y", "caller_safe", "y=yes  n=no"),
      ("@20 n", "can_leave", "y=yes  n=no"),
      ("@25 n", "can_talk", "y=yes  n=no"),
      ("@30 y", "caller_spot", "a place"),
      ("@35 library second floor", "attacker_location", "a place"),
      ("@40 gym", "how_known", "s=Saw it"),
      ("@45 /set victim_count 3", "how_known", "s=Saw it"),
      ("@46 /set weapons h,k", "how_known", "s=Saw it"),
      ("@47 /set attacker_count 2", "how_known", "s=Saw it"),
    ]
    for step in steps {
      tmux.type(step.typed)
      tmux.press("Enter")
      try tmux.wait("'\(step.next)' after '\(step.typed)'") {
        inView($0, step.next, choices: step.choices) && Tmux.prompt($0) == ">"
      }
    }
    // The panel names facts by their labels, never by ids; the attacker line gives the age.
    let panel = try tmux.wait("the facts that matter now") {
      $0.contains("ATTACKER gym · 7 s ago")
        && $0.contains("VICTIMS Number hurt or killed: 3") && $0.contains("THREATS ")
    }
    #expect(!panel.contains("attacker_location:"))
    #expect(!panel.contains("victim_count"))
    #expect(panel.contains("Caller's exact spot: library second floor"))
    // A minute and a half later the attacker's position is stale: said in words, and asked
    // again once the question on screen is answered.
    tmux.type("@130 s")
    tmux.press("Enter")
    let stale = try tmux.wait("the stale attacker line and the re-ask") {
      inView($0, "attacker_location", choices: "a place", again: true)
        && $0.contains("ATTACKER STALE gym · 1 min ago: ask again")
    }
    #expect(!stale.contains("ATTACKER gym"))
    tmux.type("@135 roof")
    tmux.press("Enter")
    try tmux.wait("the fresh attacker line") {
      $0.contains("ATTACKER roof · 0 s ago") && !$0.contains("ATTACKER STALE")
        && Tmux.prompt($0) == ">"
    }
    // /back withdraws the last answer: marked on screen, and its relay to units withdrawn.
    tmux.type("@140 /back")
    tmux.press("Enter")
    let back = try tmux.wait("the answer withdrawn") {
      inView($0, "attacker_location", choices: "a place")
        && $0.contains("ATTACKER roof (WITHDRAWN, being corrected)")
        && $0.contains("RELAY withdrawn, being corrected, do not act on it: Attacker")
    }
    #expect(back.contains("ASK (back) "))
    #expect(back.contains("WITHDRAWN Attacker's location: roof, being corrected"))
    tmux.type("@145 cafeteria")
    tmux.press("Enter")
    let corrected = try tmux.wait("the corrected relay") {
      $0.contains("ATTACKER cafeteria · 0 s ago") && $0.contains("RELAY (update) Attacker")
        && Tmux.prompt($0) == ">"
    }
    #expect(!corrected.contains("WITHDRAWN"))
    tmux.type("/end!")
    tmux.press("Enter")
    try tmux.wait("the end of the call") { $0.contains("call ended at") }
  }

  // MARK: - Helpers

  /// Whether the screen asks question `id`: an `ASK` line (`ASK AGAIN` for a re-ask) whose
  /// question id, in brackets after the words to read, is `id`.
  static func asks(_ screen: String, _ id: String, again: Bool = false) -> Bool {
    let lines = screen.split(separator: "\n").map(String.init)
    guard let index = lines.firstIndex(where: { $0.hasPrefix(again ? "ASK AGAIN " : "ASK ") })
    else { return false }
    // The id ends the question, which may wrap onto the next line.
    return lines[index...].prefix(3).contains { $0.hasSuffix("[\(id)]") }
  }

  /// The call clock at the top of the board: `[01:05]`.
  static func clock(in screen: String) -> String? {
    guard let open = screen.firstIndex(of: "["), let close = screen[open...].firstIndex(of: "]")
    else { return nil }
    let text = screen[screen.index(after: open)..<close]
    return text.count == 5 && text.dropFirst(2).first == ":" ? String(text) : nil
  }

  /// The `callscript` built next to this test binary, or in the repository's `.build`.
  static func binary() -> URL? {
    var candidates: [URL] = []
    for path in [CommandLine.arguments.first, Bundle.main.executablePath].compactMap({ $0 }) {
      var folder = URL(fileURLWithPath: path).resolvingSymlinksInPath()
      for _ in 0..<5 {
        folder = folder.deletingLastPathComponent()
        candidates.append(folder.appendingPathComponent("callscript"))
      }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/callscript"))
    return candidates.first { url in
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
        && !isFolder.boolValue && FileManager.default.isExecutableFile(atPath: url.path)
    }
  }

  /// Runs the binary and returns its exit status and output.
  static func run(_ binary: URL, _ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "\(error)") }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }
}

/// A tmux server of the test's own (its own socket, no configuration) running one command in a
/// window, 120×50 unless told otherwise.
private struct Tmux {
  struct Timeout: Error, CustomStringConvertible {
    var description: String
  }

  /// tmux on the PATH, or nil.
  static let path: String? = {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
      .split(separator: ":")
    return folders.map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  let socket = "callscript-test-\(getpid())-\(UUID().uuidString.prefix(8))"
  let session = "call"

  init(command: String, columns: Int = 120, rows: Int = 50) throws {
    let started = run([
      "new-session", "-d", "-x", "\(columns)", "-y", "\(rows)", "-s", session, command,
    ])
    guard started.status == 0 else {
      kill()
      throw Timeout(description: "tmux new-session failed: \(started.output)")
    }
  }

  /// Single-quoted for the shell.
  static func quote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The last non-empty line of a screen: the prompt and what is typed after it.
  static func prompt(_ screen: String) -> String {
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    return lines.last { !$0.isEmpty } ?? ""
  }

  /// Runs a tmux command and returns its exit status and output.
  ///
  /// It uses `posix_spawn`, not Foundation's `Process`: on Linux, `Process` learns that a child
  /// ended when every holder of a socket the child inherits has closed it, and the tmux server
  /// that `new-session` starts would hold it for its whole life, so the wait would never end.
  /// For the same reason the child gets no descriptor of ours past standard error.
  @discardableResult
  func run(_ arguments: [String]) -> (status: Int32, output: String) {
    guard let path = Self.path else { return (-1, "no tmux") }
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return (-1, "pipe: \(errno)") }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    #if canImport(Darwin)
    var actions: posix_spawn_file_actions_t?
    var attributes: posix_spawnattr_t?
    #else
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    #endif
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    // A test thread may block or ignore signals; tmux and what it runs must start clean, or the
    // server cannot notice its children end and `kill-server` leaves it running.
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU] {
      sigaddset(&defaults, signal)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    #if canImport(Darwin)
    flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
    #endif
    posix_spawnattr_setflags(&attributes, Int16(flags))
    #if !canImport(Darwin)
    // What `closefrom` would do: every descriptor that would be inherited is closed.
    for fd in Int32(3)..<1_024 {
      let flags = fcntl(fd, F_GETFD)
      if flags >= 0 && flags & FD_CLOEXEC == 0 { posix_spawn_file_actions_addclose(&actions, fd) }
    }
    #endif
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil
    environment["SHELL"] = "/bin/sh"
    let argv = ([path, "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    close(fds[1])
    defer { close(fds[0]) }
    guard spawned == 0 else { return (-1, "posix_spawn: \(spawned)") }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = read(fds[0], &buffer, buffer.count)
      if count > 0 {
        output += buffer[0..<count]
      } else if count == 0 || errno != EINTR {
        break
      }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exited = status & 0x7F == 0
    return (exited ? (status >> 8) & 0xFF : -1, String(decoding: output, as: UTF8.self))
  }

  /// Types `text` as it is, without tmux reading key names in it.
  func type(_ text: String) { run(["send-keys", "-t", session, "-l", text]) }

  /// Presses one key by tmux's name for it: `Enter`, `Tab`, `C-c`, `C-d`, `Escape`.
  func press(_ key: String) { run(["send-keys", "-t", session, key]) }

  /// Resizes the window, as a terminal emulator would.
  func resize(columns: Int, rows: Int) {
    run(["resize-window", "-t", session, "-x", "\(columns)", "-y", "\(rows)"])
  }

  /// What the window shows now.
  func screen() -> String { run(["capture-pane", "-p", "-t", session]).output }

  /// Polls the window every 50 ms until `done` holds, for up to 10 seconds.
  @discardableResult
  func wait(_ what: String, _ done: (String) -> Bool) throws -> String {
    let deadline = Date().addingTimeInterval(10)
    var shown = screen()
    while !done(shown) {
      guard Date() < deadline else {
        let history = run(["capture-pane", "-p", "-t", session, "-S", "-200"]).output
        throw Timeout(description: "timed out waiting for \(what); the terminal shows:\n\(history)")
      }
      usleep(50_000)
      shown = screen()
    }
    return shown
  }

  /// Stops the server and everything in it.
  func kill() { run(["kill-server"]) }
}
