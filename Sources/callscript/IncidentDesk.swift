import CallScript
import CallScriptIO
import CallScriptStore
import Foundation

/// A call's link to the incident store: saves the call after every event, offers incidents at
/// the same place, shows what other calls established, and keeps relays to one per incident.
///
/// The store never stops the call: the transcript is written first, a failed save (or a store
/// that cannot be opened) is said on screen, and the next save writes the whole call again, so
/// the store catches up by itself.
final class IncidentDesk {
  let location: String
  let window: TimeInterval
  var store: (any IncidentStore)?
  /// The last problem, while the store is failing.
  var problem: String?
  /// The incident's picture after the last save.
  var picture: IncidentPicture?
  var lastLine: String?
  var lastIncident: String?
  /// The candidates last offered (ids and call counts), so an offer is not repeated.
  var offered: [String] = []
  /// The call-taker said `/new`: no more offers for this call.
  var dismissed = false
  /// The picture and the call's number of events when the incident facts were last worked out.
  var factsChecked: (picture: IncidentPicture, events: Int)?

  init(location: String, window: TimeInterval) {
    self.location = location
    self.window = window
  }

  /// Opens the store if it is not open; nil and a problem when it cannot be.
  func open() -> (any IncidentStore)? {
    if let store { return store }
    do {
      store = try IncidentStores.open(location)
    } catch {
      problem = "\(error)"
    }
    return store
  }

  /// Saves the call as it stands and says what changed for it.
  ///
  /// A call with no event yet is not saved: it has no transcript to rebuild it from.
  func update(_ call: LiveCall) -> [IncidentNotice] {
    guard call.session.eventCount > 0 else { return [] }
    let record = IncidentCall(session: call.session, context: call.context)
    var notices: [IncidentNotice] = []
    let hadProblem = problem
    guard let store = open() else {
      return problem == hadProblem
        ? [] : [.storeProblem("cannot open \(location): \(problem ?? "")")]
    }
    let saved: IncidentPicture
    do {
      saved = try store.save(record)
    } catch {
      let message = "cannot write \(location): \(error)"
      defer { problem = message }
      return problem == message ? [] : [.storeProblem(message)]
    }
    if hadProblem != nil {
      problem = nil
      notices.append(.storeBack("\(location) is back; the call is caught up"))
    }
    picture = saved
    if lastIncident != saved.incidentID {
      if lastIncident != nil || record.linked || saved.callers.count > 1 {
        notices.append(.linked(saved.incidentID, calls: saved.callers.count))
      }
      lastIncident = saved.incidentID
    }
    if let line = saved.screenLine(for: record.callID), line != lastLine {
      lastLine = line
      notices.append(.picture(line, saved))
    }
    notices += offers(record, store: store)
    return notices
  }

  /// Open incidents at the call's place, when the call is on its own incident and the
  /// call-taker has not said `/new`.
  func offers(_ call: IncidentCall, store: any IncidentStore) -> [IncidentNotice] {
    guard !dismissed, !call.linked,
      call.incidentID == IncidentCall.ownIncident(callID: call.callID),
      let key = call.placeKey
    else { return [] }
    guard let found = try? store.candidates(placeKey: key, at: call.updatedAt, window: window)
    else { return [] }
    let others = found.filter { $0.incidentID != call.incidentID }
    let shown = others.map { "\($0.incidentID)#\($0.calls)" }
    guard !others.isEmpty, shown != offered else { return [] }
    offered = shown
    return [.candidates(others)]
  }

  /// Takes out of `relays` those another call of the incident already sent (with the same
  /// content); each becomes a corroboration notice.
  func deduplicate(_ relays: inout [RelayMessage], callID: String) -> [IncidentNotice] {
    guard var picture, !relays.isEmpty else { return [] }
    // Another position may have sent it since this call's last save.
    if let fresh = try? store?.picture(picture.incidentID) { picture = fresh }
    var notices: [IncidentNotice] = []
    relays.removeAll { relay in
      let key = IncidentCall.relayKey(id: relay.id, text: relay.text)
      guard let sent = picture.relays.first(where: { $0.key == key }), sent.sentBy != callID
      else { return false }
      let callers = Set(sent.calls + [callID]).count
      notices.append(.corroborated(relay, sentBy: sent.sentBy, callers: callers))
      return true
    }
    return notices
  }

  /// When the store was last read while the call-taker waits.
  var lastRefresh = Date.distantPast

  /// While the call-taker waits: reads the incident's picture every few seconds and gives its
  /// line when another position changed it.
  func refresh(callID: String, now: Date) -> [IncidentNotice] {
    guard now.timeIntervalSince(lastRefresh) >= 3, problem == nil, let store,
      let incident = picture?.incidentID
    else { return [] }
    lastRefresh = now
    guard let fresh = try? store.picture(incident) else { return [] }
    picture = fresh
    guard let line = fresh.screenLine(for: callID), line != lastLine else { return [] }
    lastLine = line
    return [.picture(line, fresh)]
  }

  /// The `incident_facts` action to record, when the other calls changed what the call reads.
  ///
  /// What the other calls of the incident established, as the call's protocol reads it
  /// (`incident.attacker_count`), when it differs from what the call last took. Nil when
  /// nothing changed, the protocol reads no incident fact, the call has ended, or the store
  /// cannot be read.
  func incidentFacts(for call: LiveCall) -> CallAction? {
    let session = call.session
    let readings = session.callProtocol.incidentFacts
    guard !readings.isEmpty, !session.ended, problem == nil, let store, let picture else {
      return nil
    }
    // Nothing can have changed while neither the picture nor the call did.
    if let checked = factsChecked, checked.picture == picture,
      checked.events == session.eventCount
    {
      return nil
    }
    let incident = picture.incidentID
    guard let calls = try? store.calls(incident: incident) else { return nil }
    factsChecked = (picture, session.eventCount)
    let facts = IncidentFact.values(
      for: call.context.callID, incident: incident, calls: calls,
      reading: readings.map { ($0.name, $0.type) })
    if facts == session.incidentFacts, facts.isEmpty || session.incidentFactsSource == incident {
      return nil
    }
    return .incidentFacts(incident: incident, facts: facts)
  }

  func close() { store?.close() }
}

extension IncidentDesk {
  /// The airings dispatch asked for (on `callscript serve`) of this call's relays that still
  /// say what dispatch saw: each is taken off the store's waiting list, and those that no
  /// longer apply (the relay was sent again with new words, or the transcript refuses it)
  /// are dropped with the reason.
  func airings(for call: LiveCall) -> [AiringRequest] {
    guard problem == nil, let store,
      let waiting = try? store.pendingAirings(callID: call.context.callID), !waiting.isEmpty
    else { return [] }
    return waiting
  }

  /// Takes an airing off the store's waiting list once the call recorded it or refused it.
  func finishAiring(_ airing: AiringRequest) {
    try? store?.removeAiring(callID: airing.callID, relayID: airing.relayID)
  }
}
