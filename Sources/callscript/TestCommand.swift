import ArgumentParser
import CallScript
import CallScriptIO
import Foundation

/// `callscript test`: play scenario files against their protocols.
struct TestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run scenario tests (*.scenario.yaml) and optionally report coverage.",
    discussion: """
      PATHs are scenario files or folders searched for *.scenario.yaml; the default is \
      protocols/tests. Exit status: 0 all passed, 1 a scenario failed, 2 unreadable input.
      """
  )

  @Argument(help: "Scenario files or folders (default: protocols/tests).")
  var paths: [String] = []

  @Flag(
    help: """
      Report the questions, options, determinant rows, instructions, relays and \
      verifications no scenario reached.
      """)
  var coverage = false

  @Flag(name: .shortAndLong, help: "List every scenario, not only failures.")
  var verbose = false

  @Option(help: "Write each passing scenario's call as a transcript in this folder.")
  var transcripts: String?

  @Option(help: "Write each passing scenario's dispatch records here: DIR/<call-id>/<seq>.json.")
  var records: String?

  func run() throws {
    let files = try scenarioFiles(paths.isEmpty ? ["protocols/tests"] : paths)
    var protocols = ProtocolCache()
    var coverageByProtocol: [String: (CallProtocol, Coverage)] = [:]
    var failed = 0
    var passed = 0
    var broken = false
    for file in files {
      let data = try readInput(file)
      if FileKind.detect(data, file: file) == .protocolFile {
        printError(
          "callscript: \(file): this is a protocol, not a scenario file; did you mean "
            + "'callscript lint \(file)'? (scenarios are *.scenario.yaml, e.g. protocols/tests)")
        broken = true
        failed += 1
        continue
      }
      let (scenario, diagnostics) = ScenarioReader.read(data: data, file: file)
      for diagnostic in diagnostics { printError(diagnostic.rendered) }
      guard let scenario else {
        failed += 1
        continue
      }
      let source: LoadedProtocol
      do {
        source = try protocols.load(scenario: scenario)
      } catch let error as InputError {
        printError("\(file): \(error.description)")
        broken = true
        failed += 1
        continue
      }
      let compiled = source.compiled
      let result = ScenarioRunner.run(scenario, on: compiled)
      var entry = coverageByProtocol[compiled.file] ?? (compiled, Coverage())
      entry.1.merge(result.coverage)
      coverageByProtocol[compiled.file] = entry
      if result.passed {
        try writeOutputs(result, source: source)
        passed += 1
        if verbose { printSafe("PASS \(file): \(scenario.name)") }
      } else {
        failed += 1
        printSafe("FAIL \(file): \(scenario.name)")
        for failure in result.failures {
          let step = failure.step.map { "step \($0): " } ?? ""
          printSafe(
            "  \(file):\(failure.position.line):\(failure.position.column): \(step)"
              + failure.message)
        }
      }
    }
    printSafe("\(passed + failed) scenarios, \(passed) passed, \(failed) failed")
    if coverage {
      for (file, entry) in coverageByProtocol.sorted(by: { $0.key < $1.key }) {
        printSafe("\ncoverage of \(file):")
        for total in entry.1.totals(in: entry.0) {
          printSafe("  \(total.category): \(total.reached)/\(total.total)")
        }
        for missing in entry.1.missing(in: entry.0) where !missing.items.isEmpty {
          printSafe("  not reached \(missing.category): \(missing.items.joined(separator: ", "))")
        }
      }
    }
    if broken { throw ExitStatus.usage }
    if failed > 0 { throw ExitStatus.findings }
  }

  func scenarioFiles(_ paths: [String]) throws -> [String] {
    var files: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputError(description: "\(path): no such file or folder")
      }
      if isDirectory.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        files += names.filter { $0.hasSuffix(".scenario.yaml") }.sorted().map {
          (path as NSString).appendingPathComponent($0)
        }
      } else {
        files.append(path)
      }
    }
    if files.isEmpty { throw InputError(description: "no *.scenario.yaml files found") }
    return files
  }
}

extension TestCommand {
  /// Writes a scenario's call as a transcript (simulated clock) and its records as EIDO.
  func writeOutputs(_ result: ScenarioResult, source: LoadedProtocol) throws {
    guard transcripts != nil || records != nil else { return }
    let callProtocol = source.compiled
    let context = ScenarioRunner.context(for: result.scenario)
    let callID = context.callID
    if let transcripts {
      try makeFolder(transcripts, mode: 0o755)
      ProtocolSource.archive(source, in: transcripts)
      let path = TranscriptFolder(transcripts).transcript(callID: callID)
      try? FileManager.default.removeItem(atPath: path)
      let writer = try TranscriptWriter(
        creating: path,
        header: Transcript.Header(
          protocolID: callProtocol.id, protocolVersion: callProtocol.version,
          protocolHash: source.hash, context: context,
          language: result.scenario.language ?? callProtocol.language, clock: "simulated",
          timeZone: "UTC"))
      for entry in result.events {
        try writer.append(
          entry.event, at: entry.at, wall: context.date(at: entry.at), prompt: entry.prompt)
      }
    }
    if let records {
      var sink = RecordSink(folder: records, context: context, callProtocol: callProtocol)
      for snapshot in result.records { _ = sink.write(snapshot) }
      if let failed = sink.failures.first {
        throw InputError(
          description: "cannot write record #\(failed) of \(callID) in \(records)")
      }
    }
  }
}

/// Compiles each protocol once, however many scenarios name it.
struct ProtocolCache {
  private var loaded: [String: LoadedProtocol] = [:]

  /// The protocol a scenario names (relative to the scenario file, or absolute), or the built-in one, with
  /// its source and hash.
  mutating func load(scenario: Scenario) throws -> LoadedProtocol {
    var path: String?
    if let named = scenario.protocolPath {
      let folder = (scenario.file as NSString).deletingLastPathComponent
      let joined = named.hasPrefix("/") ? named : (folder as NSString).appendingPathComponent(named)
      path = (joined as NSString).standardizingPath
    }
    let key = path ?? BuiltInProtocol.fileName
    if let cached = loaded[key] { return cached }
    let value: LoadedProtocol
    do {
      value = try ProtocolSource.load(path)
    } catch let error as InputError {
      throw InputError(description: "protocol \(key): \(error.description)")
    }
    loaded[key] = value
    return value
  }
}
