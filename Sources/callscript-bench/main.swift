import CallScript
import CallScriptIO
import Foundation
import Yams

// callscript-bench: the speed bars of DESIGN.md, measured in a release build.
//   swift run -c release callscript-bench [--quick] [--store PATH|postgres://…] [--lint-clash] [--review]
//   swift run -c release --traits Server callscript-bench [--quick] --serve
// Reports medians and 99th percentiles; machines are shared, so compare medians across runs.

let quick = CommandLine.arguments.contains("--quick")

// `--store PATH|postgres://…`: only the incident store benchmark (16 writers).
if let index = CommandLine.arguments.firstIndex(of: "--store"),
  index + 1 < CommandLine.arguments.count
{
  storeBenchmark(
    location: CommandLine.arguments[index + 1], writers: 16, callsPerWriter: quick ? 5 : 25)
  exit(0)
}

func milliseconds(_ duration: Duration) -> Double {
  let (seconds, attoseconds) = duration.components
  return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

func measure(_ body: () -> Void) -> Double {
  let clock = ContinuousClock()
  let start = clock.now
  body()
  return milliseconds(clock.now - start)
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
  guard !values.isEmpty else { return .nan }
  let sorted = values.sorted()
  let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded(.up)))
  return sorted[index]
}

func format(_ value: Double) -> String { String(format: "%.3f ms", value) }

func report(_ name: String, _ samples: [Double], bar: Double? = nil, at fraction: Double = 0.5) {
  let median = percentile(samples, 0.5)
  let p99 = percentile(samples, 0.99)
  let checked = percentile(samples, fraction)
  var line =
    "\(name): median \(format(median)), p99 \(format(p99)), n=\(samples.count)"
  if let bar {
    line += checked <= bar ? "  [ok: under \(format(bar))]" : "  [OVER the \(format(bar)) bar]"
  }
  print(line)
}

/// An answer a caller might give to a prompt, chosen deterministically from the step number.
func answer(for prompt: Prompt, step: Int) -> String {
  switch prompt.kind {
  case .yesNo: return step % 3 == 0 ? "n" : "y"
  case .oneOf: return String(prompt.choices[step % prompt.choices.count].key)
  case .manyOf: return prompt.choices.prefix(2).map { String($0.key) }.joined(separator: ",")
  case .count: return step % 4 == 0 ? "2-3" : "1"
  case .text: return "tall man in a dark jacket"
  case .location: return "1200 Main Street, second floor east wing"
  }
}

/// Plays a call through the call driver by answering each prompt, timing every step: binding
/// the answer, applying it, picking the next prompt, deriving effects.
func stepTimes(_ callProtocol: CallProtocol, steps: Int, calls: Int) -> [Double] {
  var samples: [Double] = []
  samples.reserveCapacity(steps * calls)
  for call in 0..<calls {
    var driver = CallDriver(session: Session(callProtocol: callProtocol))
    var time = 0.0
    for step in 0..<steps {
      time += 7
      guard let prompt = driver.prompt,
        let question = callProtocol.question(id: prompt.questionID),
        case .success(let value) = AnswerParser.parse(
          answer(for: prompt, step: step + call), for: question)
      else { break }
      samples.append(
        measure { _ = driver.handle(.answer(.value(value), to: .onScreen), at: time) })
      if step % 10 == 9, let first = callProtocol.questions.first {
        // A changed answer: the caller corrects an early fact.
        let value: FactValue =
          first.kind == .yesNo ? .yesNo(step % 20 == 9) : .text("corrected at step \(step)")
        samples.append(
          measure {
            _ = driver.handle(.answer(.value(value), to: .question(first.id)), at: time)
          })
      }
    }
  }
  return samples
}

print("callscript-bench (\(quick ? "quick" : "full"))")
print(machineLine())

/// The machine the figures were measured on: its cores (those this process may use, of all) and
/// the load average, since the bars are wall-clock times on machines that are often shared.
func machineLine() -> String {
  let info = ProcessInfo.processInfo
  var load = [Double](repeating: 0, count: 3)
  let loads =
    getloadavg(&load, 3) == 3
    ? String(format: "%.2f %.2f %.2f", load[0], load[1], load[2]) : "unknown"
  return
    "machine: \(info.activeProcessorCount) cores (of \(info.processorCount)), load average \(loads)"
}

