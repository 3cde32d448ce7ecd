import Foundation
import Testing

/// `incident.<fact>` end to end: two calls in one store, the second call's condition reading
/// what the first established, live and in replay.
@Suite("take: incident facts reach the protocol through the transcript")
struct IncidentFactsCommandTests {
  static let peers = """
    protocol: {id: peers, version: 1.0.0, title: Peers, languages: [en]}
    response_levels: [urgent]
    resources: {patrol: Patrol}
    questions:
      - {id: location, ask: Where?, label: Location, kind: location, priority: 100, fills: incident.location}
      - {id: attackers, ask: How many attackers?, label: Attackers, kind: count, priority: 90, fills: suspect.count}
      - {id: hiding, ask: Hiding?, label: Hiding, kind: yes_no, priority: 50}
    determinants:
      - {code: L-1, level: urgent, plan: [patrol], label: Call}
    dispatch_points:
      - {id: first, when: known(location)}
    verifications:
      - id: more_attackers
        when: known(attackers) and attackers < 2 and incident.attacker_count >= 2
        confirm: "Other calls report {incident.attacker_count} attackers at {location}"
        evidence: "{incident.calls} other call(s) on the incident"
    """

  func take(_ folder: URL, _ id: String, _ input: String, io: String) throws -> Binary.Output {
    try Binary.run(
      [
        "take", "--io", io, "--clock", "simulated", "--call-id", id, "--position", "p-\(id)",
        "--protocol", folder.appendingPathComponent("peers.yaml").path,
        "--transcripts", folder.appendingPathComponent("t").path,
        "--records", folder.appendingPathComponent("records").path,
      ], input: Data(input.utf8), in: folder)
  }

  @Test(
    "the second call's verification reads the first call's count; replay gives the same records")
  func secondCallReadsFirst() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.peers.utf8).write(to: folder.appendingPathComponent("peers.yaml"))
    let first = try take(folder, "call-a", "@5 Lincoln High School\n@10 3\n@40 /end\n", io: "plain")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(!first.stdout.contains("INCIDENT FACTS"))  // no other call: nothing to read

    let input = """
      {"answer": "lincoln HS", "at": 5}
      {"command": "link", "incident": "INC-call-a", "at": 6}
      {"answer": "1", "at": 10}
      {"command": "end", "at": 20}

      """
    let second = try take(folder, "call-b", input, io: "jsonl")
    #expect(second.status == 0, "\(second.stderr)")
    let lines = second.stdout.split(separator: "\n").map(String.init)
    let facts = try #require(lines.first { $0.contains("\"type\":\"incident_facts\"") })
    #expect(facts.contains("\"incident\":\"INC-call-a\""))
    #expect(facts.contains("\"attacker_count\":{\"count\":{\"high\":3,\"low\":3}}"))
    #expect(second.stdout.contains("Other calls report 3 attackers at lincoln HS"))
    let transcript = try String(
      contentsOf: folder.appendingPathComponent("t/call-b.jsonl"), encoding: .utf8)
    #expect(transcript.components(separatedBy: "\"type\":\"incident_facts\"").count == 2)

    // verify and replay read the facts from the transcript alone: without the store.
    try FileManager.default.removeItem(at: folder.appendingPathComponent("t/incidents.sqlite"))
    let protocolFile = folder.appendingPathComponent("peers.yaml").path
    let verify = try Binary.run(
      ["verify", folder.appendingPathComponent("t/call-b.jsonl").path, "--protocol", protocolFile],
      in: folder)
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    let replayed = folder.appendingPathComponent("replayed")
    let replay = try Binary.run(
      [
        "replay", folder.appendingPathComponent("t/call-b.jsonl").path, "--protocol", protocolFile,
        "--records", folder.appendingPathComponent("records").path,
        "--write-records", replayed.path,
      ], in: folder)
    #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
    #expect(replay.stdout.contains("INCIDENT FACTS INC-call-a: attacker_count 3, calls 1"))
    let live = folder.appendingPathComponent("records/call-b")
    let names = try FileManager.default.contentsOfDirectory(atPath: live.path).sorted()
    #expect(!names.isEmpty)
    var withVerification = 0
    for name in names {
      let liveBytes = try Data(contentsOf: live.appendingPathComponent(name))
      let replayedBytes = try Data(
        contentsOf: replayed.appendingPathComponent("call-b").appendingPathComponent(name))
      #expect(liveBytes == replayedBytes, "\(name)")
      if String(decoding: liveBytes, as: UTF8.self).contains("Other calls report 3 attackers") {
        withVerification += 1
      }
    }
    #expect(withVerification > 0)
  }

  @Test("plain: the facts are a line on screen, and an unlink forgets them")
  func plainAndUnlink() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.peers.utf8).write(to: folder.appendingPathComponent("peers.yaml"))
    _ = try take(folder, "call-a", "@5 Lincoln High School\n@10 3\n@40 /end\n", io: "plain")
    let output = try take(
      folder, "call-b",
      "@5 Lincoln High School\n@6 /link INC-call-a\n@8 /unlink\n@10 1\n@20 /end\n", io: "plain")
    #expect(output.status == 0, "\(output.stderr)")
    #expect(
      output.stdout.contains(
        "INCIDENT FACTS from the other calls of INC-call-a: attacker_count 3, calls 1"))
    // Unlinked before the count: the call is its own incident, and nothing is verified.
    #expect(!output.stdout.contains("Other calls report"))
  }
}
