/// The review as one self-contained HTML page: inline CSS, inline SVG, no scripts, nothing
/// fetched from the network, light colours that print.
///
/// The page is, in order: ``head(_:skipped:)``, one ``row(_:index:)`` per call (the summary
/// table), ``middle(_:skipped:)`` (the aggregate tables), one ``section(_:index:)`` per call
/// (facts, a timeline drawn in SVG, compliance), and ``tail``. A writer that does not want to
/// hold every call keeps rows and sections in two spools and joins them at the end.
public enum ReviewHTMLReport {
  /// The whole page for calls already reviewed.
  public static func render(
    _ calls: [CallReview], summary: ReviewSummary, skipped: [SkippedTranscript]
  ) -> String {
    var page = head(summary, skipped: skipped)
    for (index, call) in calls.enumerated() { page += row(call, index: index) }
    page += middle(summary, skipped: skipped)
    for (index, call) in calls.enumerated() { page += section(call, index: index) }
    return page + tail
  }

  static let style = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;background:#fff;\
    margin:1.5em auto;max-width:1100px;padding:0 1em}
    h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.4em 0 .4em;\
    border-bottom:2px solid #999}h3{font-size:1.1em;margin:0 0 .3em}
    table{border-collapse:collapse;margin:.4em 0 1em}th,td{border:1px solid #bbb;\
    padding:2px 7px;text-align:left;vertical-align:top}th{background:#eee}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    .high{background:#e3f4e3}.partial{background:#fff6d5}.low{background:#ffe6cc}\
    .non_compliant{background:#fbd9d9}
    .never{color:#a00;font-weight:bold}.muted{color:#555}
    section.call{border-top:1px solid #999;padding-top:.6em;margin-top:1.2em;\
    break-inside:avoid-page}
    li.critical{color:#a00}li.major{color:#8a4b00}
    svg{display:block;width:100%;height:auto;margin:.3em 0;break-inside:avoid}
    svg text{font:10px sans-serif;fill:#222}
    @media print{body{margin:0;max-width:none;font-size:11px}a{color:inherit;\
    text-decoration:none}section.call{break-before:auto}}
    """

  /// The start of the page, up to the opening of the per-call summary table.
  public static func head(_ summary: ReviewSummary, skipped: [SkippedTranscript]) -> String {
    var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    html += "<title>callscript review</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
    html += "<h1>Call review</h1>\n"
    html +=
      "<p>\(summary.calls) call\(summary.calls == 1 ? "" : "s") reviewed, "
      + "\(summary.skipped) skipped. Times are call-clock minutes:seconds from the start of "
      + "each call; percentiles are nearest-rank. Definitions: docs/review.md.</p>\n"
    html += "<h2>Calls</h2>\n<table class=\"calls\">\n<thead><tr><th>call</th><th>position</th>"
    html += "<th>protocol</th><th class=\"n\">dispatch</th><th class=\"n\">answers</th>"
    html += "<th class=\"n\">score</th><th>level</th><th class=\"n\">critical</th>"
    html += "<th class=\"n\">major</th><th class=\"n\">minor</th><th>never sent out</th>"
    html += "<th class=\"n\">unconfirmed</th></tr></thead>\n<tbody>\n"
    return html
  }

  /// One call's row of the summary table.
  public static func row(_ call: CallReview, index: Int) -> String {
    let compliance = call.compliance
    let neverOut = call.facts.filter(\.neverOut).map(\.fact.title)
    var html = "<tr class=\"\(compliance.level.rawValue)\">"
    html += "<td><a href=\"#call-\(index)\">\(escape(call.callID))</a></td>"
    html += "<td>\(escape(call.position))</td><td>\(escape(call.protocolLabel))</td>"
    html += "<td class=\"n\">\(call.dispatch.map { clock($0.at) } ?? "none")</td>"
    html += "<td class=\"n\">\(call.dispatch.map { "\($0.answers)" } ?? "-")</td>"
    html += "<td class=\"n\">\(compliance.score)</td><td>\(compliance.level.title)</td>"
    for severity in MissSeverity.allCases {
      html += "<td class=\"n\">\(compliance.count(severity))</td>"
    }
    html += "<td class=\"never\">\(escape(neverOut.joined(separator: ", ")))</td>"
    html += "<td class=\"n\">\(call.unconfirmed.count)</td></tr>\n"
    return html
  }

  /// The end of the summary table, the aggregate tables and the heading of the call details.
  ///
  /// `labels` gives questions' labels by id, shown in the table of questions most often missed.
  public static func middle(
    _ summary: ReviewSummary, skipped: [SkippedTranscript], labels: [String: String] = [:]
  ) -> String {
    var html = "</tbody>\n</table>\n"
    if !skipped.isEmpty {
      html += "<h2>Skipped files</h2>\n<table><thead><tr><th>file</th><th class=\"n\">line</th>"
      html += "<th>reason</th></tr></thead><tbody>\n"
      for entry in skipped {
        html +=
          "<tr><td>\(escape(entry.file))</td><td class=\"n\">\(entry.line.map(String.init) ?? "")"
          + "</td><td>\(escape(entry.reason))</td></tr>\n"
      }
      html += "</tbody></table>\n"
    }
    html += "<h2>Timings</h2>\n<table><thead><tr><th>measure</th><th class=\"n\">n</th>"
    html += "<th class=\"n\">median</th><th class=\"n\">90th percentile</th></tr></thead><tbody>\n"
    for row in summary.timingRows {
      let format: (Double?) -> String = { value in
        guard let value else { return "-" }
        return row.seconds ? ReviewTextReport.seconds(value) : ReviewTextReport.number(value)
      }
      html +=
        "<tr><td>\(escape(row.name))</td><td class=\"n\">\(row.values.count)</td>"
        + "<td class=\"n\">\(format(row.values.median))</td>"
        + "<td class=\"n\">\(format(row.values.p90))</td></tr>\n"
    }
    html += "</tbody></table>\n"
    if summary.notDispatched > 0 {
      html += "<p class=\"never\">Calls with no dispatch record: \(summary.notDispatched)</p>\n"
    }
    let neverOut = summary.factCounts(summary.factsNeverOut, separator: ": ")
    html +=
      "<p>Facts known but never sent out: "
      + (neverOut.isEmpty
        ? "none" : "<span class=\"never\">\(escape(neverOut.joined(separator: ", ")))</span>")
      + ".</p>\n"
    let late = summary.factCounts(summary.factsLate, separator: ": ")
    html +=
      "<p>Facts late to their relay: "
      + (late.isEmpty
        ? "none" : "<span class=\"never\">\(escape(late.joined(separator: ", ")))</span>")
      + ".</p>\n"
    if summary.noFactsDeclared > 0 {
      html +=
        "<p>Calls whose protocol declares no facts for review (generic metrics only): "
        + "\(summary.noFactsDeclared).</p>\n"
    }
    html += "<h2>Compliance levels</h2>\n"
    html += levelTable("position", summary.byPosition, total: summary.levels)
    html += levelTable("protocol version", summary.byProtocol, total: nil)
    let missed = summary.mostMissedQuestions()
    html += "<h2>Questions most often missed</h2>\n"
    if missed.isEmpty {
      html += "<p>None.</p>\n"
    } else {
      html += "<table><thead><tr><th>question</th><th class=\"n\">calls</th></tr></thead><tbody>\n"
      for entry in missed {
        let name = labels[entry.question].map { "\($0) (\(entry.question))" } ?? entry.question
        html += "<tr><td>\(escape(name))</td><td class=\"n\">\(entry.count)</td></tr>\n"
      }
      html += "</tbody></table>\n"
    }
    html += "<h2>Call details</h2>\n"
    html += legend
    return html
  }

  static func levelTable(
    _ name: String, _ groups: [String: ReviewSummary.LevelCounts],
    total: ReviewSummary.LevelCounts?
  ) -> String {
    var html = "<table><thead><tr><th>\(name)</th><th class=\"n\">calls</th>"
    for level in ComplianceLevel.allCases {
      html += "<th class=\"n \(level.rawValue)\">\(level.title)</th>"
    }
    html += "<th class=\"n\">median score</th></tr></thead><tbody>\n"
    var rows = groups.keys.sorted().compactMap { key in groups[key].map { (key, $0) } }
    if let total { rows.append(("all calls", total)) }
    for (key, counts) in rows {
      html += "<tr><td>\(escape(key))</td><td class=\"n\">\(counts.calls)</td>"
      for level in ComplianceLevel.allCases { html += "<td class=\"n\">\(counts[level])</td>" }
      html +=
        "<td class=\"n\">\(counts.score.median.map(ReviewTextReport.number) ?? "-")</td></tr>\n"
    }
    return html + "</tbody></table>\n"
  }

  static let legend = """
    <p class="muted">Timeline: answers to the question on screen (filled circles) and \
    volunteered answers (open circles); the first dispatch record (diamond); relays and \
    instructions (ticks); for each critical fact a bar from when it was known to when it \
    first went out in a record or relay, red to the end when it never went out; the grey \
    band is time with the caller disconnected. Hover a mark for its name.</p>

    """

  /// The end of the page.
  public static let tail = "</body>\n</html>\n"

  /// One call's details: facts, timeline, compliance, overrides, unconfirmed verifications.
  public static func section(_ call: CallReview, index: Int) -> String {
    var html = "<section class=\"call\" id=\"call-\(index)\">\n"
    html += "<h3>\(escape(call.callID))</h3>\n"
    var meta = [
      call.file, "position \(call.position)", call.protocolLabel,
      "\(call.events) events, \(call.answers) answers (\(call.asked) asked, "
        + "\(call.volunteered) volunteered)",
      call.ended
        ? "ended at \(clock(call.duration))" : "not ended (last event \(clock(call.duration)))",
    ]
    meta.append(
      call.dispatch.map {
        "first dispatch record at \(clock($0.at)) after \($0.answers) answers"
      } ?? "no dispatch record")
    html += "<p class=\"muted\">\(escape(meta.joined(separator: " · ")))</p>\n"
    if call.facts.isEmpty {
      html +=
        "<p class=\"muted\">No facts declared for review by \(escape(call.protocolLabel)) "
        + "(no 'review' section): generic metrics only.</p>\n"
    } else {
      if let borrowed = call.borrowedFacts {
        html +=
          "<p class=\"muted\">"
          + escape(ReviewTextReport.borrowedLine(borrowed, review: call)) + ".</p>\n"
      }
      html +=
        "<table><thead><tr><th>fact</th><th class=\"n\">known</th><th class=\"n\">out</th>"
        + "<th class=\"n\">latency</th><th>how</th></tr></thead><tbody>\n"
    }
    for timing in call.facts {
      html += "<tr><td>\(escape(timing.fact.title))</td>"
      guard let known = timing.knownAt else {
        html += "<td class=\"n\">-</td><td></td><td></td><td class=\"muted\">not known</td></tr>\n"
        continue
      }
      html += "<td class=\"n\">\(clock(known))</td>"
      if let out = timing.outAt, let latency = timing.latency {
        var how: [String] = []
        if timing.recordAt == out { how.append("record") }
        if timing.relayAt == out, let relay = timing.relay { how.append("relay \(relay)") }
        if timing.late, let relayLatency = timing.relayLatency, let within = timing.fact.within {
          how.append(
            "late: relay \(ReviewTextReport.seconds(relayLatency)) after the answer, target "
              + ReviewTextReport.seconds(within))
        }
        html +=
          "<td class=\"n\">\(clock(out))</td><td class=\"n\">\(ReviewTextReport.seconds(latency))"
          + "</td><td>\(escape(how.joined(separator: ", ")))</td></tr>\n"
      } else {
        html += "<td></td><td></td><td class=\"never\">never sent out</td></tr>\n"
      }
    }
    if !call.facts.isEmpty { html += "</tbody></table>\n" }
    html += airingTable(call)
    html += timeline(call)
    let compliance = call.compliance
    html +=
      "<p class=\"\(compliance.level.rawValue)\"><strong>Compliance \(compliance.score) "
      + "(\(compliance.level.title))</strong>: "
      + MissSeverity.allCases.map { "\(compliance.count($0)) \($0.rawValue)" }.joined(
        separator: ", ") + "</p>\n"
    if !compliance.misses.isEmpty {
      html += "<ul>\n"
      for miss in compliance.misses {
        html +=
          "<li class=\"\(miss.severity.rawValue)\">\(miss.severity.rawValue) "
          + "(\(miss.severity.weight)) at \(clock(miss.at)): \(escape(miss.detail))</li>\n"
      }
      html += "</ul>\n"
    }
    var notes: [String] = []
    for wait in call.waits where !wait.viaPrompt {
      notes.append(
        "'\(wait.question)' waited \(ReviewTextReport.seconds(wait.wait)) from "
          + "\(clock(wait.since)) while volunteered answers were entered: "
          + wait.answeredInstead.joined(separator: ", ") + " (not scored)")
    }
    if !call.unaskedAfterDisconnect.isEmpty {
      notes.append(
        "Not asked, the caller was disconnected at the end (not scored): "
          + call.unaskedAfterDisconnect.joined(separator: ", "))
    }
    for override in call.overrides {
      let from = override.previousCode.map { " from \($0) (\(override.previousLevel ?? ""))" } ?? ""
      notes.append(
        "Override at \(clock(override.at)): \(override.code) (\(override.level))\(from), "
          + "reason: \u{201C}\(override.reason)\u{201D}")
    }
    for entry in call.unconfirmed {
      notes.append(
        "Unconfirmed at the end: \(entry.id), raised \(clock(entry.raisedAt)): \(entry.confirm)")
    }
    if !notes.isEmpty {
      html += "<ul class=\"muted\">\n"
      for note in notes { html += "<li>\(escape(note))</li>\n" }
      html += "</ul>\n"
    }
    return html + "</section>\n"
  }

  // MARK: - Timeline

  static let width = 960.0
  static let left = 130.0
  static let right = 16.0
  static let lane = 16.0

  /// The call's timeline in inline SVG: x is call-clock seconds.
  static func timeline(_ call: CallReview) -> String {
    let span = max(call.duration, call.timeline.last?.at ?? 0, 10)
    let plot = width - left - right
    func position(_ seconds: Double) -> Double { left + plot * min(max(seconds, 0), span) / span }
    func x(_ seconds: Double) -> String { format(position(seconds)) }
    let facts = call.facts.filter { $0.knownAt != nil }
    let lanes = ["answers", "records", "relays", "instructions", "events"]
    let top = 6.0
    let axisY = top + lane * Double(lanes.count + facts.count) + 4
    let height = axisY + 22
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(format(width)) \(format(height))\" "
      + "role=\"img\" aria-label=\"timeline of \(escape(call.callID))\">\n"
    // Disconnected time, as grey bands.
    var disconnectedAt: Double?
    for mark in call.timeline {
      if mark.kind == .disconnect, disconnectedAt == nil { disconnectedAt = mark.at }
      if mark.kind == .callback, let since = disconnectedAt {
        svg += band(from: position(since), to: position(mark.at), top: top, bottom: axisY)
        disconnectedAt = nil
      }
    }
    if let since = disconnectedAt {
      svg += band(from: position(since), to: position(span), top: top, bottom: axisY)
    }
    // Lane labels and guide lines.
    let names = lanes + facts.map(\.fact.title)
    for (row, name) in names.enumerated() {
      let y = top + lane * Double(row) + lane / 2
      svg +=
        "<text x=\"4\" y=\"\(format(y + 3.5))\">\(escape(name))</text>"
        + "<line x1=\"\(format(left))\" x2=\"\(format(width - right))\" y1=\"\(format(y))\" "
        + "y2=\"\(format(y))\" stroke=\"#e4e4e4\"/>\n"
    }
    func laneY(_ row: Int) -> Double { top + lane * Double(row) + lane / 2 }
    for mark in call.timeline {
      let title =
        "<title>\(clock(mark.at)) \(escape(mark.kind.rawValue)) \(escape(mark.label))</title>"
      switch mark.kind {
      case .asked, .volunteered:
        let fill = mark.kind == .asked ? "#1f5fa8" : "#fff"
        svg +=
          "<circle cx=\"\(x(mark.at))\" cy=\"\(format(laneY(0)))\" r=\"3.2\" fill=\"\(fill)\" "
          + "stroke=\"#1f5fa8\" stroke-width=\"1.2\">\(title)</circle>\n"
      case .record:
        let cx = x(mark.at)
        let y = laneY(1)
        svg +=
          "<path d=\"M\(cx) \(format(y - 5))l5 5l-5 5l-5 -5z\" fill=\"#2e7d32\">\(title)</path>\n"
      case .relay, .instruction:
        let y = laneY(mark.kind == .relay ? 2 : 3)
        let colour = mark.kind == .relay ? "#6a1b9a" : "#b26a00"
        svg +=
          "<line x1=\"\(x(mark.at))\" x2=\"\(x(mark.at))\" y1=\"\(format(y - 5))\" "
          + "y2=\"\(format(y + 5))\" stroke=\"\(colour)\" stroke-width=\"2\">\(title)</line>\n"
      case .aired:
        svg +=
          "<circle cx=\"\(x(mark.at))\" cy=\"\(format(laneY(2)))\" r=\"4\" fill=\"#fff\" "
          + "stroke=\"#6a1b9a\" stroke-width=\"2\">\(title)</circle>\n"
      case .override, .note, .confirm, .disconnect, .callback, .back, .end:
        let y = laneY(4)
        let shape = mark.kind == .override ? "#c62828" : mark.kind == .end ? "#000" : "#777"
        svg +=
          "<rect x=\"\(format(position(mark.at) - 3))\" y=\"\(format(y - 3))\" width=\"6\" "
          + "height=\"6\" fill=\"\(shape)\">\(title)</rect>\n"
      }
    }
    // Known-to-out bars.
    for (offset, timing) in facts.enumerated() {
      guard let known = timing.knownAt else { continue }
      let y = laneY(lanes.count + offset)
      let out = timing.outAt
      let end = out ?? span
      let colour = out == nil ? "#c62828" : "#2e7d32"
      let label =
        out == nil
        ? "known \(clock(known)), never sent out"
        : "known \(clock(known)), out \(clock(end)) (\(ReviewTextReport.seconds(end - known)))"
      svg +=
        "<line x1=\"\(x(known))\" x2=\"\(x(end))\" y1=\"\(format(y))\" y2=\"\(format(y))\" "
        + "stroke=\"\(colour)\" stroke-width=\"5\" stroke-linecap=\"round\""
        + (out == nil ? " stroke-dasharray=\"6 3\"" : "")
        + "><title>\(escape(timing.fact.title)): \(escape(label))</title></line>\n"
      svg +=
        "<circle cx=\"\(x(known))\" cy=\"\(format(y))\" r=\"3\" fill=\"#fff\" "
        + "stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
    }
    // Axis.
    svg +=
      "<line x1=\"\(format(left))\" x2=\"\(format(width - right))\" y1=\"\(format(axisY))\" "
      + "y2=\"\(format(axisY))\" stroke=\"#444\"/>\n"
    let step = tickStep(span)
    var tick = 0.0
    while tick <= span + 0.001 {
      svg +=
        "<line x1=\"\(x(tick))\" x2=\"\(x(tick))\" y1=\"\(format(axisY))\" "
        + "y2=\"\(format(axisY + 4))\" stroke=\"#444\"/>"
        + "<text x=\"\(x(tick))\" y=\"\(format(axisY + 15))\" text-anchor=\"middle\">"
        + "\(clock(tick))</text>\n"
      tick += step
    }
    return svg + "</svg>\n"
  }

  static func band(from start: Double, to end: Double, top: Double, bottom: Double) -> String {
    "<rect x=\"\(format(start))\" y=\"\(format(top))\" width=\"\(format(max(0, end - start)))\" "
      + "height=\"\(format(bottom - top))\" fill=\"#eeeeee\"><title>caller disconnected"
      + "</title></rect>\n"
  }

  /// A tick spacing giving at most about 12 ticks.
  static func tickStep(_ span: Double) -> Double {
    for step in [5.0, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] where span / step <= 12 {
      return step
    }
    return (span / 12 / 3600).rounded(.up) * 3600
  }

  /// A coordinate with at most one decimal.
  static func format(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
  }

  static func clock(_ seconds: Double) -> String { ReviewTextReport.clock(seconds) }

  /// Text made safe for HTML content and attribute values.
  static func escape(_ text: String) -> String { Escaped.markup(text, apostrophe: true) }
}
