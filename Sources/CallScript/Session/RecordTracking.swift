/// When the call's records go out and what changed since the last one: a part of ``Session``.
///
/// Anything a record carries moves ``revision`` (``noteChange(urgent:)``); a record goes out
/// when it moved since the last one. The first record (a dispatch point reached), a change that
/// alters the response (a field whose ``RecordField/changesResponse``, the determinant, a link,
/// the end of the call) and any change once the call has ended go out at once; so does any
/// change when the last record is a record ``interval`` old. Others wait until the last record
/// is that old (``dueAt``) and go out once the clock is past that time, with everything up to it;
/// a record that goes out before then carries them. The snapshot itself is built by
/// ``Session/recordSnapshot()`` when asked.
struct RecordTracking: Sendable {
  /// Sequence number of the last record sent; 0 before the first dispatch point.
  private(set) var sequence = 0
  /// The snapshot of the last record, once a step's outcome has rendered it.
  var last: RecordSnapshot?
  /// Call-clock seconds of the last record decided.
  private(set) var at: Double = 0
  /// When the record waiting for the record interval goes out (call-clock seconds); nil when
  /// none waits.
  private(set) var dueAt: Double?
  /// Seconds between records for changes that do not alter the response (the protocol's
  /// `records: interval:`).
  let interval: Double
  /// True when a change since the last record alters the response: the record goes out at once.
  private var urgent = false
  /// Counts changes to anything a record carries; a record goes out when it moved since the
  /// last one (``recordedRevision``).
  private var revision = 0
  private var recordedRevision = -1
  /// When each recorded slot's value last changed (several questions may fill `note`).
  private(set) var fieldUpdatedAt: [Int: Double] = [:]
  /// Recorded slots whose value changed since the last record.
  private var changedSlots: [Int] = []
  /// Whether each slot fills a record field.
  let isRecordSlot: [Bool]
  /// Whether each slot fills a record field whose change alters the response
  /// (``RecordField/changesResponse``).
  private let isUrgentSlot: [Bool]
  /// The slots that fill record fields, by field then slot.
  let slots: [(field: RecordField, slot: Int)]

  init(callProtocol: CallProtocol) {
    var slots: [(RecordField, Int)] = []
    for question in callProtocol.questions {
      if let field = question.fills { slots.append((field, question.slot)) }
    }
    for fact in callProtocol.derived {
      if let field = fact.fills { slots.append((field, fact.slot)) }
    }
    self.slots = slots.sorted { ($0.0.rawValue, $0.1) < ($1.0.rawValue, $1.1) }
    var isRecordSlot = Array(repeating: false, count: callProtocol.slotCount)
    var isUrgentSlot = isRecordSlot
    for (field, slot) in slots {
      isRecordSlot[slot] = true
      isUrgentSlot[slot] = field.changesResponse
    }
    self.isRecordSlot = isRecordSlot
    self.isUrgentSlot = isUrgentSlot
    interval = callProtocol.recordInterval
  }

  /// Notes a change to something a record carries; `urgent` when it alters the response, so
  /// the record goes out at once.
  mutating func noteChange(urgent: Bool = false) {
    revision += 1
    if urgent { self.urgent = true }
  }

  /// Notes the slots whose values changed in a recompute: those that fill record fields are
  /// carried by the next record.
  mutating func noteValuesChanged(_ changed: [Int]) {
    var recordChanged = false
    for slot in changed where isRecordSlot[slot] {
      recordChanged = true
      if !changedSlots.contains(slot) { changedSlots.append(slot) }
    }
    if recordChanged { revision += 1 }
  }

  /// Decides at `now` whether a new record goes out.
  ///
  /// False when it waits for the record interval or nothing changed; `answers` give when each
  /// recorded answer came.
  mutating func decide(
    at now: Double, ended: Bool, answers: [Session.AnswerEntry?]
  ) -> Bool {
    if sequence > 0 {
      // When each field last changed, at the step that changed it (the record carrying it may
      // go out later).
      for slot in changedSlots {
        fieldUpdatedAt[slot] = slot < answers.count ? answers[slot]?.at ?? now : now
        if isUrgentSlot[slot] { urgent = true }
      }
      changedSlots = []
    }
    guard revision != recordedRevision else { return false }
    if sequence == 0 || urgent || ended {
      send(at: now, answers: answers)
      return true
    } else if dueAt != nil {
      // A record waits; it carries this change too, whatever else comes up to its time.
      return false
    } else if now >= at + interval {
      send(at: now, answers: answers)
      return true
    } else {
      dueAt = at + interval
      return false
    }
  }

  /// Sends the record waiting for the record interval once the clock is past its time; gives
  /// the time, nil when no record was due.
  ///
  /// Only a time after it sends the record: what happens at its very time goes out with it, so
  /// whether the clock was looked at just then changes nothing.
  mutating func sendDue(by time: Double, answers: [Session.AnswerEntry?]) -> Double? {
    guard let due = dueAt, due < time else { return nil }
    send(at: due, answers: answers)
    return due
  }

  /// Marks a record as gone out at `time` with everything changed so far.
  private mutating func send(at time: Double, answers: [Session.AnswerEntry?]) {
    if sequence == 0 {
      // The first record: every field as of when it was answered.
      for (_, slot) in slots {
        fieldUpdatedAt[slot] = slot < answers.count ? answers[slot]?.at ?? time : time
      }
      changedSlots = []
    }
    recordedRevision = revision
    sequence += 1
    at = time
    dueAt = nil
    urgent = false
  }
}
