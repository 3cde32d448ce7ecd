#if Server
import CallScript
import CallScriptStore
import Foundation
import HummingbirdWSClient
import Logging
import Testing

@testable import CallScriptServer

/// A WebSocket client for the tests: every text message received, in order, and a way to send.
final class TestSocket: @unchecked Sendable {
  // @unchecked Sendable: every field goes through the lock.
  let lock = NSLock()
  var received: [String] = []
  var outbound: WebSocketOutboundWriter?
  var closed = false
  var task: Task<Void, Never>?

  /// Connects to `url` and waits until the connection is open.
  static func connect(_ url: String) async throws -> TestSocket {
    let socket = TestSocket()
    var logger = Logger(label: "test.socket")
    logger.logLevel = .critical
    socket.task = Task {
      _ = try? await WebSocketClient.connect(
        url: url, configuration: .init(maxFrameSize: 16 << 20), logger: logger
      ) { inbound, outbound, _ in
        socket.lock.withLock { socket.outbound = outbound }
        for try await message in inbound.messages(maxSize: 16 << 20) {
          if case .text(let text) = message {
            socket.lock.withLock { socket.received.append(text) }
          }
        }
      }
      socket.lock.withLock { socket.closed = true }
    }
    for _ in 0..<200 {
      if socket.lock.withLock({ socket.outbound != nil || socket.closed }) { break }
      try await Task.sleep(for: .milliseconds(25))
    }
    guard socket.lock.withLock({ socket.outbound != nil }) else {
      throw TestFailure("cannot connect to \(url)")
    }
    return socket
  }

  func send(_ text: String) async throws {
    guard let outbound = lock.withLock({ outbound }) else { throw TestFailure("not connected") }
    try await outbound.write(.text(text))
  }

  var messages: [String] { lock.withLock { received } }
  var isClosed: Bool { lock.withLock { closed } }

  /// Waits (at most `seconds`) for a message after the first `after` that `matches`.
  func next(
    after: Int = 0, within seconds: Double = 5, where matches: (JSONValue) -> Bool = { _ in true }
  ) async throws -> (index: Int, json: JSONValue) {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let all = messages
      for index in after..<max(after, all.count) {
        if let json = JSONValue.parse(Data(all[index].utf8)), matches(json) {
          return (index, json)
        }
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    throw TestFailure("no matching message within \(seconds) s; got \(messages.suffix(3))")
  }

  func close() async {
    if let outbound = lock.withLock({ outbound }) {
      try? await outbound.close(.normalClosure, reason: nil)
    }
    task?.cancel()
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The team's validators in ../shared/tools, beside the repository.
enum SharedTools {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let folder = repository.deletingLastPathComponent().appendingPathComponent(
    "shared/tools")

  /// In CI every tool must be there; elsewhere a missing one skips with a message.
  static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// The first `python3` on PATH, as .ci/run uses it.
  static func python() -> URL? {
    let search = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return search.map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// Runs `validate-sta024 --role notifier --eido` on the messages.
  ///
  /// Returns the exit status and what it printed; nil when the validator or Python is missing
  /// (outside CI).
  static func validateNotifierMessages(_ messages: [String]) throws -> (Int32, String)? {
    let tool = folder.appendingPathComponent("validate-sta024")
    guard let python = python(), FileManager.default.fileExists(atPath: tool.path) else {
      if required { throw TestFailure("validate-sta024 or python3 missing in CI") }
      return nil
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sta024-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data((messages.joined(separator: "\n") + "\n").utf8).write(to: file)
    let process = Process()
    process.executableURL = python
    process.arguments = [tool.path, "--role", "notifier", "--eido", file.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    if text.contains("No module named"), !required {
      return nil
    }
    return (process.terminationStatus, text)
  }
}

/// A call made from a built-in-protocol session: `answers` are (question, value, at).
func makeCall(
  id: String, position: String = "position-1", start: Date,
  answers: [(String, FactValue, Double)], events: [SessionEvent] = [], ended: Bool = false
) throws -> IncidentCall {
  guard let callProtocol = BuiltInProtocol.compile().protocolValue else {
    throw TestFailure("the built-in protocol does not compile")
  }
  var session = Session(callProtocol: callProtocol)
  var at = 0.0
  for (question, value, time) in answers {
    at = time
    if case .failure(let error) = session.apply(.answer(question: question, value: value), at: at) {
      throw TestFailure("\(question): \(error)")
    }
  }
  for event in events {
    at += 1
    if case .failure(let error) = session.apply(event, at: at) {
      throw TestFailure("\(event): \(error)")
    }
  }
  if ended { session.apply(.end, at: at + 1) }
  let context = CallContext(
    callID: id, startedAt: start, agencyID: "psap.example-county.example.us", agentID: position)
  return IncidentCall(session: session, context: context)
}

/// A server on a free loopback port, running in this process until `stop`.
final class RunningServer: @unchecked Sendable {
  // @unchecked Sendable: `port` is written once before `start` returns, read after.
  var port = 0
  var task: Task<Void, Never>?

  static func start(store: String, token: String? = nil) async throws -> RunningServer {
    let server = RunningServer()
    let ready = AsyncStream<Int>.makeStream()
    server.task = Task {
      do {
        try await ConveyanceServer.run(
          .init(
            store: store, host: "127.0.0.1", port: 0, token: token, simulatedClock: true,
            poll: 0.02),
          report: { _ in }, listening: { ready.continuation.yield($0) })
      } catch {
        ready.continuation.yield(-1)
      }
    }
    for await port in ready.stream {
      server.port = port
      break
    }
    guard server.port > 0 else { throw TestFailure("the server did not start") }
    return server
  }

  var base: String { "127.0.0.1:\(port)" }

  func stop() {
    task?.cancel()
  }
}
#endif
