import ArgumentParser
import CallScript
import CallScriptStore
import Foundation

/// `callscript incidents`: the incidents in the store, each merged from all its calls.
struct IncidentsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "incidents",
    abstract: "List, show and export incidents merged from their calls; rebuild the store.",
    subcommands: [List.self, Show.self, EIDO.self, Rebuild.self, Dump.self]
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  struct StoreOptions: ParsableArguments {
    @Option(
      help: ArgumentHelp(
        "The incident store: a SQLite file or postgres://USER@HOST:PORT/DB.",
        valueName: "PATH|URL"))
    var store = "transcripts/incidents.sqlite"

    func open() throws -> any IncidentStore {
      do {
        return try IncidentStores.open(store)
      } catch {
        throw InputError(description: "\(error)")
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every incident, latest first.")
    @OptionGroup var options: StoreOptions
    @Option(help: "text or json.") var format: Format = .text

    func run() throws {
      let store = try options.open()
      defer { store.close() }
      let incidents = try store.incidents()
      switch format {
      case .json: print(Escaped.json(JSONValue.array(incidents.map(\.json)).canonical))
      case .text:
        if incidents.isEmpty { print("no incidents in \(options.store)") }
        for incident in incidents {
          print(
            "\(SafeText.visible(incident.text)), updated \(Transcript.timestamp(incident.updatedAt))"
          )
        }
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "An incident's merged picture: callers, facts, conflicts, relays.")
    @Argument(help: "The incident id.") var id: String
    @OptionGroup var options: StoreOptions
    @Option(help: "text or json.") var format: Format = .text

    func run() throws {
      let store = try options.open()
      defer { store.close() }
      guard let picture = try store.picture(id) else {
        throw InputError(description: "no incident '\(id)' in \(options.store)")
      }
      switch format {
      case .json: print(Escaped.json(picture.json.canonical))
      case .text: print(picture.lines.map { SafeText.visible($0) }.joined(separator: "\n"))
      }
    }
  }

  struct EIDO: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "eido", abstract: "The merged incident EIDO (NENA-STA-021) of an incident.")
    @Argument(help: "The incident id.") var id: String
    @OptionGroup var options: StoreOptions
    @Option(help: "Write it to this file (default: standard output).") var output: String?

    func run() throws {
      let store = try options.open()
      defer { store.close() }
      let calls = try store.calls(incident: id)
      guard !calls.isEmpty else {
        throw InputError(description: "no incident '\(id)' in \(options.store)")
      }
      let picture = IncidentPicture.merge(incidentID: id, calls: calls)
      let data = IncidentEIDO.json(for: picture, calls: calls) + Data("\n".utf8)
      if let output {
        guard FileManager.default.createFile(atPath: output, contents: data) else {
          throw InputError(description: "\(output): cannot write")
        }
      } else {
        FileHandle.standardOutput.write(data)
      }
    }
  }

  struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Recreate the store from transcripts alone (it then equals the live one).")
    @Option(help: "The transcripts folder.") var from = "transcripts"
    @OptionGroup var options: StoreOptions
    @Option(help: "text or json.") var format: Format = .text

    func run() throws {
      try requireFolder(from)
      let files =
        ((try? FileManager.default.contentsOfDirectory(atPath: from)) ?? [])
        .filter { $0.hasSuffix(".jsonl") }.sorted()
        .map { (from as NSString).appendingPathComponent($0) }
      var calls: [IncidentCall] = []
      var problems: [String] = []
      for file in files {
        switch Self.call(from: file) {
        case .success(let call): calls.append(call)
        case .failure(let problem): problems.append("\(file): \(problem.description)")
        }
      }
      let store = try options.open()
      defer { store.close() }
      try store.removeAll()
      for call in calls { _ = try store.save(call) }
      let incidents = try store.incidents()
      switch format {
      case .json:
        print(
          JSONValue.object([
            "calls": .number(Double(calls.count)), "incidents": .number(Double(incidents.count)),
            "problems": .array(problems.map { .string($0) }),
          ]).canonical)
      case .text:
        for problem in problems { printError("callscript: \(problem)") }
        print(
          "rebuilt \(options.store) from \(from): \(calls.count) calls, "
            + "\(incidents.count) incidents")
      }
      if !problems.isEmpty { throw ExitStatus.findings }
    }

    /// A transcript's call as the store keeps it, replayed with the protocol it was taken with.
    static func call(from file: String) -> Result<IncidentCall, InputError> {
      guard let data = FileManager.default.contents(atPath: file) else {
        return .failure(InputError(description: "cannot be read"))
      }
      let reading: TranscriptReading
      switch TranscriptReader.read(data) {
      case .success(let value): reading = value
      case .failure(let problem): return .failure(InputError(description: "\(problem)"))
      }
      guard
        let loaded = ProtocolSource.find(
          hash: reading.header.protocolHash, transcript: file, extra: [])
      else {
        return .failure(
          InputError(description: "protocol \(reading.header.protocolHash.prefix(12))… not found"))
      }
      switch TranscriptReader.replay(reading, on: loaded.compiled) {
      case .success(let (driver, _)):
        return .success(IncidentCall(session: driver.session, context: reading.header.context))
      case .failure(let problem): return .failure(InputError(description: "\(problem)"))
      }
    }
  }

  struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Everything the store holds as canonical JSON: two stores are equal when their "
        + "dumps are.")
    @OptionGroup var options: StoreOptions

    func run() throws {
      let store = try options.open()
      defer { store.close() }
      print(try store.dump())
    }
  }
}
