import ArgumentParser
import CallScript
import CallScriptStore
import Foundation

#if Server
import CallScriptServer
#endif

/// `callscript serve`: EIDO to CAD over NENA STA-024 WebSocket and the live board, from the
/// incident store.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the incident store: EIDO over NENA STA-024 WebSocket and the live board.",
    discussion: """
      Built only with the Server trait: swift build --traits Server (see the README and \
      docs/serve.md). Prints 'listening on http://HOST:PORT/' once it accepts connections.
      """)

  @Option(help: "The incident store: a SQLite file or postgres://USER@HOST:PORT/DB.")
  var store = "transcripts/incidents.sqlite"

  @Option(help: "The address to listen on; anything but loopback needs --token-file.")
  var host = "127.0.0.1"

  @Option(help: "The port (0: any free port, printed on start).")
  var port = 8911

  @Option(
    help: ArgumentHelp(
      "A file holding the token clients must give (?token= or Authorization: Bearer).",
      valueName: "FILE"))
  var tokenFile: String?

  @Option(
    help: "system, or simulated: ages on the board count from the store's latest update.")
  var clock = "system"

  func run() throws {
    guard let chosenClock = CallClock(rawValue: clock) else {
      throw ValidationError("--clock must be 'system' or 'simulated'")
    }
    var token: String?
    if let tokenFile {
      let text = String(decoding: try readInput(tokenFile), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      guard text.count >= 16, !text.contains(where: { $0.isWhitespace }) else {
        throw InputError(
          description: "\(tokenFile): the token must be one word of at least 16 characters")
      }
      token = text
    }
    guard (0...65535).contains(port) else {
      throw InputError(description: "--port \(port): not a port (0 to 65535)")
    }
    #if Server
    guard ConveyanceServer.isLoopback(host) || token != nil else {
      throw InputError(
        description: "--host \(host) is reachable from other machines: give --token-file FILE "
          + "(clients send the token), or serve on 127.0.0.1")
    }
    let options = ConveyanceServer.Options(
      store: store, host: host, port: port, token: token, simulatedClock: chosenClock == .simulated)
    let done = DispatchSemaphore(value: 0)
    let failure = Failure()
    Task {
      do {
        try await ConveyanceServer.run(options) { message in
          printError("callscript serve: \(message)")
        } listening: { port in
          FileHandle.standardOutput.write(
            Data("callscript serve: listening on http://\(host):\(port)/\n".utf8))
        }
      } catch {
        failure.set("\(error)")
      }
      done.signal()
    }
    done.wait()
    if let message = failure.get() { throw InputError(description: message) }
    #else
    throw InputError(
      description: "this callscript was built without the server; build it with "
        + "'swift build --traits Server' (see the README)")
    #endif
  }
}

/// A failure handed from the server's task to the waiting command.
// @unchecked Sendable: every access goes through the lock.
final class Failure: @unchecked Sendable {
  let lock = NSLock()
  var message: String?
  func set(_ text: String) { lock.withLock { message = text } }
  func get() -> String? { lock.withLock { message } }
}