// `--serve`: only change → notification latency of `callscript serve` (16 subscribers);
// needs the `Server` trait.
if CommandLine.arguments.contains("--serve") {
  #if Server
  serveBenchmark(subscribers: 16, changes: quick ? 20 : 200)
  exit(0)
  #else
  print("--serve needs a build with the Server trait: swift build -c release --traits Server")
  exit(1)
  #endif
}

if CommandLine.arguments.contains("--signing") {
  // Only the cost of signing transcript lines.
  signingBenchmark(quick: quick)
  exit(0)
}

if CommandLine.arguments.contains("--review") {
  // Only the review and verify bars (3 and 4 below), unsigned and signed calls.
  guard let callProtocol = BuiltInProtocol.compile().protocolValue else { exit(1) }
  print(machineLine())
  reviewBenchmark(callProtocol, quick: quick)
  exit(0)
}

if CommandLine.arguments.contains("--lint-clash") {
  // Only lint of options whose keys clash.
  lintClashBenchmark(quick: quick)
  exit(0)
}

if CommandLine.arguments.contains("--profile-compile") {
  // For a profiler: compile the generated protocol repeatedly and nothing else.
  let data = Data(SyntheticProtocol.text(questions: 5_000).utf8)
  for _ in 0..<10 { _ = ProtocolCompiler.compile(data: data, file: "synthetic.yaml") }
  exit(0)
}

if CommandLine.arguments.contains("--profile-review") {
  // For a profiler: review 64 generated calls held in memory, ten times, and verify them once.
  guard let callProtocol = BuiltInProtocol.compile().protocolValue else { exit(1) }
  let plan = ReviewPlan(callProtocol)
  let hash = Transcript.sha256(BuiltInProtocol.data)
  let calls = reviewScripts(callProtocol, count: 64, length: 100).enumerated().map {
    index, events in
    let header = Transcript.Header(
      protocolID: callProtocol.id, protocolVersion: callProtocol.version, protocolHash: hash,
      context: CallContext(
        callID: "call-\(index)", startedAt: Date(timeIntervalSince1970: 1_767_225_600),
        agencyID: "psap.bench", agentID: "position-1"),
      language: "en", clock: "simulated")
    return Data(
      Transcript.text(header: header, events: events.map { (at: $0.0, event: $0.1) }).utf8)
  }
  var reviewed = 0
  for _ in 0..<10 {
    for data in calls {
      if case .success = CallReviewer.review(data, file: "call.jsonl", plan: { _ in plan }) {
        reviewed += 1
      }
    }
  }
  for data in calls {
    _ = TranscriptReader.verify(data, allowIncomplete: true) { _ in callProtocol }
  }
  print("reviewed \(reviewed)")
  if CommandLine.arguments.contains("--split") {
    // Where a review's time goes, natively (a profiler's counts of hashing differ from the
    // CPU's: valgrind hides the SHA extensions): reading and checking the chain, then all.
    let scanning = measure {
      for _ in 0..<10 { for data in calls { _ = TranscriptScanner.read(data) } }
    }
    let reviewing = measure {
      for _ in 0..<10 {
        for data in calls { _ = CallReviewer.review(data, file: "call.jsonl", plan: { _ in plan }) }
      }
    }
    let count = Double(calls.count * 10)
    print(
      String(
        format: "per call: read and check the chain %.1f µs, whole review %.1f µs",
        scanning * 1000 / count, reviewing * 1000 / count))
  }
  exit(0)
}

// 0. Startup of `callscript take` to its first prompt (a new process each time).
if let binary = Startup.binary {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "callscript-bench-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let samples = (0..<(quick ? 5 : 30)).compactMap { _ in
    Startup.measure(binary: binary, folder: folder)
  }
  report("take: process start to first prompt", samples, bar: 50)
  try? FileManager.default.removeItem(at: folder)
} else {
  print("take startup: build the callscript binary in the same configuration to measure it")
}

