#if Server
import CallScript
import CallScriptServer
import Foundation

/// `--serve`: change → notification latency of `callscript serve` with `subscribers` STA-024
/// subscribers on loopback (see ``ServeLatency``); the changes are a caller's new answers on
/// the attacker's position, saved as a `take` process saves them.
func serveBenchmark(subscribers: Int, changes: Int) {
  guard let callProtocol = BuiltInProtocol.compile().protocolValue else {
    print("the built-in protocol does not compile")
    return
  }
  var session = Session(callProtocol: callProtocol)
  let opening: [SessionEvent] = [
    .answer(question: "location", value: .text("Lincoln High School, 4500 North Avenue")),
    .answer(question: "what_happening", value: .option("shooting")),
  ]
  for (index, event) in opening.enumerated() { _ = session.apply(event, at: Double(index * 5)) }
  let context = CallContext(
    callID: "bench-serve", startedAt: Date(), agencyID: "psap.bench.example",
    agentID: "position-1")
  var calls: [IncidentCall] = []
  for k in 0...changes {
    let moved = session.apply(
      .answer(question: "attacker_location", value: .text("hallway \(k)")), at: Double(20 + k))
    if case .failure(let error) = moved {
      print("the attacker's position cannot be answered again: \(error)")
      return
    }
    calls.append(IncidentCall(session: session, context: context))
  }
  let outcome = Outcome()
  let done = DispatchSemaphore(value: 0)
  let given = calls
  Task {
    do {
      outcome.set(
        .success(
          try await ServeLatency.measure(subscribers: subscribers, changes: changes) { given[$0] }))
    } catch {
      outcome.set(.failure(error))
    }
    done.signal()
  }
  done.wait()
  switch outcome.get() {
  case .success(let result):
    print(
      "serve: change → notification, \(subscribers) subscribers, \(changes) changes, "
        + "\(result.latencies.count) notifications, \(result.missed) missed (2 s)")
    print(
      "  p50 \(format(percentile(result.latencies, 0.5)))  "
        + "p99 \(format(percentile(result.latencies, 0.99)))  "
        + "max \(format(result.latencies.max() ?? .nan))")
  case .failure(let error):
    print("serve benchmark failed: \(error)")
  case nil:
    print("serve benchmark did not finish")
  }
}

/// The benchmark's result, handed from its task to the waiting main thread.
final class Outcome: @unchecked Sendable {
  // @unchecked Sendable: every access goes through the lock.
  let lock = NSLock()
  var value: Result<ServeLatency.Result, any Error>?
  func set(_ given: Result<ServeLatency.Result, any Error>) { lock.withLock { value = given } }
  func get() -> Result<ServeLatency.Result, any Error>? { lock.withLock { value } }
}
#endif
