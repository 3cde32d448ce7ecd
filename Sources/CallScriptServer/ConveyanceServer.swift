#if Server
import CallScript
import CallScriptStore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// `callscript serve`: the incident store's EIDO over NENA STA-024 WebSocket (`/sta024`), the
/// live board (`GET /`, its feed on `/board/feed`), and relays marked aired.
public enum ConveyanceServer {
  /// How the server is started.
  public struct Options: Sendable {
    public var store: String
    public var host: String
    public var port: Int
    /// Required (as `?token=` or `Authorization: Bearer`) for the board and both WebSockets;
    /// nil on loopback without `--token-file`.
    public var token: String?
    /// Ages on the board count from the store's latest update instead of the wall clock.
    public var simulatedClock: Bool
    /// How often the store is checked for changes, in seconds.
    public var poll: Double

    public init(
      store: String, host: String, port: Int, token: String?, simulatedClock: Bool,
      poll: Double = 0.05
    ) {
      self.store = store
      self.host = host
      self.port = port
      self.token = token
      self.simulatedClock = simulatedClock
      self.poll = poll
    }
  }

  /// Whether `host` is a loopback address (no token needed there).
  public static func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }

  /// Runs until the process is stopped; `listening` is told the port once the server accepts.
  public static func run(
    _ options: Options, report: @escaping @Sendable (String) -> Void,
    listening: @escaping @Sendable (Int) -> Void
  ) async throws {
    let hub = ConveyanceHub()
    // Feeds reach the hub one after the other, in the order the store was read: a task per
    // feed could publish an older state after a newer one, and a CAD would take it as current.
    let (feeds, feedSink) = AsyncStream<IncidentFeed>.makeStream(bufferingPolicy: .unbounded)
    let publisher = Task {
      for await feed in feeds { await hub.publish(feed) }
    }
    defer {
      feedSink.finish()
      publisher.cancel()
    }
    let watch = StoreWatch(
      location: options.store, interval: options.poll, simulatedClock: options.simulatedClock,
      report: report
    ) { feed in
      feedSink.yield(feed)
    }
    try watch.start()
    defer { watch.stop() }
    let ticker = Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(200))
        await hub.tick()
      }
    }
    defer { ticker.cancel() }

    let token = options.token
    @Sendable func authorised(_ request: Request) -> Bool {
      guard let token else { return true }
      let given =
        request.uri.queryParameters["token"].map(String.init)
        ?? request.headers[.authorization].flatMap {
          $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil
        }
      guard let given else { return false }
      // Compared in constant time.
      let a = Array(given.utf8)
      let b = Array(token.utf8)
      var difference = a.count ^ b.count
      for index in 0..<min(a.count, b.count) { difference |= Int(a[index] ^ b[index]) }
      return difference == 0
    }

    let router = Router(context: BasicWebSocketRequestContext.self)
    router.add(middleware: SecurityHeaders())
    @Sendable func page(_ body: String, _ type: String) -> Response {
      Response(
        status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
    let refused = Response(status: .unauthorized, headers: [.contentType: "text/plain"])
    router.get("/") { request, _ -> Response in
      authorised(request) ? page(BoardPage.html, "text/html; charset=utf-8") : refused
    }
    router.get("/board.css") { request, _ -> Response in
      authorised(request) ? page(BoardPage.css, "text/css; charset=utf-8") : refused
    }
    router.get("/board.js") { request, _ -> Response in
      authorised(request) ? page(BoardPage.script, "text/javascript; charset=utf-8") : refused
    }
    router.get("/health") { request, _ -> Response in
      guard authorised(request) else { return refused }
      return page(await hub.counts().canonical + "\n", "application/json")
    }
    router.ws("/sta024") { request, _ in
      authorised(request) ? .upgrade([:]) : .dontUpgrade
    } onUpgrade: { inbound, outbound, _ in
      let (id, stream) = await hub.connect(board: false)
      await serve(id: id, inbound: inbound, outbound: outbound, stream: stream, hub: hub) {
        text, now, limit in
        guard limit.take(now: now) else {
          return .reply(
            ConveyanceReply.subscribeResponse(
              requestID: "", subscriptionID: nil, minRate: nil, maxRate: nil, expires: nil,
              status: 503, text: "too many messages: at most 10 a second"
            ).text)
        }
        switch ConveyanceRequest.read(text) {
        case .success(let request): return .request(request)
        case .failure(let reply): return .reply(reply.text)
        }
      }
    }
    router.ws("/board/feed") { request, _ in
      authorised(request) ? .upgrade([:]) : .dontUpgrade
    } onUpgrade: { inbound, outbound, _ in
      let (id, stream) = await hub.connect(board: true)
      await serve(id: id, inbound: inbound, outbound: outbound, stream: stream, hub: hub) {
        text, now, limit in
        guard limit.take(now: now) else {
          return .reply(AiringMessage.reply("", 503, "too many messages: at most 10 a second"))
        }
        guard text.utf8.count <= 4096, let json = JSONValue.parse(Data(text.utf8), maxDepth: 4),
          case .object(let members) = json
        else { return .reply(AiringMessage.reply("", 400, "expected one JSON object")) }
        switch AiringMessage.read(members) {
        case .failure(let problem):
          return .reply(
            AiringMessage.reply(
              members["aired"]?["requestId"]?.string ?? "", 400, problem.message))
        case .success(let airing):
          return .airing(airing)
        }
      } airing: { airing, connection in
        guard let words = await hub.relayText(call: airing.callID, relay: airing.relayID) else {
          await hub.send(
            AiringMessage.reply(
              airing.requestID, 404, "no relay '\(airing.relayID)' of call '\(airing.callID)'"),
            to: connection)
          return
        }
        let request = AiringRequest(
          callID: airing.callID, relayID: airing.relayID, text: words, at: Date(), by: airing.by)
        watch.perform { store in
          let reply: String
          do {
            reply =
              try store.requestAiring(request)
              ? AiringMessage.reply(airing.requestID, 200, "aired")
              : AiringMessage.reply(airing.requestID, 200, "already marked aired")
          } catch {
            reply = AiringMessage.reply(airing.requestID, 500, "the store refused it: \(error)")
          }
          Task { await hub.send(reply, to: connection) }
        }
      }
    }

    var logger = Logger(label: "callscript.serve")
    logger.logLevel = .critical
    let app = Application(
      router: router,
      server: .http1WebSocketUpgrade(
        webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: 1 << 20))),
      configuration: .init(
        address: .hostname(options.host, port: options.port), serverName: "callscript"),
      onServerRunning: { channel in
        listening(channel.localAddress?.port ?? options.port)
      },
      logger: logger)
    try await app.runService()
    await hub.shutDown()
  }

  /// What a client's message comes to.
  enum Inbound: Sendable {
    case request(ConveyanceRequest)
    case airing(AiringMessage)
    case reply(String)
  }

  /// Runs one connection: its messages in (assembled, size-limited, rate-limited), its queue
  /// out; ends when either side closes.
  static func serve(
    id: Int, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
    stream: AsyncStream<String>, hub: ConveyanceHub,
    read: @escaping @Sendable (String, Double, inout MessageLimit) -> Inbound,
    airing: @escaping @Sendable (AiringMessage, Int) async -> Void = { _, _ in }
  ) async {
    let writer = Task {
      for await text in stream {
        do { try await outbound.write(.text(text)) } catch { break }
      }
    }
    var limit = MessageLimit()
    var message = ByteBuffer()
    var oversize = false
    let started = ContinuousClock.now
    do {
      for try await frame in inbound {
        if frame.opcode != .continuation {
          message.clear()
          oversize = false
        }
        if !oversize {
          if message.readableBytes + frame.data.readableBytes > ConveyanceRequest.maximumSize {
            oversize = true
            message.clear()
          } else {
            var data = frame.data
            message.writeBuffer(&data)
          }
        }
        guard frame.fin else { continue }
        let elapsed = ContinuousClock.now - started
        let now = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let text =
          oversize
          ? String(repeating: " ", count: ConveyanceRequest.maximumSize + 1)
          : String(buffer: message)
        message.clear()
        switch read(text, now, &limit) {
        case .request(let request): await hub.handle(request, from: id)
        case .airing(let request): await airing(request, id)
        case .reply(let reply): await hub.send(reply, to: id)
        }
      }
    } catch {
      // The connection failed; its subscriptions wait for the subscriber to come back.
    }
    await hub.disconnect(id)
    writer.cancel()
  }
}

/// Headers on every response: nothing framed, nothing loaded from elsewhere.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var response = try await next(request, context)
    response.headers[.contentSecurityPolicy] =
      "default-src 'self'; connect-src 'self'; frame-ancestors 'none'"
    response.headers[.xContentTypeOptions] = "nosniff"
    return response
  }
}
#endif