// 1. The built-in protocol.
let builtIn = BuiltInProtocol.compile()
guard let builtInProtocol = builtIn.protocolValue else {
  for diagnostic in builtIn.diagnostics { print(diagnostic.rendered) }
  exit(1)
}
report(
  "compile built-in protocol (\(builtInProtocol.questions.count) questions)",
  (0..<(quick ? 5 : 30)).map { _ in measure { _ = BuiltInProtocol.compile() } })
report(
  "engine step, built-in protocol", stepTimes(builtInProtocol, steps: 60, calls: quick ? 20 : 300),
  bar: 1, at: 0.99)

// 1b. Generated calls through the driver, callers taking 0-180 s: every answer on the prompt it
// was given to, and the replay of each call giving the same records (the tests play 2,000).
do {
  let count = quick ? 2_000 : 20_000
  var answers = 0
  var problems: [String] = []
  let elapsed = measure {
    for seed in 1...count {
      let result = GeneratedCall.play(seed: UInt64(seed), on: builtInProtocol)
      answers += result.answers
      problems += result.problems
    }
  }
  print(
    "generated calls: \(count) calls, \(answers) answers checked, \(problems.count) problems, "
      + String(format: "%.1f s", elapsed / 1000))
  for problem in problems.prefix(10) { print("  \(problem)") }
}

// 2. A generated 5,000-question protocol with long condition chains.
let size = 5_000
let text = SyntheticProtocol.text(questions: size)
let data = Data(text.utf8)
var large: CallProtocol?
let compileSamples = (0..<(quick ? 2 : 7)).map { _ in
  measure { large = ProtocolCompiler.compile(data: data, file: "synthetic.yaml").protocolValue }
}
print("generated protocol: \(size) questions, \(data.count / 1024) KiB of YAML")
report("compile and lint the generated protocol", compileSamples, bar: 300)
report(
  "  for comparison: Yams compose with its default (regex) resolver",
  (0..<(quick ? 2 : 5)).map { _ in measure { _ = try? Yams.compose(yaml: text) } })
report(
  "  of which YAML parsing into source nodes",
  (0..<(quick ? 2 : 5)).map { _ in measure { _ = SourceReader.read(text, file: "synthetic.yaml") } }
)
// 3. Lint of one question with many options on one key (issue 13): linear, not quadratic.
lintClashBenchmark(quick: quick)

guard let large else {
  let result = ProtocolCompiler.compile(data: data, file: "synthetic.yaml")
  for diagnostic in result.diagnostics.prefix(20) { print(diagnostic.rendered) }
  exit(1)
}
report(
  "engine step, generated protocol",
  stepTimes(large, steps: quick ? 100 : 400, calls: quick ? 1 : 3),
  bar: 5, at: 0.99)

// 3. Reviewing transcripts: `callscript review` over 1,000 and 10,000 generated calls of about
// 100 events each, on 2 threads (docs/review.md). The bar: 10,000 in under 2 s.

/// Peak resident memory of this process so far, in MiB (VmHWM), and a way to reset it.
enum PeakMemory {
  static func mebibytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else { return .nan }
    return kilobytes / 1024
  }

  /// Starts a new peak from the current resident size (Linux: clear_refs 5).
  static func reset() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  }
}

/// CPU time used by this process so far (user and system, all threads), in milliseconds.
func cpuMilliseconds() -> Double {
  var usage = rusage()
  #if canImport(Glibc)
  getrusage(RUSAGE_SELF.rawValue, &usage)
  #else
  getrusage(RUSAGE_SELF, &usage)
  #endif
  func ms(_ time: timeval) -> Double { Double(time.tv_sec) * 1000 + Double(time.tv_usec) / 1000 }
  return ms(usage.ru_utime) + ms(usage.ru_stime)
}

