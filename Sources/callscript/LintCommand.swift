import ArgumentParser
import CallScript
import Foundation

/// `callscript lint`: compile protocols and report every finding.
struct LintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check protocol files and report each problem with its position and code.",
    discussion: "Exit status: 0 clean, 1 findings, 2 unreadable input."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Argument(help: "Protocol files to check.")
  var files: [String]

  @Flag(help: "Treat warnings as errors.")
  var strict = false

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  func run() throws {
    var findings: [Diagnostic] = []
    var unreadable = false
    var compiled = 0
    for file in files {
      do {
        let data = try readInput(file)
        if FileKind.detect(data, file: file) == .scenario {
          printError(
            "callscript: \(file): this is a scenario file, not a protocol; did you mean "
              + "'callscript test \(file)'?")
          unreadable = true
          continue
        }
        let result = ProtocolSource.compile(data, file: file)
        compiled += 1
        findings += result.diagnostics.map { strict ? $0.promoted() : $0 }
      } catch let error as InputError {
        printError("callscript: \(error.description)")
        unreadable = true
      }
    }
    switch format {
    case .text:
      for finding in findings { print(finding.rendered) }
      let errors = findings.filter { $0.severity == .error }.count
      let warnings = findings.count - errors
      let checked = "\(compiled) file\(compiled == 1 ? "" : "s")"
      // The summary follows the findings, on the same stream.
      if compiled == 0 {
      } else if findings.isEmpty {
        print("\(checked), no findings")
      } else {
        print(
          "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning"
            + (warnings == 1 ? "" : "s") + " in \(checked)")
      }
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let data = try encoder.encode(findings)
      print(String(decoding: data, as: UTF8.self))
    }
    if unreadable { throw ExitStatus.usage }
    if findings.contains(where: { $0.severity == .error }) { throw ExitStatus.findings }
  }
}
