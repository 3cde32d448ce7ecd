import ArgumentParser
import CallScript
import Foundation

/// The `callscript` command: a thin layer over the CallScript library.
struct CallScriptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "callscript",
    abstract: "Call-taking scripts for active-attack 911 calls.",
    version: CallScriptVersion.string,
    subcommands: [
      TakeCommand.self, LintCommand.self, GraphCommand.self, TestCommand.self, VerifyCommand.self,
      ReplayCommand.self, ReviewCommand.self, KeysCommand.self, IncidentsCommand.self,
      ServeCommand.self,
    ]
  )
}

/// Exit statuses relied on by scripts and CI.
enum ExitStatus {
  /// Findings: lint errors, failed scenarios, a broken transcript.
  static let findings = ExitCode(1)
  /// A usage error or unreadable input.
  static let usage = ExitCode(2)
}

/// A problem that stops a command, printed as `callscript: message` with exit status 2.
struct InputError: Error, CustomStringConvertible {
  var description: String
}

/// Reads a file named on the command line, or throws an ``InputError``.
func readInput(_ path: String) throws -> Data {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
    throw InputError(description: "\(path): no such file")
  }
  guard !isDirectory.boolValue else {
    throw InputError(description: "\(path): is a folder, expected a file")
  }
  guard let data = FileManager.default.contents(atPath: path) else {
    throw InputError(description: "\(path): cannot be read")
  }
  return data
}

/// Makes sure a folder named on the command line exists, creating it (mode 0700 unless given)
/// and its parents; a file in its place, or a folder that cannot be made, is an ``InputError``
/// with a one-line message.
func makeFolder(_ path: String, mode: Int = 0o700) throws {
  var isDirectory: ObjCBool = false
  if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
    guard isDirectory.boolValue else {
      throw InputError(description: "\(path): is a file, expected a folder")
    }
    return
  }
  do {
    try FileManager.default.createDirectory(
      atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
  } catch {
    throw InputError(description: "\(path): cannot create the folder (\(reason(error)))")
  }
}

/// A folder named on the command line to read from; a file in its place, or one that does not
/// exist, is an ``InputError``.
func requireFolder(_ path: String) throws {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
    throw InputError(description: "\(path): no such folder")
  }
  guard isDirectory.boolValue else {
    throw InputError(description: "\(path): is a file, expected a folder")
  }
}

/// The system's words for a file error, without Foundation's dump of its user info.
func reason(_ error: any Error) -> String {
  let nsError = error as NSError
  if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
    underlying.domain == NSPOSIXErrorDomain
  {
    return String(cString: strerror(Int32(underlying.code)))
  }
  if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
  return nsError.localizedDescription
}

/// Writes a line to standard output as a terminal may show it: a file name or a transcript's
/// text with an escape sequence in it is shown, never obeyed.
func printSafe(_ text: String) {
  print(
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { SafeText.visible($0, limit: .max) }.joined(separator: "\n"))
}

/// Writes text to standard error.
func printError(_ text: String) {
  // File names and quoted input may hold escape sequences: shown, never obeyed.
  let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  FileHandle.standardError.write(
    Data((lines.map { SafeText.visible($0, limit: .max) }.joined(separator: "\n") + "\n").utf8))
}

/// Runs a parsed command, mapping every failure onto the documented exit statuses.
func runMain() -> Never {
  do {
    var command = try CallScriptCommand.parseAsRoot()
    try command.run()
    exit(0)
  } catch let code as ExitCode {
    exit(code.rawValue)
  } catch let error as InputError {
    printError("callscript: \(error.description)")
    exit(ExitStatus.usage.rawValue)
  } catch {
    let code = CallScriptCommand.exitCode(for: error)
    let message = CallScriptCommand.fullMessage(for: error)
    if code == .success {
      print(message)
      exit(0)
    }
    printError(message)
    exit(ExitStatus.usage.rawValue)
  }
}