/// Calls on the built-in protocol, played against the engine: mostly prompt answers, some
/// volunteered answers, notes, "back", pauses so re-asks fall due; about `length` events.
func reviewScripts(_ callProtocol: CallProtocol, count: Int, length: Int) -> [[(
  Double, SessionEvent
)]] {
  (0..<count).map { seed in
    var session = Session(callProtocol: callProtocol)
    var events: [(Double, SessionEvent)] = []
    var time = 0.0
    var step = 0
    func play(_ event: SessionEvent) {
      if case .success = session.apply(event, at: time) { events.append((time, event)) }
    }
    func value(_ question: Question, _ step: Int) -> FactValue {
      switch question.kind {
      case .yesNo: return .yesNo(step % 3 != 0)
      case .oneOf:
        // The first question (what is happening) mostly gets a real attack.
        return .option(
          question.options[(step % 5 == 4 ? step : step % 3) % question.options.count].id)
      case .manyOf: return .options(Set(question.options.prefix(1 + step % 2).map(\.id)))
      case .count: return step % 4 == 0 ? .count(low: 2, high: 3) : .count(low: 1, high: 1)
      case .text: return .text("tall man in a dark jacket, step \(step)")
      case .location: return .text("1200 Main Street, floor \(step % 4 + 1), east wing")
      }
    }
    while events.count < length - 1 {
      step += 1
      time += Double(3 + (step * 7 + seed) % 6)
      let roll = (step * 13 + seed * 7) % 17
      if roll == 0 {
        play(.note("caller says it is quiet now, step \(step)"))
      } else if roll == 1, step > 6, session.answers.contains(where: { $0 != nil }) {
        play(.back)
      } else if roll == 2, step > 4,
        let question = callProtocol.askingOrder.reversed().lazy.map({ callProtocol.questions[$0] })
          .first(where: {
            session.answers[$0.slot] == nil && session.applies($0)
              && $0.id != session.currentPrompt?.questionID
          })
      {
        play(.answer(question: question.id, value: value(question, step + seed)))
      } else if let prompt = session.currentPrompt,
        let question = callProtocol.question(id: prompt.questionID)
      {
        play(.answer(question: question.id, value: value(question, step + seed)))
      } else {
        time += 20
        _ = session.advance(to: time)
        if step % 2 == 0 { play(.note("waiting with the caller, step \(step)")) }
      }
    }
    play(.end)
    return events
  }
}

/// Writes `count` transcripts into `folder`, each a base script with its own id, position and
/// wording; returns the paths in order.
func writeReviewTranscripts(
  _ scripts: [[(Double, SessionEvent)]], callProtocol: CallProtocol, count: Int, folder: String,
  signer: TranscriptSigner? = nil
) -> [String] {
  let hash = Transcript.sha256(BuiltInProtocol.data)
  let start = Date(timeIntervalSince1970: 1_767_225_600)
  let paths = (0..<count).map { (folder as NSString).appendingPathComponent("call-\($0).jsonl") }
  DispatchQueue.concurrentPerform(iterations: 2) { worker in
    for index in stride(from: worker, to: count, by: 2) {
      let header = Transcript.Header(
        protocolID: callProtocol.id, protocolVersion: callProtocol.version, protocolHash: hash,
        context: CallContext(
          callID: "call-\(index)", startedAt: start.addingTimeInterval(Double(index) * 60),
          agencyID: "psap.bench", agentID: "position-\(index % 6 + 1)"),
        language: "en", clock: "simulated")
      let events = scripts[index % scripts.count].map {
        at, event -> (at: Double, event: SessionEvent) in
        if case .answer(let question, .text(let words)) = event {
          return (at, .answer(question: question, value: .text("\(words) (call \(index))")))
        }
        return (at, event)
      }
      let text = Transcript.text(header: header, events: events, signer: signer)
      _ = FileManager.default.createFile(atPath: paths[index], contents: Data(text.utf8))
    }
  }
  return paths
}

