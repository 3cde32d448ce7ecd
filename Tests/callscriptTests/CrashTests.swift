import Foundation
import Testing

@Suite("Crash safety: kill -9 at random points", .serialized)
struct CrashTests {
  /// A scripted call for `--io jsonl`: every input names its question and its time.
  static let script: [String] = [
    #"{"answer":"Lincoln High School, 1200 Main St","question":"location","at":3}"#,
    #"{"answer":"shooting","question":"what_happening","at":8}"#,
    #"{"answer":"555-0100","question":"callback","at":12}"#,
    #"{"answer":"yes","question":"still_happening","at":15}"#,
    #"{"answer":"no","question":"caller_safe","at":18}"#,
    #"{"answer":"no","question":"can_leave","at":21}"#,
    #"{"answer":"yes","question":"can_talk","at":24}"#,
    #"{"answer":"second floor, east wing","question":"attacker_location","at":30}"#,
    #"{"answer":"heard","question":"how_known","at":33}"#,
    #"{"answer":"two or tree","question":"attacker_count","at":35}"#,
    #"{"answer":2,"question":"attacker_count","at":38}"#,
    #"{"answer":["long_gun","handgun"],"question":"weapons","at":44}"#,
    #"{"note":"caller whispering, shots close by","at":47}"#,
    #"{"answer":"north stairwell","question":"attacker_direction","at":52}"#,
    #"{"answer":"3","question":"victim_count","at":60}"#,
    #"{"answer":"room 204","question":"victim_location","at":66}"#,
    #"{"answer":1,"question":"attacker_count","at":75}"#,
    #"{"answer":"cafeteria","question":"attacker_location","at":95}"#,
    #"{"answer":"barricade","question":"situation","at":120}"#,
    #"{"command":"end","at":140}"#,
  ]

  /// Lines that end the response to one input.
  static func isResponseEnd(_ line: String) -> Bool {
    line.contains(#""type":"question""#) || line.contains(#""type":"error""#)
      || line.contains(#""type":"end""#)
  }

  static func isStatus(_ line: String) -> Bool {
    line.contains(#""type":"status""#)
  }

  static func arguments(records: String, resume: String?) -> [String] {
    var arguments = [
      "take", "--io", "jsonl", "--clock", "simulated", "--call-id", "crash", "--records", records,
    ]
    if let resume { arguments += ["--resume", resume] }
    return arguments
  }

  /// Runs the whole script without interruption; the last record's bytes.
  static func reference(in folder: URL) throws -> Data {
    let input = Data((script.joined(separator: "\n") + "\n").utf8)
    let result = try Binary.run(
      arguments(records: "records", resume: nil), input: input, in: folder)
    #expect(result.status == 0)
    // Replay re-derives every record byte for byte.
    let replay = try Binary.run(
      ["replay", "transcripts/crash.jsonl", "--records", "records"], in: folder)
    #expect(replay.status == 0, "\(replay.stdout)")
    #expect(replay.stdout.contains("records: identical to those emitted"))
    return try lastRecord(in: folder, records: "records")
  }

  static func lastRecord(in folder: URL, records: String) throws -> Data {
    let callFolder = folder.appendingPathComponent("\(records)/crash")
    let numbers = try FileManager.default.contentsOfDirectory(atPath: callFolder.path)
      .compactMap { Int($0.replacingOccurrences(of: ".json", with: "")) }
    let last = try #require(numbers.max())
    return try Data(contentsOf: callFolder.appendingPathComponent("\(last).json"))
  }

  @Test("no accepted event is lost; resume reaches the same final record")
  func killAndResume() throws {
    var generator = SystemRandomNumberGenerator()
    let referenceFolder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: referenceFolder) }
    let expected = try Self.reference(in: referenceFolder)
    var kills = 0
    var calls = 0
    while kills < 100 {
      calls += 1
      let folder = try Binary.temporaryFolder()
      defer { try? FileManager.default.removeItem(at: folder) }
      let transcript = "transcripts/crash.jsonl"
      var next = 0  // index of the next script line to send
      var started = false
      while next < Self.script.count {
        let process = try LiveProcess(
          Self.arguments(records: "records", resume: started ? transcript : nil), in: folder)
        started = true
        #expect(process.wait(where: Self.isResponseEnd), "the call starts with a question")
        // Kill somewhere in the rest of the script, possibly in the middle of a write.
        let killAt = Int.random(in: next..<Self.script.count, using: &generator)
        var shown = next  // inputs whose response was seen: accepted or refused on screen
        for index in next...killAt {
          process.send(Self.script[index])
          if index < killAt {
            // One input may print several questions (a re-ask falling due, then the next
            // question); a status request after it marks where its response ends.
            process.send(#"{"command":"status"}"#)
            #expect(process.wait(for: index - next + 1, where: Self.isStatus))
            shown = index + 1
          }
        }
        Thread.sleep(forTimeInterval: Double.random(in: 0...0.004, using: &generator))
        process.kill()
        kills += 1
        let data = try Data(contentsOf: folder.appendingPathComponent(transcript))
        let reading = try #require(
          try? TranscriptReaderShim.entries(data), "the transcript reads after kill \(kills)")
        // Every input before the one in flight was shown as accepted (or refused, which the
        // script makes happen once): all of them are on disk.
        let refusedBefore = Self.script[..<shown].filter { $0.contains("two or tree") }.count
        #expect(
          reading >= shown - refusedBefore,
          "kill \(kills): \(reading) events on disk, \(shown) shown")
        // Carry on from what the transcript holds.
        next = Self.nextInput(afterEvents: reading)
      }
      // Finish: the transcript verifies and the last record matches the uninterrupted run.
      let verify = try Binary.run(["verify", "transcripts/crash.jsonl"], in: folder)
      #expect(verify.status == 0, "\(verify.stdout)")
      let replay = try Binary.run(
        ["replay", "transcripts/crash.jsonl", "--write-records", "replayed"], in: folder)
      #expect(replay.status == 0)
      #expect(
        try Self.lastRecord(in: folder, records: "replayed") == expected,
        "call \(calls) ended differently")
    }
    #expect(kills >= 100)
  }

  /// The script line to send after `events` events are recorded (the refused line records
  /// nothing, so it is skipped over).
  static func nextInput(afterEvents events: Int) -> Int {
    var recorded = 0
    for (index, line) in script.enumerated() {
      if recorded == events { return index }
      if !line.contains("two or tree") { recorded += 1 }
    }
    return script.count
  }
}

/// Counts the events in a transcript the way `verify --allow-incomplete` reads it.
enum TranscriptReaderShim {
  static func entries(_ data: Data) throws -> Int {
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    // A complete transcript ends with a newline; a torn line is not an event.
    let complete = lines.dropLast()
    return max(0, complete.count - 1)
  }
}
