import ArgumentParser
import CallScript
import Foundation

/// `callscript graph`: draw a protocol's questions and what reads each fact.
struct GraphCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "Print a protocol as a Graphviz or Mermaid graph."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case dot, mermaid
  }

  @Argument(help: "The protocol file.")
  var file: String

  @Option(help: "Output format: dot or mermaid.")
  var format: Format = .dot

  func run() throws {
    let result = ProtocolCompiler.compile(data: try readInput(file), file: file)
    guard let compiled = result.protocolValue else {
      for finding in result.diagnostics { printError(finding.rendered) }
      throw ExitStatus.findings
    }
    let graph = ProtocolGraph(compiled)
    switch format {
    case .dot: print(graph.dot(title: "\(compiled.title) \(compiled.version)"), terminator: "")
    case .mermaid: print(graph.mermaid(), terminator: "")
    }
  }
}
