import CallScript
import CallScriptStore
import Foundation

/// Store update to merged picture visible on another position, with concurrent writers.
///
/// `writers` threads, each with its own store connection (as many positions), save calls on
/// one incident; another connection (a position watching the incident) reads the merged
/// picture in a loop. For each call: the time from the start of its save to the first read
/// that shows it. Also the calls per second the writers sustained.
func storeBenchmark(location: String, writers: Int, callsPerWriter: Int) {
  guard let callProtocol = BuiltInProtocol.compile().protocolValue else {
    print("the built-in protocol does not compile")
    return
  }
  var session = Session(callProtocol: callProtocol)
  let answers: [SessionEvent] = [
    .answer(question: "location", value: .text("Lincoln High School")),
    .answer(question: "what_happening", value: .option("shooting")),
    .answer(question: "attacker_count", value: .count(low: 1, high: 1)),
    .answer(question: "attacker_location", value: .text("gym")),
  ]
  for (index, event) in answers.enumerated() { _ = session.apply(event, at: Double(index * 5)) }
  let run = String(Int(Date().timeIntervalSince1970))
  let incident = "INC-bench-\(run)"
  let template = IncidentCall(
    session: session,
    context: CallContext(
      callID: "bench", startedAt: Date(), agencyID: "psap.bench.example", agentID: "position-0"))
  let started = Starts()
  let total = writers * callsPerWriter
  let clock = ContinuousClock()
  let origin = clock.now
  @Sendable func now() -> Double { milliseconds(clock.now - origin) }
  let done = Starts()
  let reader = Thread {
    guard let watcher = try? IncidentStores.open(location) else {
      done.setAll([])
      return
    }
    defer { watcher.close() }
    var seen = Set<String>()
    var latencies: [Double] = []
    while seen.count < total {
      guard let calls = try? watcher.picture(incident)?.callers else { continue }
      let at = now()
      for caller in calls where !seen.contains(caller.callID) {
        seen.insert(caller.callID)
        if let start = started.get(caller.callID) { latencies.append(at - start) }
      }
    }
    done.setAll(latencies)
  }
  reader.start()
  let failures = Starts()
  let writeStart = now()
  DispatchQueue.concurrentPerform(iterations: writers) { writer in
    do {
      let store = try IncidentStores.open(location)
      defer { store.close() }
      for index in 0..<callsPerWriter {
        var call = template
        call.callID = "bench-\(run)-\(writer)-\(index)"
        call.incidentID = incident
        call.linked = true
        call.position = "position-\(writer)"
        started.set(call.callID, now())
        _ = try store.save(call)
      }
    } catch {
      failures.set("\(error)", 0)
    }
  }
  let writeSeconds = (now() - writeStart) / 1000
  if !failures.keys.isEmpty {
    print("store benchmark: \(failures.keys.first ?? "")")
    return
  }
  while done.all == nil { Thread.sleep(forTimeInterval: 0.01) }
  let latencies = done.all ?? []
  let kind = IncidentStores.isPostgres(location) ? "PostgreSQL" : "SQLite"
  report(
    "\(kind) store update -> merged picture visible on another position, \(writers) writers",
    latencies)
  print(
    String(
      format: "%@: %d calls saved by %d writers in %.2f s: %.0f calls/s sustained", kind, total,
      writers, writeSeconds, Double(total) / writeSeconds))
}

/// Times by call id, shared by the writer threads and the reader.
// @unchecked Sendable: every access goes through the lock.
final class Starts: @unchecked Sendable {
  let lock = NSLock()
  var times: [String: Double] = [:]
  var finished: [Double]?

  func set(_ key: String, _ value: Double) { lock.withLock { times[key] = value } }
  func get(_ key: String) -> Double? { lock.withLock { times[key] } }
  var keys: [String] { lock.withLock { Array(times.keys) } }
  func setAll(_ values: [Double]) { lock.withLock { finished = values } }
  var all: [Double]? { lock.withLock { finished } }
}
