import CallScript
import Foundation
import Yams

// callscript-bench: the speed bars of DESIGN.md, measured in a release build.
//   swift run -c release callscript-bench [--quick]
// Reports medians and 99th percentiles; machines are shared, so compare medians across runs.

let quick = CommandLine.arguments.contains("--quick")

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

/// Plays a call by answering each prompt, timing every engine step.
func stepTimes(_ callProtocol: CallProtocol, steps: Int, calls: Int) -> [Double] {
  var samples: [Double] = []
  samples.reserveCapacity(steps * calls)
  for call in 0..<calls {
    var session = Session(callProtocol: callProtocol)
    var time = 0.0
    for step in 0..<steps {
      time += 7
      guard let prompt = session.currentPrompt,
        let question = callProtocol.question(id: prompt.questionID),
        case .success(let value) = AnswerParser.parse(
          answer(for: prompt, step: step + call), for: question)
      else { break }
      let event = SessionEvent.answer(question: question.id, value: value)
      samples.append(measure { _ = session.apply(event, at: time) })
      if step % 10 == 9, let first = callProtocol.questions.first {
        // A changed answer: the caller corrects an early fact.
        let value: FactValue =
          first.kind == .yesNo ? .yesNo(step % 20 == 9) : .text("corrected at step \(step)")
        samples.append(
          measure { _ = session.apply(.answer(question: first.id, value: value), at: time) })
      }
    }
  }
  return samples
}

print("callscript-bench (\(quick ? "quick" : "full"))")

if CommandLine.arguments.contains("--profile-compile") {
  // For a profiler: compile the generated protocol repeatedly and nothing else.
  let data = Data(SyntheticProtocol.text(questions: 5_000).utf8)
  for _ in 0..<10 { _ = ProtocolCompiler.compile(data: data, file: "synthetic.yaml") }
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
guard let large else {
  let result = ProtocolCompiler.compile(data: data, file: "synthetic.yaml")
  for diagnostic in result.diagnostics.prefix(20) { print(diagnostic.rendered) }
  exit(1)
}
report(
  "engine step, generated protocol",
  stepTimes(large, steps: quick ? 100 : 400, calls: quick ? 1 : 3),
  bar: 5, at: 0.99)
