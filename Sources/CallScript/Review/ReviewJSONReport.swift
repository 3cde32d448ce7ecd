/// The review as one JSON document for other tools; docs/review.md documents every field.
///
/// Canonical JSON (sorted keys, no spaces, at most three decimals), one call per line so it can
/// be written while calls are reviewed:
/// `{"calls":[` call, call… `],"format":"callscript-review/1","skipped":[…],"summary":{…}}`.
/// Times are call-clock seconds (fields ending `_s`); absent values are `null`.
public enum ReviewJSONReport {
  /// The format identifier in every report.
  public static let format = "callscript-review/1"

  /// The start of the document.
  public static let prologue = "{\"calls\":["

  /// One call's entry, with the separator before it (`first` for the first call).
  public static func call(_ review: CallReview, first: Bool) -> String {
    (first ? "\n" : ",\n") + Escaped.json(object(review).canonical)
  }

  /// The end of the document: the skipped files and the summary.
  public static func epilogue(_ summary: ReviewSummary, skipped: [SkippedTranscript]) -> String {
    "\n],\"format\":" + JSONValue.string(format).canonical + ",\"skipped\":"
      + Escaped.json(JSONValue.array(skipped.map(object)).canonical) + ",\"summary\":"
      + Escaped.json(object(summary).canonical) + "}\n"
  }

  /// The whole document for calls already reviewed.
  public static func render(
    _ calls: [CallReview], summary: ReviewSummary, skipped: [SkippedTranscript]
  ) -> String {
    prologue + calls.enumerated().map { call($0.element, first: $0.offset == 0) }.joined()
      + epilogue(summary, skipped: skipped)
  }

  static func number(_ value: Double?) -> JSONValue {
    value.map { .number($0) } ?? .null
  }

  static func string(_ value: String?) -> JSONValue {
    value.map { .string($0) } ?? .null
  }

  static func strings(_ values: [String]) -> JSONValue {
    .array(values.map { .string($0) })
  }

  /// One call.
  public static func object(_ review: CallReview) -> JSONValue {
    let compliance = review.compliance
    var counts: [String: JSONValue] = [:]
    for severity in MissSeverity.allCases {
      counts[severity.rawValue] = .number(Double(compliance.count(severity)))
    }
    return .object([
      "file": .string(review.file),
      "call_id": .string(review.callID),
      "signing_key": review.signingKey.map(JSONValue.string) ?? .null,
      "airings": airings(review),
      "agency": .string(review.agency),
      "position": .string(review.position),
      "language": .string(review.language),
      "protocol": .object([
        "id": .string(review.protocolID), "version": .string(review.protocolVersion),
        "sha256": .string(review.protocolHash),
      ]),
      "facts_from": review.borrowedFacts.map { borrowed in
        .object([
          "version": .string(borrowed.version),
          "facts": .array(borrowed.facts.map { .string($0.id) }),
          "left_out": .array(
            borrowed.leftOut.map {
              .object(["fact": .string($0.id), "reason": .string($0.reason)])
            }),
        ])
      } ?? .null,
      "started_at": .string(Transcript.timestamp(review.startedAt)),
      "ended": .bool(review.ended),
      "duration_s": .number(review.duration),
      "events": .number(Double(review.events)),
      "answers": .number(Double(review.answers)),
      "asked": .number(Double(review.asked)),
      "volunteered": .number(Double(review.volunteered)),
      "dispatch": review.dispatch.map { dispatch in
        .object([
          "at_s": .number(dispatch.at), "answers": .number(Double(dispatch.answers)),
          "point": .string(dispatch.point),
        ])
      } ?? .null,
      "facts": .array(
        review.facts.map { timing in
          .object([
            "fact": .string(timing.fact.id),
            "severity": .string(timing.fact.severity.rawValue),
            "within_s": number(timing.fact.within),
            "relay_latency_s": number(timing.relayLatency),
            "late": .bool(timing.late),
            "known_at_s": number(timing.knownAt),
            "source": string(timing.source),
            "record_at_s": number(timing.recordAt),
            "relay_at_s": number(timing.relayAt),
            "relay": string(timing.relay),
            "out_at_s": number(timing.outAt),
            "latency_s": number(timing.latency),
            "never_out": .bool(timing.neverOut),
          ])
        }),
      "compliance": .object([
        "score": .number(Double(compliance.score)),
        "level": .string(compliance.level.rawValue),
        "counts": .object(counts),
        "misses": .array(
          compliance.misses.map { miss in
            .object([
              "kind": .string(miss.kind.rawValue),
              "severity": .string(miss.severity.rawValue),
              "weight": .number(Double(miss.severity.weight)),
              "subject": .string(miss.subject),
              "at_s": .number(miss.at),
              "wait_s": number(miss.wait),
              "answered_instead": strings(miss.answeredInstead),
              "detail": .string(miss.detail),
            ])
          }),
      ]),
      "waits": .array(
        review.waits.map { wait in
          .object([
            "question": .string(wait.question), "since_s": .number(wait.since),
            "wait_s": .number(wait.wait), "answered_instead": strings(wait.answeredInstead),
            "via_prompt": .bool(wait.viaPrompt),
          ])
        }),
      "overrides": .array(
        review.overrides.map { override in
          .object([
            "at_s": .number(override.at), "code": .string(override.code),
            "level": .string(override.level), "previous_code": string(override.previousCode),
            "previous_level": string(override.previousLevel),
            "reason": .string(override.reason),
          ])
        }),
      "unconfirmed": .array(
        review.unconfirmed.map { entry in
          .object([
            "id": .string(entry.id), "confirm": .string(entry.confirm),
            "raised_at_s": .number(entry.raisedAt),
          ])
        }),
      "unasked_after_disconnect": strings(review.unaskedAfterDisconnect),
      "caller_connected_at_end": .bool(review.callerConnectedAtEnd),
    ])
  }

