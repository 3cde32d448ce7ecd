/// The review as plain text for a terminal: a block per call, then the summary.
public enum ReviewTextReport {
  /// The block of one call, ending with a blank line.
  public static func call(_ review: CallReview) -> String {
    var lines: [String] = []
    lines.append(
      "== \(safe(review.callID))  (\(safe(review.file)))"
        + (review.signingKey == nil ? "  UNSIGNED" : "  signed by \(safe(review.signingKey ?? ""))")
    )
    let ending =
      review.ended
      ? "ended at \(clock(review.duration))" : "NOT ENDED (last event \(clock(review.duration)))"
    lines.append(
      "position \(safe(review.position)), \(safe(review.protocolLabel)), \(review.events) events, "
        + "\(review.answers) answers (\(review.asked) asked, \(review.volunteered) volunteered), "
        + ending)
    if let dispatch = review.dispatch {
      lines.append(
        "dispatch: first record at \(clock(dispatch.at)) after \(dispatch.answers) "
          + "answer\(dispatch.answers == 1 ? "" : "s") (\(safe(dispatch.point)))")
    } else {
      lines.append("dispatch: NO DISPATCH RECORD")
    }
    if review.facts.isEmpty {
      lines.append(
        "facts: none declared by \(safe(review.protocolLabel)) (no 'review' section): "
          + "generic metrics only")
    } else {
      if let borrowed = review.borrowedFacts {
        lines.append(safe(ReviewTextReport.borrowedLine(borrowed, review: review)))
      }
      lines.append(pad("fact", 19) + pad("known", 8) + pad("out", 8) + pad("latency", 9) + "how")
    }
    for timing in review.facts {
      var line = pad(timing.fact.title, 19)
      guard let known = timing.knownAt else {
        lines.append(line + "-")
        continue
      }
      line += pad(clock(known), 8)
      if let out = timing.outAt, let latency = timing.latency {
        var how: [String] = []
        if timing.recordAt == out { how.append("record") }
        if timing.relayAt == out, let relay = timing.relay { how.append("relay \(safe(relay))") }
        line += pad(clock(out), 8) + pad(seconds(latency), 9) + how.joined(separator: ", ")
        if timing.late, let relayLatency = timing.relayLatency, let within = timing.fact.within {
          line +=
            "; LATE: relay \(seconds(relayLatency)) after the answer, target \(seconds(within))"
        }
      } else {
        line += "NEVER SENT OUT"
      }
      lines.append(line)
    }
    lines += airingLines(review)
    let compliance = review.compliance
    lines.append(
      "compliance: \(compliance.score) (\(compliance.level.title)): "
        + MissSeverity.allCases.map { "\(compliance.count($0)) \($0.rawValue)" }.joined(
          separator: ", "))
    for miss in compliance.misses {
      lines.append(
        "  " + pad(miss.severity.rawValue, 9) + pad(clock(miss.at), 6) + safe(miss.detail))
    }
    for wait in review.waits where !wait.viaPrompt {
      lines.append(
        "waited (volunteered, not scored): \(clock(wait.since)) '\(safe(wait.question))' "
          + "\(seconds(wait.wait)) while "
          + wait.answeredInstead.map { "'\(safe($0))'" }.joined(
            separator: ", ") + " were entered")
    }
    if !review.unaskedAfterDisconnect.isEmpty {
      lines.append(
        "not asked, caller disconnected at the end (not scored): "
          + review.unaskedAfterDisconnect.map(safe).joined(separator: ", "))
    }
    for override in review.overrides {
      let from =
        override.previousCode.map { " from \(safe($0)) (\(safe(override.previousLevel ?? "")))" }
        ?? ""
      lines.append(
        "override: \(clock(override.at)) \(safe(override.code)) (\(safe(override.level)))\(from): "
          + "\"\(safe(override.reason))\"")
    }
    if !review.unconfirmed.isEmpty {
      lines.append(
        "unconfirmed at the end: "
          + review.unconfirmed.map { "\(safe($0.id)) (raised \(clock($0.raisedAt)))" }.joined(
            separator: ", "))
    }
    return lines.joined(separator: "\n") + "\n\n"
  }

