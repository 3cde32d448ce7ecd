/// One declared fact from the caller to the air: fact known, relay produced, relay aired.
///
/// A relay counts as sent when the engine produces it; units hear it only when dispatch puts it
/// on the air (an `aired` event, from `callscript serve` or the jsonl `aired` command). The
/// review measures both steps and flags facts that never reached the air.
public struct FactAiring: Sendable, Hashable {
  public var fact: ReviewFact
  /// When an answer first gave the fact a known value.
  public var knownAt: Double?
  /// The relay that first carried it, and when the engine produced it.
  public var relay: String?
  public var producedAt: Double?
  /// When dispatch first put that relay on the air at or after it was produced.
  public var airedAt: Double?

  /// Seconds from the relay produced to it aired.
  public var producedToAired: Double? {
    guard let producedAt, let airedAt else { return nil }
    return airedAt - producedAt
  }

  /// Seconds from the fact known to its relay aired.
  public var knownToAired: Double? {
    guard let knownAt, let airedAt else { return nil }
    return airedAt - knownAt
  }

  /// Known but never put on the air, whether or not a relay carried it.
  public var neverAired: Bool { knownAt != nil && airedAt == nil }

  /// Why a known fact never reached the air, in words; nil when it did or was never known.
  public var neverAiredReason: String? {
    guard neverAired else { return nil }
    guard let relay, let producedAt else { return "no relay carried it" }
    return "relay \(relay) produced at \(ReviewTextReport.clock(producedAt)) was never aired"
  }

  /// The airings of a call's facts, from its fact timings and its transcript's `aired` events.
  public static func airings(
    facts: [CallReview.FactTiming], entries: [Transcript.Entry]
  ) -> [FactAiring] {
    var aired: [String: [Double]] = [:]
    for entry in entries {
      if case .aired(let relay) = entry.event { aired[relay, default: []].append(entry.at) }
    }
    return facts.map { timing in
      let airedAt = timing.relay.flatMap { relay in
        aired[relay]?.first { $0 >= (timing.relayAt ?? 0) }
      }
      return FactAiring(
        fact: timing.fact, knownAt: timing.knownAt, relay: timing.relay,
        producedAt: timing.relayAt, airedAt: airedAt)
    }
  }
}

extension ReviewTextReport {
  /// The lines of a call's airings: known, produced, aired, for each fact that was known.
  static func airingLines(_ review: CallReview) -> [String] {
    let known = review.airings.filter { $0.knownAt != nil }
    guard !known.isEmpty else { return [] }
    var lines = [
      pad("on the air", 19) + pad("known", 8) + pad("relay", 8) + pad("aired", 8)
        + pad("known→aired", 13) + "relay"
    ]
    for airing in known {
      var line = pad(airing.fact.title, 19) + pad(airing.knownAt.map(clock) ?? "-", 8)
      line += pad(airing.producedAt.map(clock) ?? "-", 8)
      if let aired = airing.airedAt, let latency = airing.knownToAired {
        line += pad(clock(aired), 8) + pad(seconds(latency), 13) + safe(airing.relay ?? "")
      } else {
        line += "NEVER AIRED (" + safe(airing.neverAiredReason ?? "") + ")"
      }
      lines.append(line)
    }
    return lines
  }
}

extension ReviewJSONReport {
  /// A call's airings as JSON: one object per declared fact.
  static func airings(_ review: CallReview) -> JSONValue {
    .array(
      review.airings.map { airing in
        .object([
          "fact": .string(airing.fact.id),
          "known_at_s": number(airing.knownAt),
          "relay": string(airing.relay),
          "relay_at_s": number(airing.producedAt),
          "aired_at_s": number(airing.airedAt),
          "relay_to_aired_s": number(airing.producedToAired),
          "known_to_aired_s": number(airing.knownToAired),
          "never_aired": .bool(airing.neverAired),
        ])
      })
  }
}

extension ReviewHTMLReport {
  /// A call's airings as a table: known, relay produced, aired, with the two delays.
  static func airingTable(_ call: CallReview) -> String {
    let known = call.airings.filter { $0.knownAt != nil }
    guard !known.isEmpty else { return "" }
    var html = "<table class=\"airings\"><thead><tr><th>fact</th><th class=\"n\">known</th>"
    html += "<th class=\"n\">relay produced</th><th class=\"n\">aired</th>"
    html += "<th class=\"n\">relay→aired</th><th class=\"n\">known→aired</th></tr></thead><tbody>\n"
    for airing in known {
      html += "<tr><td>\(escape(airing.fact.title))</td>"
      html += "<td class=\"n\">\(airing.knownAt.map(clock) ?? "-")</td>"
      html += "<td class=\"n\">\(airing.producedAt.map(clock) ?? "-")</td>"
      if let aired = airing.airedAt {
        html += "<td class=\"n\">\(clock(aired))</td>"
        html += "<td class=\"n\">\(airing.producedToAired.map(ReviewTextReport.seconds) ?? "")</td>"
        html += "<td class=\"n\">\(airing.knownToAired.map(ReviewTextReport.seconds) ?? "")</td>"
      } else {
        html += "<td class=\"never\" colspan=\"3\">never aired: "
        html += "\(escape(airing.neverAiredReason ?? ""))</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody></table>\n"
  }
}

extension ReviewSummary {
  /// Counts one call's airings in.
  mutating func addAirings(_ review: CallReview) {
    for airing in review.airings {
      if let delay = airing.producedToAired { relayToAired.add(delay) }
      if let delay = airing.knownToAired { knownToAired.add(delay) }
      if airing.neverAired { factsNeverAired[airing.fact.id, default: 0] += 1 }
    }
  }
}

extension ReviewTextReport {
  /// The summary's lines on relays aired.
  static func airingSummary(_ summary: ReviewSummary) -> [String] {
    func row(_ name: String, _ values: Distribution) -> String {
      pad(name, 36) + pad("\(values.count)", 7) + pad(values.median.map(seconds) ?? "-", 10)
        + (values.p90.map(seconds) ?? "-")
    }
    let never = summary.factCounts(summary.factsNeverAired)
    return [
      row("relay produced to aired", summary.relayToAired),
      row("fact known to relay aired", summary.knownToAired),
      "facts known but never aired: " + (never.isEmpty ? "none" : never.joined(separator: ", ")),
    ]
  }
}

extension ReviewJSONReport {
  /// The summary's relays aired: the two delays and the facts never aired.
  static func airingSummary(_ summary: ReviewSummary) -> JSONValue {
    var never: [String: JSONValue] = [:]
    for fact in summary.factIDs {
      never[fact] = .number(Double(summary.factsNeverAired[fact] ?? 0))
    }
    return .object([
      "relay_to_aired_s": object(summary.relayToAired),
      "known_to_aired_s": object(summary.knownToAired),
      "facts_never_aired": .object(never),
    ])
  }
}
