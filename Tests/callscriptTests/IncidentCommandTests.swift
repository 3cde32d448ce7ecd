import Foundation
import Testing

/// Two positions, one store: the calls end on one incident with one picture (end to end).
@Suite("take with an incident store, and callscript incidents")
struct IncidentCommandTests {
  static let first =
    "@5 Lincoln High School\n@10 s\n@20 /set how_known saw\n@30 /set attacker_count 1\n@40 /end\n"

  func take(_ folder: URL, _ id: String, _ input: String, position: String, extra: [String] = [])
    throws -> Binary.Output
  {
    try Binary.run(
      [
        "take", "--io", "plain", "--clock", "simulated", "--call-id", id, "--position", position,
        "--transcripts", folder.appendingPathComponent("t").path,
      ] + extra, input: Data(input.utf8), in: folder)
  }

  @Test("two calls about one school: offered, linked, one picture, a conflict to verify")
  func twoPositions() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let one = try take(folder, "call-a", Self.first, position: "position-1")
    #expect(one.status == 0, "\(one.stderr)")
    let second =
      "@5 lincoln HS\n@7 /link INC-call-a\n@10 s\n@20 /set how_known told\n"
      + "@30 /set attacker_count 2\n@40 /end\n"
    let two = try take(folder, "call-b", second, position: "position-2")
    #expect(two.status == 0, "\(two.stderr)")
    #expect(two.stdout.contains("Possible same incident: INC-call-a Lincoln High School, 1 call"))
    #expect(two.stdout.contains("INCIDENT this call is on INC-call-a (2 calls)"))
    #expect(two.stdout.contains("INCIDENT INC-call-a: 2 calls"))
    let store = ["--store", folder.appendingPathComponent("t/incidents.sqlite").path]
    let show = try Binary.run(["incidents", "show", "INC-call-a"] + store, in: folder)
    #expect(show.status == 0)
    #expect(
      show.stdout.contains("Callers disagree on attackers: 1 (1 call) vs 2 (1 call, was told)"))
    #expect(show.stdout.contains("CALLERS (2)"))
    let list = try Binary.run(["incidents", "list", "--format", "json"] + store, in: folder)
    #expect(list.stdout.contains("\"incident\":\"INC-call-a\""))
    #expect(!list.stdout.contains("INC-call-b"))
    // The link is in the transcript; a rebuild from transcripts equals the live store.
    let transcript = try String(
      contentsOf: folder.appendingPathComponent("t/call-b.jsonl"), encoding: .utf8)
    #expect(transcript.contains("\"payload\":{\"incident\":\"INC-call-a\"}"))
    let live = try Binary.run(["incidents", "dump"] + store, in: folder)
    let rebuiltStore = ["--store", folder.appendingPathComponent("rebuilt.sqlite").path]
    let rebuild = try Binary.run(
      ["incidents", "rebuild", "--from", folder.appendingPathComponent("t").path] + rebuiltStore,
      in: folder)
    #expect(rebuild.stdout.contains("2 calls, 1 incidents"))
    let rebuilt = try Binary.run(["incidents", "dump"] + rebuiltStore, in: folder)
    #expect(live.stdout == rebuilt.stdout)
    #expect(live.stdout.contains("call-b"))
    let eido = try Binary.run(["incidents", "eido", "INC-call-a"] + store, in: folder)
    #expect(eido.stdout.contains("\"personIncidentRoleRegistryText\":[\"Caller\""))
    let missing = try Binary.run(["incidents", "show", "INC-none"] + store, in: folder)
    #expect(missing.status == 2)
  }

  @Test("a relay another call sent for the incident is not sent again, it is corroborated")
  func relayCorroborated() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try take(folder, "call-a", Self.first, position: "position-1")
    let two = try take(
      folder, "call-b",
      "@5 Lincoln High School\n@7 /link INC-call-a\n@10 s\n@30 /set attacker_count 1\n@40 /end\n",
      position: "position-2")
    #expect(two.stdout.contains("RELAY already sent for the incident by call-a, not sent again"))
    #expect(two.stdout.contains("corroborated (2 callers): Attackers: 1"))
    #expect(!two.stdout.contains("> RELAY Attackers") && !two.stdout.contains("\nRELAY Attackers"))
  }

  @Test("jsonl: incident_candidates out, the link command in")
  func jsonl() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try take(folder, "call-a", Self.first, position: "position-1")
    let input = """
      {"answer": "Lincoln High School", "at": 5}
      {"command": "link", "incident": "INC-call-a", "at": 6}
      {"command": "link", "at": 7}
      {"command": "unlink", "at": 7}
      {"call": {"incident": "INC-call-a"}, "at": 7}
      {"call": {"incident": 7}, "at": 7}
      {"command": "end", "at": 8}

      """
    let output = try take(
      folder, "call-b", input, position: "position-2", extra: ["--io", "jsonl"])
    #expect(output.stdout.contains("\"type\":\"incident_candidates\""))
    #expect(output.stdout.contains("\"type\":\"incident_linked\""))
    #expect(output.stdout.contains("'link' needs 'incident'"))
    #expect(output.stdout.contains("'incident' must be an incident id (text)"))
    let transcript = try String(
      contentsOf: folder.appendingPathComponent("t/call-b.jsonl"), encoding: .utf8)
    #expect(transcript.components(separatedBy: "\"type\":\"link\"").count == 3)
    #expect(transcript.contains("\"type\":\"unlink\""))
  }

  @Test("a store that cannot be written never stops the call; the screen says so")
  func storeFailure() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let blocker = folder.appendingPathComponent("not-a-folder")
    try Data("x".utf8).write(to: blocker)
    let output = try take(
      folder, "call-a", Self.first, position: "position-1",
      extra: ["--store", blocker.appendingPathComponent("incidents.sqlite").path])
    #expect(output.status == 0)
    #expect(output.stdout.contains("STORE cannot open"))
    #expect(output.stdout.contains("the call goes on"))
    #expect(output.stderr.contains("missed the end of this call"))
    let transcript = try String(
      contentsOf: folder.appendingPathComponent("t/call-a.jsonl"), encoding: .utf8)
    #expect(transcript.contains("\"type\":\"end\""))
  }

  @Test("a PostgreSQL store in a build without it is a message, and the call goes on")
  func postgresWithoutTrait() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = try take(
      folder, "call-a", Self.first, position: "position-1",
      extra: ["--store", "postgres://nobody@127.0.0.1:1/none"])
    #expect(output.status == 0)
    #expect(output.stdout.contains("STORE cannot open postgres://nobody@127.0.0.1:1/none"))
  }
}