  static func object(_ skipped: SkippedTranscript) -> JSONValue {
    .object([
      "file": .string(skipped.file),
      "line": skipped.line.map { .number(Double($0)) } ?? .null,
      "reason": .string(skipped.reason),
    ])
  }

  static func object(_ distribution: Distribution) -> JSONValue {
    .object([
      "n": .number(Double(distribution.count)),
      "median": number(distribution.median),
      "p90": number(distribution.p90),
    ])
  }

  static func object(_ counts: ReviewSummary.LevelCounts) -> JSONValue {
    var members: [String: JSONValue] = [
      "calls": .number(Double(counts.calls)),
      "median_score": number(counts.score.median),
    ]
    for level in ComplianceLevel.allCases {
      members[level.rawValue] = .number(Double(counts[level]))
    }
    return .object(members)
  }

  /// The summary of all calls.
  public static func object(_ summary: ReviewSummary) -> JSONValue {
    var latency: [String: JSONValue] = [:]
    var neverOut: [String: JSONValue] = [:]
    var late: [String: JSONValue] = [:]
    for fact in summary.factIDs {
      latency[fact] = object(summary.factLatency[fact] ?? Distribution())
      neverOut[fact] = .number(Double(summary.factsNeverOut[fact] ?? 0))
      late[fact] = .number(Double(summary.factsLate[fact] ?? 0))
    }
    var byKind: [String: JSONValue] = [:]
    for kind in ComplianceMiss.Kind.allCases {
      byKind[kind.rawValue] = .number(Double(summary.missesByKind[kind] ?? 0))
    }
    var bySeverity: [String: JSONValue] = [:]
    for severity in MissSeverity.allCases {
      bySeverity[severity.rawValue] = .number(Double(summary.missesBySeverity[severity] ?? 0))
    }
    return .object([
      "calls": .number(Double(summary.calls)),
      "skipped": .number(Double(summary.skipped)),
      "not_dispatched": .number(Double(summary.notDispatched)),
      "not_ended": .number(Double(summary.notEnded)),
      "unsigned": .number(Double(summary.unsigned)),
      "percentile_method": .string("nearest-rank"),
      "timings": .object([
        "time_to_dispatch_s": object(summary.timeToDispatch),
        "answers_to_dispatch": object(summary.answersToDispatch),
        "duration_s": object(summary.duration),
        "priority_wait_s": object(summary.priorityWait),
        "volunteered_wait_s": object(summary.volunteeredWait),
        "score": object(summary.levels.score),
      ]),
      "latency_s": .object(latency),
      "facts_never_out": .object(neverOut),
      "facts_late": .object(late),
      "no_facts_declared": .number(Double(summary.noFactsDeclared)),
      "aired": airingSummary(summary),
      "levels": object(summary.levels),
      "by_position": .object(summary.byPosition.mapValues(object)),
      "by_protocol": .object(summary.byProtocol.mapValues(object)),
      "missed_questions": .array(
        summary.mostMissedQuestions(limit: summary.missedQuestions.count).map { entry in
          .object(["question": .string(entry.question), "missed": .number(Double(entry.count))])
        }),
      "misses_by_kind": .object(byKind),
      "misses_by_severity": .object(bySeverity),
      "overrides": .number(Double(summary.overrides)),
      "unconfirmed_verifications": .number(Double(summary.unconfirmed)),
    ])
  }
}
