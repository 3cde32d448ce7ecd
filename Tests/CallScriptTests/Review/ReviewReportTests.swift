import Foundation
import Testing

@testable import CallScript
@testable import CallScriptIO

/// The shipped transcripts reviewed as a folder, in the three formats, and a folder of bad files.
@Suite("Review reports")
struct ReviewReportTests {
  typealias F = ReviewFixtures

  static func runner(workers: Int = 2) -> ReviewRunner {
    ReviewRunner(workers: workers, batchSize: 5) { header, _ in
      header.protocolHash == Transcript.sha256(BuiltInProtocol.data) ? F.builtIn : nil
    }
  }

  /// Reviews files, returning the calls in order, the skipped files and the summary.
  static func review(_ files: [String], workers: Int = 2) -> (
    calls: [CallReview], skipped: [SkippedTranscript], summary: ReviewSummary
  ) {
    var calls: [CallReview] = []
    var skipped: [SkippedTranscript] = []
    let summary = runner(workers: workers).run(files) { result in
      switch result {
      case .reviewed(let call): calls.append(call)
      case .skipped(let entry): skipped.append(entry)
      }
    }
    return (calls, skipped, summary)
  }

  static var folder: String { Fixtures.repository.appendingPathComponent("transcripts").path }

  @Test("a folder lists its *.jsonl files in order, not the protocols/ archive")
  func listing() throws {
    let files = try ReviewRunner.transcripts(in: [Self.folder]).filter {
      F.isExample(($0 as NSString).lastPathComponent)
    }
    #expect(files.map { ($0 as NSString).lastPathComponent } == F.exampleNames)
    #expect(throws: ReviewInputError.self) {
      try ReviewRunner.transcripts(in: ["/no/such/folder"])
    }
  }

  @Test("the shipped transcripts: all reviewed, in order, the same on one or two threads")
  func shipped() throws {
    let files = try ReviewRunner.transcripts(in: [Self.folder]).filter {
      F.isExample(($0 as NSString).lastPathComponent)
    }
    let (calls, skipped, summary) = Self.review(files)
    #expect(skipped.isEmpty)
    #expect(
      calls.count == F.examples.count && summary.calls == F.examples.count && summary.skipped == 0)
    #expect(calls.map(\.file) == files)
    #expect(summary.timeToDispatch.median == 10)
    #expect(summary.answersToDispatch.p90 == 2)
    #expect(summary.notDispatched == 0)
    #expect(summary.byPosition.keys.sorted() == ["position-1"])
    let single = Self.review(files, workers: 1)
    #expect(single.calls == calls)
    #expect(single.summary == summary)
  }

  @Test("text: a block per call and the summary")
  func text() throws {
    let (calls, skipped, summary) = Self.review(F.examples.map(\.path))
    let text = ReviewTextReport.render(calls, summary: summary, skipped: skipped)
    #expect(text.contains("== 01-school-shooting-hiding  ("))
    #expect(text.contains("dispatch: first record at 0:10 after 2 answers (first_dispatch)"))
    #expect(text.contains("location           0:05    0:10    5 s      record"))
    #expect(text.contains("== summary: \(F.examples.count) calls reviewed, 0 skipped"))
    #expect(
      text.contains("time to dispatch                    \(F.examples.count)     10 s      15 s"))
    #expect(text.contains("override: 0:40 AA-3 (critical) from AA-6 (emergency)"))
    #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
  }

  @Test("json: one canonical document with documented fields")
  func json() throws {
    let (calls, skipped, summary) = Self.review(F.examples.map(\.path))
    let text = ReviewJSONReport.render(calls, summary: summary, skipped: skipped)
    let document = try #require(JSONValue.parse(Data(text.utf8)))
    #expect(document["format"]?.string == "callscript-review/1")
    let entries = try #require(document["calls"]?.array)
    #expect(entries.count == F.examples.count)
    let first = try #require(entries.first)
    #expect(first["call_id"]?.string == "01-school-shooting-hiding")
    #expect(first["dispatch"]?["at_s"]?.number == 10)
    #expect(first["facts"]?.array?.first?["latency_s"]?.number == 5)
    #expect(first["compliance"]?["level"]?.string == "high")
    #expect(document["summary"]?["timings"]?["time_to_dispatch_s"]?["median"]?.number == 10)
    #expect(
      document["summary"]?["by_position"]?["position-1"]?["calls"]?.number
        == Double(F.examples.count))
    #expect(document["summary"]?["percentile_method"]?.string == "nearest-rank")
    // Canonical: each call line is exactly its canonical encoding; same input, same bytes.
    for (line, entry) in zip(text.split(separator: "\n").dropFirst(), entries) {
      #expect(line.hasPrefix(entry.canonical))
    }
    #expect(ReviewJSONReport.render(calls, summary: summary, skipped: skipped) == text)
    let keys = Self.keys(document).sorted()
    let documented = try String(
      contentsOf: Fixtures.repository.appendingPathComponent("docs/review.md"), encoding: .utf8)
    for key in Set(keys) where !documented.contains("`\(key)`") {
      Issue.record("field '\(key)' is not documented in docs/review.md")
    }
  }

  /// Every object key in a JSON value, except the keys of grouping maps (positions, versions).
  static func keys(_ value: JSONValue) -> [String] {
    switch value {
    case .object(let members):
      return members.flatMap { key, member -> [String] in
        if key == "by_position" || key == "by_protocol", case .object(let groups) = member {
          return [key] + groups.values.flatMap(keys)
        }
        return [key] + keys(member)
      }
    case .array(let items): return items.flatMap(keys)
    default: return []
    }
  }

  @Test("html: self-contained, a summary table and an SVG timeline per call, no scripts")
  func html() throws {
    let (calls, skipped, summary) = Self.review(F.examples.map(\.path))
    let html = ReviewHTMLReport.render(calls, summary: summary, skipped: skipped)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.hasSuffix("</html>\n"))
    #expect(html.components(separatedBy: "<svg ").count - 1 == F.examples.count)
    #expect(html.components(separatedBy: "<tr class=").count - 1 == F.examples.count)
    #expect(html.contains("<a href=\"#call-0\">01-school-shooting-hiding</a>"))
    #expect(html.contains("id=\"call-18\""))
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("src="))
    #expect(!html.contains("<link"))
    #expect(!html.contains("url("))
    let namespace = "xmlns=\"http://www.w3.org/2000/svg\""
    #expect(!html.replacingOccurrences(of: namespace, with: "").contains("http"))
    #expect(html.contains("@media print"))
  }

  @Test("html and text escape what a transcript says")
  func escaping() throws {
    let call = try F.review([
      (5, F.text("location", "<b>1 Main</b> & \"x\"")),
      (10, F.option("what_happening", "stabbing")),
      // Controls no longer enter a call (the engine refuses them); markup still can.
      (20, .override(code: "AA-3", reason: "<script>alert(1)</script>")),
      (25, .end),
    ])
    var summary = ReviewSummary()
    summary.add(call)
    let html = ReviewHTMLReport.render([call], summary: summary, skipped: [])
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;"))
    let text = ReviewTextReport.render([call], summary: summary, skipped: [])
    #expect(text.contains("<script>alert(1)</script>"))
    // Text that reaches a report another way (a file name) is still made safe.
    let unsafe = "x\u{1B}[31m\u{202E}\u{61C}\u{200F}y"
    #expect(
      !SafeText.visible(unsafe).unicodeScalars.contains {
        [0x1B, 0x202E, 0x61C, 0x200F].contains($0.value)
      })
  }

  @Test("broken, truncated, tampered and foreign files are named with the reason and skipped")
  func badFiles() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "review-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = try F.example("02-mall-stabbing-run.jsonl")
    func write(_ name: String, _ data: Data) throws {
      try data.write(to: folder.appendingPathComponent(name))
    }
    try write("02-mall-stabbing-run.jsonl", good)
    // A good transcript under another name: the header's call id must be the file name.
    try write("f-renamed.jsonl", good)
    try write("b-truncated.jsonl", good.prefix(good.count - 40))
    var tampered = good
    if let range = tampered.range(of: Data("food court, by the pretzel stand".utf8)) {
      tampered.replaceSubrange(range, with: Data("food court, by the bakery stand".utf8))
    }
    try write("c-tampered.jsonl", tampered)
    try write("d-foreign.jsonl", Data("{\"hello\":\"world\"}\n".utf8))
    try write("e-empty.jsonl", Data())
    try write("notes.txt", Data("not a transcript".utf8))
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("protocols"), withIntermediateDirectories: true)
    let files = try ReviewRunner.transcripts(in: [folder.path])
    #expect(files.count == 6)
    let (calls, skipped, summary) = Self.review(files)
    #expect(calls.map(\.callID) == ["02-mall-stabbing-run"])
    #expect(summary.skipped == 5)
    let reasons = Dictionary(
      uniqueKeysWithValues: skipped.map { (($0.file as NSString).lastPathComponent, $0) })
    #expect(reasons["b-truncated.jsonl"]?.reason.contains("cut off") == true)
    #expect(reasons["c-tampered.jsonl"]?.reason.contains("hash does not match") == true)
    #expect(reasons["d-foreign.jsonl"]?.line == 1)
    #expect(reasons["e-empty.jsonl"]?.reason == "file is empty")
    #expect(reasons["f-renamed.jsonl"]?.reason.contains("does not match the file name") == true)
    let text = ReviewTextReport.summary(summary, skipped: skipped)
    #expect(text.contains("skipped (5):"))
    #expect(text.contains("b-truncated.jsonl: line "))
  }
}
