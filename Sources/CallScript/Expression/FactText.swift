/// Renders fact values in words for people: the status board, records, relays.
///
/// Missing values are always visible: "unknown", "refused", "not yet known", never empty text.
public enum FactText {
  /// The value in words; `label` names an option, `order` orders a set of option ids.
  public static func render(
    _ value: FactValue, label: (String) -> String,
    order: (Set<String>) -> [String] = {
      $0.sorted()
    }
  ) -> String {
    switch value {
    case .unanswered: "not yet known"
    case .unknown: "unknown"
    case .refused: "refused"
    case .yesNo(let yes), .condition(let yes): yes ? "yes" : "no"
    case .option(let id): label(id)
    case .options(let ids): ids.isEmpty ? "none" : order(ids).map(label).joined(separator: ", ")
    case .count(let low, let high): count(low: low, high: high)
    case .text(let text): text
    case .word(let word): word.replacingOccurrences(of: "_", with: " ")
    }
  }

  /// `2`, `2-3` or `2 or more`.
  public static func count(low: Int, high: Int?) -> String {
    guard let high else { return "\(low) or more" }
    return high == low ? "\(low)" : "\(low)-\(high)"
  }

  /// A duration as people say it on the radio: `40 s` under a minute, else `3 min`, rounded
  /// down; negative and NaN read `0 s`.
  public static func age(_ seconds: Double) -> String {
    guard seconds.isFinite else { return seconds > 0 ? "\(Int.max / 60) min" : "0 s" }
    let seconds = max(0, seconds)
    if seconds < 60 { return "\(Int(seconds)) s" }
    return "\(Int(min(seconds / 60, Double(Int.max / 60)))) min"
  }
}
