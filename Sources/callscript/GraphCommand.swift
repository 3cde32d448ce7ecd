import ArgumentParser
import CallScript
import Foundation

/// `callscript graph`: draw a protocol's call flow.
struct GraphCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "Print a protocol's call flow as a Graphviz, Mermaid or SVG graph.",
    discussion: """
      Questions stand in asking order (highest priority first); every arrow from a fact is \
      labelled with the clause that reads it; dispatch points are marked; the determinant \
      table keeps its order down to the default row. --format svg runs Graphviz's 'dot'.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case dot, mermaid, svg
  }

  enum View: String, ExpressibleByArgument, CaseIterable {
    case flow, full
  }

  @Argument(help: "The protocol file.")
  var file: String

  @Option(help: "Output format: dot, mermaid or svg (svg needs Graphviz's 'dot' on PATH).")
  var format: Format = .dot

  @Option(
    help: ArgumentHelp(
      "What to draw: flow (questions, derived facts, dispatch points, response tables) or "
        + "full (also instructions, relays and verifications)."))
  var view: View = .flow

  @Option(name: .shortAndLong, help: "Write the graph to this file instead of standard output.")
  var output: String?

  func run() throws {
    let result = ProtocolSource.compile(try readInput(file), file: file)
    guard let compiled = result.protocolValue else {
      for finding in result.diagnostics { printError(finding.rendered) }
      throw ExitStatus.findings
    }
    let graph = ProtocolGraph(compiled, view: view == .full ? .full : .flow)
    let title = "\(compiled.title) \(compiled.version)"
    let text: String
    switch format {
    case .dot: text = graph.dot(title: title)
    case .mermaid: text = graph.mermaid(title: title)
    case .svg: text = try Graphviz.svg(from: graph.dot(title: title))
    }
    if let output {
      guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
        throw InputError(description: "\(output): cannot be written")
      }
    } else {
      print(text, terminator: "")
    }
  }
}

/// Graphviz's `dot`, run as a separate program to render SVG.
enum Graphviz {
  /// The path of `dot` on `PATH`, if Graphviz is installed.
  static func dotPath() -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = (String(folder) as NSString).appendingPathComponent("dot")
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// SVG for DOT text, or an ``InputError`` that says how to get Graphviz.
  static func svg(from dot: String) throws -> String {
    guard let executable = dotPath() else {
      throw InputError(
        description: "--format svg needs Graphviz's 'dot' program, which is not on PATH; "
          + "install Graphviz (Debian: apt-get install graphviz), or print DOT with "
          + "--format dot and render it elsewhere")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-Tsvg"]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    do {
      try process.run()
    } catch {
      throw InputError(description: "\(executable): cannot be run: \(error.localizedDescription)")
    }
    // Read standard error and output while dot writes, so neither pipe fills up and blocks it.
    let errorText = LockedData()
    let reader = Thread { errorText.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    input.fileHandleForWriting.write(Data(dot.utf8))
    try? input.fileHandleForWriting.close()
    let svg = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorText.isSet { Thread.sleep(forTimeInterval: 0.005) }
    guard process.terminationStatus == 0 else {
      let message = String(decoding: errorText.value, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw InputError(
        description: "\(executable) failed (status \(process.terminationStatus)): \(message)")
    }
    return String(decoding: svg, as: UTF8.self)
  }
}

/// Bytes handed from a reader thread to the command.
///
/// `@unchecked Sendable`: every access goes through the lock.
private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?

  func set(_ value: Data) { lock.withLock { data = value } }
  var isSet: Bool { lock.withLock { data != nil } }
  var value: Data { lock.withLock { data ?? Data() } }
}