func reviewBenchmark(_ callProtocol: CallProtocol, quick: Bool) {
  let sizes = quick ? [1_000, 2_000] : [1_000, 10_000]
  let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent(
    "callscript-bench-review-\(getpid())")
  try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  // CALLSCRIPT_BENCH_KEEP=1 keeps the generated transcripts, to profile `callscript review`.
  let keep = ProcessInfo.processInfo.environment["CALLSCRIPT_BENCH_KEEP"] != nil
  defer {
    if keep {
      print("review: transcripts kept in \(folder)")
    } else {
      try? FileManager.default.removeItem(atPath: folder)
    }
  }
  let scripts = reviewScripts(callProtocol, count: 64, length: 100)
  let lengths = scripts.map { $0.count + 1 }
  var files: [String] = []
  let writing = measure {
    files = writeReviewTranscripts(
      scripts, callProtocol: callProtocol, count: sizes.max() ?? 0, folder: folder)
  }
  let bytes = files.prefix(100).reduce(0) {
    $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
  }
  print(
    "review: wrote \(files.count) transcripts in \(format(writing)); lines per file "
      + "\(lengths.min() ?? 0)-\(lengths.max() ?? 0) (header + events), about \(bytes / 100 / 1024) KiB each"
  )
  // As `callscript review` does: each worker thread compiles the protocol it is given.
  let runner = ReviewRunner(workers: 2) { _, _ in BuiltInProtocol.compile().protocolValue }
  // Where the time goes, on one thread: reading the files, reviewing them, and for comparison
  // verifying with a full engine replay (what `callscript verify` does).
  let sample = Array(files.prefix(1_000))
  let reading = measure { for file in sample { _ = RegularFile.contents(of: file) } }
  let oneThread = ReviewRunner(workers: 1) { _, _ in BuiltInProtocol.compile().protocolValue }
  let reviewing = measure { _ = oneThread.run(sample) { _ in } }
  let verifying = measure {
    for file in sample.prefix(200) {
      if let data = RegularFile.contents(of: file) {
        _ = TranscriptReader.verify(data, allowIncomplete: true) { _ in callProtocol }
      }
    }
  }
  print(
    String(
      format: "review, one thread, per call: read the file %.1f µs, review it %.1f µs "
        + "(verify with a full engine replay: %.1f µs)",
      reading, reviewing, verifying * 5))
  // The same calls signed (every line, as `take` signs with a key): the fast reader takes them
  // and verifies one signature a call, the last, which vouches for the whole chain.
  let signedFolder = (folder as NSString).appendingPathComponent("signed")
  try? FileManager.default.createDirectory(atPath: signedFolder, withIntermediateDirectories: true)
  let signedFiles = writeReviewTranscripts(
    scripts, callProtocol: callProtocol, count: sample.count, folder: signedFolder,
    signer: TranscriptSigner())
  var signedReviewed = 0
  let reviewingSigned = measure {
    _ = oneThread.run(signedFiles) { if case .reviewed = $0 { signedReviewed += 1 } }
  }
  print(
    String(
      format: "  signed copies, one thread: review %.1f µs per call (%d of %d reviewed), "
        + "%.2fx the unsigned", reviewingSigned * 1000 / Double(signedFiles.count),
      signedReviewed, signedFiles.count, reviewingSigned / max(reviewing, 0.001)))
  var figures: [(calls: Int, median: Double)] = []
  for size in sizes {
    let subset = Array(files.prefix(size))
    var reviewed = 0
    var skipped = 0
    PeakMemory.reset()
    var cpu: [Double] = []
    let samples = (0..<(size >= 10_000 ? 3 : 5)).map { _ in
      let cpuStart = cpuMilliseconds()
      defer { cpu.append(cpuMilliseconds() - cpuStart) }
      return measure {
        reviewed = 0
        skipped = 0
        _ = runner.run(subset) { result in
          if case .reviewed = result { reviewed += 1 } else { skipped += 1 }
        }
      }
    }
    let peak = PeakMemory.mebibytes()
    var output = 0
    PeakMemory.reset()
    let withJSON = measure {
      _ = runner.run(subset) { result in
        if case .reviewed(let call) = result {
          output += ReviewJSONReport.call(call, first: output == 0).utf8.count
        }
      }
    }
    let peakJSON = PeakMemory.mebibytes()
    let median = percentile(samples, 0.5)
    figures.append((size, median))
    var line =
      "review \(size) transcripts, 2 threads: median \(format(median)) (n=\(samples.count)), "
      + String(
        format: "%.1f µs per call, CPU %.0f ms, peak RSS %.1f MiB", median * 1000 / Double(size),
        percentile(cpu, 0.5), peak)
      + "; \(reviewed) reviewed, \(skipped) skipped"
    if size >= 10_000 {
      line += median < 2_000 ? "  [ok: under 2 s]" : "  [OVER the 2 s bar]"
    }
    print(line)
    print(
      String(
        format: "  with the JSON report: %@, %.1f MiB of JSON, peak RSS %.1f MiB", format(withJSON),
        Double(output) / 1_048_576, peakJSON))
  }
  if let first = figures.first, let last = figures.last, last.calls > first.calls {
    print(
      String(
        format: "review scaling %d -> %d calls: time x%.2f for x%.0f calls", first.calls,
        last.calls, last.median / first.median, Double(last.calls) / Double(first.calls)))
  }
  verifyBenchmark(files, callProtocol: callProtocol)
}