  /// The summary of all calls and the list of skipped files.
  ///
  /// `labels` gives questions' labels by id (from the protocols reviewed), shown in the table
  /// of questions most often missed beside the id.
  public static func summary(
    _ summary: ReviewSummary, skipped: [SkippedTranscript], labels: [String: String] = [:]
  ) -> String {
    var lines: [String] = []
    lines.append(
      "== summary: \(summary.calls) call\(summary.calls == 1 ? "" : "s") reviewed, "
        + "\(summary.skipped) skipped")
    if summary.notDispatched > 0 {
      lines.append("calls with no dispatch record: \(summary.notDispatched)")
    }
    if summary.notEnded > 0 { lines.append("calls not ended: \(summary.notEnded)") }
    if summary.unsigned > 0 {
      lines.append(
        "unsigned calls: \(summary.unsigned) (marked UNSIGNED: chain intact, but anyone with "
          + "write access could have rewritten them)")
    }
    lines.append(pad("timing (nearest rank)", 36) + pad("n", 7) + pad("median", 10) + "p90")
    for row in summary.timingRows {
      let format: (Double?) -> String = { value in
        guard let value else { return "-" }
        return row.seconds ? seconds(value) : number(value)
      }
      lines.append(
        pad(row.name, 36) + pad("\(row.values.count)", 7) + pad(format(row.values.median), 10)
          + format(row.values.p90))
    }
    lines.append("compliance levels: " + levels(summary.levels))
    lines.append("by position:")
    for position in summary.byPosition.keys.sorted() {
      if let counts = summary.byPosition[position] {
        lines.append("  " + pad(safe(position), 24) + levels(counts))
      }
    }
    lines.append("by protocol version:")
    for version in summary.byProtocol.keys.sorted() {
      if let counts = summary.byProtocol[version] {
        lines.append("  " + pad(safe(version), 24) + levels(counts))
      }
    }
    let missed = summary.mostMissedQuestions()
    lines.append("questions most often missed:" + (missed.isEmpty ? " none" : ""))
    for entry in missed {
      let name = labels[entry.question].map { "\($0) (\(entry.question))" } ?? entry.question
      lines.append("  " + pad(safe(name), 24) + "\(entry.count)")
    }
    if summary.noFactsDeclared > 0 {
      lines.append(
        "calls whose protocol declares no facts for review (generic metrics only): "
          + "\(summary.noFactsDeclared)")
    }
    let neverOut = summary.factCounts(summary.factsNeverOut)
    lines.append(
      "facts known but never sent out: "
        + (neverOut.isEmpty ? "none" : neverOut.joined(separator: ", ")))
    let late = summary.factCounts(summary.factsLate)
    lines.append(
      "facts late to their relay: " + (late.isEmpty ? "none" : late.joined(separator: ", ")))
    lines += airingSummary(summary)
    lines.append(
      "overrides: \(summary.overrides); verifications unconfirmed at the end: \(summary.unconfirmed)"
    )
    if !skipped.isEmpty {
      lines.append("skipped (\(skipped.count)):")
      for entry in skipped { lines.append("  " + safe(entry.description)) }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The whole report for calls already reviewed.
  public static func render(
    _ calls: [CallReview], summary: ReviewSummary, skipped: [SkippedTranscript]
  ) -> String {
    calls.map(call).joined() + self.summary(summary, skipped: skipped)
  }

  static func levels(_ counts: ReviewSummary.LevelCounts) -> String {
    "\(counts.calls) call\(counts.calls == 1 ? "" : "s"): "
      + ComplianceLevel.allCases.map { "\($0.title) \(counts[$0])" }.joined(separator: ", ")
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  /// Call-clock seconds as `m:ss`.
  public static func clock(_ seconds: Double) -> String {
    callClock(seconds)
  }

  /// A duration as `12 s` or `12.5 s`.
  public static func seconds(_ value: Double) -> String {
    CallAnalysis.seconds(value)
  }

  static func number(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value))" : "\(value)"
  }

  /// Text from a transcript as a terminal may show it (``SafeText/visible(_:limit:)``), so a
  /// report cannot drive the terminal.
  static func safe(_ text: String) -> String { SafeText.visible(text) }

  /// Which facts a call taken on a version without a `review` section was scored on, and from
  /// which version; one line.
  public static func borrowedLine(_ borrowed: BorrowedFacts, review: CallReview) -> String {
    var line =
      "facts: none declared by \(review.protocolLabel); scored on those of "
      + "\(review.protocolID) \(borrowed.version): "
      + borrowed.facts.map(\.id).joined(separator: ", ")
    if !borrowed.leftOut.isEmpty {
      line +=
        " (left out: "
        + borrowed.leftOut.map { "\($0.id): \($0.reason)" }.joined(separator: "; ") + ")"
    }
    return line
  }
}
