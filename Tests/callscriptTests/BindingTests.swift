import Foundation
import Testing

@testable import CallScript

/// The reproduction through the real binary: a caller takes 80 s to say which way the
/// attacker is going while the attacker's position falls due again.
@Suite("callscript take: answers land on the question asked, whatever falls due meanwhile")
struct BindingTests {
  /// What a caller hiding from a shooter says to each question; anything else is unknown.
  static let replies: [String: String] = [
    "location": "Lincoln High School, 1200 Elm Street", "what_happening": "shooting",
    "callback": "555-0100", "still_happening": "yes", "caller_safe": "no", "can_leave": "no",
    "can_talk": "yes", "attacker_location": "gym", "how_known": "saw", "last_seen": "w",
    "caller_spot": "room 214", "hurt_beside": "no",
  ]

  /// The answers, with the call-clock second each is given at: every question on screen is
  /// answered 5 s after the one before, in the order the built-in protocol asks (played on the
  /// library's driver first), until the attacker's direction, which takes the caller 80 s.
  static let slowCall: [(String, Double)] = {
    guard let builtIn = BuiltInProtocol.compile().protocolValue else { return [] }
    var driver = CallDriver(session: Session(callProtocol: builtIn))
    var inputs: [(String, Double)] = []
    var at = 0.0
    var positionAt = 0.0
    while let shown = driver.prompt?.questionID, shown != "attacker_direction", inputs.count < 60 {
      at += 5
      let reply = replies[shown] ?? "unknown"
      _ = driver.handle(.answer(.typed(reply), to: .onScreen), at: at)
      if shown == "attacker_location" { positionAt = at }
      inputs.append((reply, at))
    }
    inputs.append(("toward the cafeteria", max(at + 80, positionAt + 61)))
    return inputs
  }()

  /// The answers the transcript in `folder` records: question, value and prompt.
  static func answers(in folder: URL) throws -> [(String, FactValue, Int?)] {
    let transcript = folder.appendingPathComponent("transcripts/20260101-000000.jsonl")
    let reading = try TranscriptReader.read(Data(contentsOf: transcript)).get()
    return reading.entries.compactMap { entry in
      guard case .answer(let question, let value) = entry.event else { return nil }
      return (question, value, entry.prompt)
    }
  }

  @Test("jsonl: the direction stays the direction, the position stays 'gym', the re-ask is due")
  func jsonl() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var input = Self.slowCall.map { answer, at in
      "{\"answer\":\"\(answer)\",\"at\":\(Int(at))}"
    }
    input.append("{\"command\":\"status\"}")
    let result = try Binary.run(
      ["take", "--io", "jsonl", "--clock", "simulated"],
      input: Data((input.joined(separator: "\n") + "\n").utf8), in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let objects = result.stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let relays = objects.filter { $0["type"] as? String == "relay" }.compactMap {
      $0["text"] as? String
    }
    #expect(relays.contains { $0.contains("seen: gym") }, "\(relays)")
    #expect(relays.last?.contains("going toward the cafeteria") == true, "\(relays)")
    #expect(!relays.contains { $0.contains("seen: toward the cafeteria") })
    let due = try #require(objects.first { $0["type"] as? String == "due" })
    #expect(due["id"] as? String == "attacker_location")
    let questions = objects.filter { $0["type"] as? String == "question" }
    let numbers = questions.compactMap { $0["prompt"] as? Int }
    #expect(numbers == Array(1...numbers.count), "prompts are numbered from 1, rising")
    #expect(due["waiting"] as? Int == numbers.dropLast().last)
    let recorded = try Self.answers(in: folder)
    let direction = try #require(recorded.last)
    #expect(direction.0 == "attacker_direction")
    #expect(direction.1 == .text("toward the cafeteria"))
    #expect(recorded.first { $0.0 == "attacker_location" }?.1 == .text("gym"))
    #expect(recorded.allSatisfy { $0.2 != nil }, "every answer was given to a prompt")
  }

  @Test("plain: the same call typed line by line")
  func plain() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let last = Int(Self.slowCall.last?.1 ?? 0)
    let lines =
      Self.slowCall.map { answer, at in "@\(Int(at)) \(answer)" } + [
        "@\(last + 10) y", "@\(last + 11) /end",
      ]
    let result = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"],
      input: Data((lines.joined(separator: "\n") + "\n").utf8), in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("DUE NEXT AGAIN [attacker_location]"))
    #expect(result.stdout.contains("going toward the cafeteria"))
    #expect(!result.stdout.contains("seen: toward the cafeteria"))
    // A bare "y" after the re-ask came up is not taken as a place.
    #expect(result.stdout.contains("'y' alone does not answer 'attacker_location'"))
    let recorded = try Self.answers(in: folder)
    #expect(recorded.last?.0 == "attacker_direction")
    #expect(recorded.filter { $0.0 == "attacker_location" }.map(\.1) == [.text("gym")])
  }

  @Test("jsonl: an old prompt, a named question while a re-ask waits, bad times")
  func promptsAndQuestions() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = """
      {"answer":"1 Main St","at":5}
      {"answer":"s","at":10,"prompt":2}
      {"answer":"s","at":11,"prompt":2}
      {"answer":"3","at":12,"question":"attacker_count","prompt":3}
      {"answer":2,"at":13,"question":"attacker_count"}
      {"answer":"x","at":9.3e15}
      {"answer":"x","at":-1}
      {"answer":"x","question":123}
      {"command":"confirm","verification":"active_attack_exists","confirmed":"false","at":14}
      {"command":"end","at":20}

      """
    let result = try Binary.run(
      ["take", "--io", "jsonl", "--clock", "simulated"], input: Data(input.utf8), in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let errors = result.stdout.split(separator: "\n").filter { $0.contains("\"type\":\"error\"") }
    #expect(errors.count == 6, "\(errors)")
    #expect(errors[0].contains("already answered"))
    #expect(errors[1].contains("asked 'callback', not 'attacker_count'"))
    #expect(errors[2].contains("'at' must be"))
    #expect(errors[3].contains("'at' must be"))
    #expect(errors[4].contains("'question' must be"))
    #expect(errors[5].contains("'confirmed' must be true or false"))
    let recorded = try Self.answers(in: folder)
    #expect(recorded.map(\.0) == ["location", "what_happening", "attacker_count"])
    #expect(recorded.map(\.2) == [1, 2, nil])
  }
}