/// `callscript verify` over every file: read it, check the chain and the protocol hash, and
/// replay every event through the engine; the protocol compiled once, two threads.
func verifyBenchmark(_ files: [String], callProtocol: CallProtocol) {
  let halves = [
    Array(files.prefix(files.count / 2)), Array(files.suffix(files.count - files.count / 2)),
  ]
  let failures = Counter()
  let samples = (0..<3).map { _ in
    measure {
      DispatchQueue.concurrentPerform(iterations: halves.count) { half in
        for file in halves[half] {
          guard let data = RegularFile.contents(of: file),
            case .success = TranscriptReader.verify(
              data, allowIncomplete: true, protocolFor: { _ in callProtocol })
          else {
            failures.add()
            continue
          }
        }
      }
    }
  }
  let median = percentile(samples, 0.5)
  print(
    "verify \(files.count) transcripts with a full engine replay, 2 threads: median "
      + "\(format(median)) (n=\(samples.count)), "
      + String(format: "%.1f µs per call", median * 1000 / Double(max(1, files.count)))
      + "; \(failures.value / samples.count) failed"
      + (files.count >= 10_000
        ? (median < 5_000 ? "  [ok: under 5 s]" : "  [OVER the 5 s bar]") : ""))
}

/// A count shared by threads.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  var value: Int { lock.withLock { count } }
  func add() { lock.withLock { count += 1 } }
}

/// The cost of signing every transcript line: appends (with fsync) and reads, signed and not.
func signingBenchmark(quick: Bool) {
  let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent(
    "callscript-bench-signing-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: folder) }
  let events = quick ? 200 : 2_000
  let header = Transcript.Header(
    protocolID: "active-attack", protocolVersion: "1.0.0",
    protocolHash: String(repeating: "a", count: 64),
    context: CallContext(
      callID: "bench", startedAt: Date(timeIntervalSince1970: 1_767_225_600),
      agencyID: "psap.example", agentID: "position-1"),
    language: "en", clock: "simulated")
  for signer in [nil, TranscriptSigner()] {
    let path = (folder as NSString).appendingPathComponent(
      "\(signer == nil ? "plain" : "signed").jsonl")
    guard let writer = try? TranscriptWriter(creating: path, header: header, signer: signer) else {
      print("signing benchmark: cannot write \(path)")
      return
    }
    let write = measure {
      for index in 0..<events {
        try? writer.append(
          .note("note \(index)"), at: Double(index), wall: Date(timeIntervalSince1970: 0))
      }
    }
    let data = FileManager.default.contents(atPath: path) ?? Data()
    let read = measure { _ = TranscriptReader.read(data) }
    print(
      String(
        format: "transcript %@: append with fsync %.1f µs per event, read %.1f µs per line, "
          + "%.0f bytes per line", signer == nil ? "unsigned" : "signed",
        write * 1000 / Double(events), read * 1000 / Double(events + 1),
        Double(data.count) / Double(events + 1)))
  }
  let signer = TranscriptSigner()
  let hash = String(repeating: "c", count: 64)
  let sign = measure { for _ in 0..<events { _ = signer.sign(hash: hash) } }
  print(String(format: "Ed25519 signature alone: %.1f µs per line", sign * 1000 / Double(events)))
}

reviewBenchmark(builtInProtocol, quick: quick)
signingBenchmark(quick: quick)
