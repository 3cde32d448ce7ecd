/// Finds the known name closest to a misspelt one, for "did you mean" hints.
///
/// A candidate matches when its Damerau–Levenshtein (optimal string alignment) distance from the
/// misspelt name is at most 2 (at most 1 for names of 3 to 5 characters, 0 for shorter ones), or
/// when one is a prefix of the other (both at least 3 characters long). The closest edit wins, then
/// the closest prefix; ties go to the alphabetically first candidate.
package enum NameSuggestion {
  /// The best suggestion for `name` among `candidates`, or nil when none is close.
  package static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
    let typed = Array(name.unicodeScalars)
    guard !typed.isEmpty else { return nil }
    let limit = typed.count <= 2 ? 0 : typed.count <= 5 ? 1 : 2
    var best: (score: Int, name: String)?
    for candidate in candidates where candidate != name {
      let scalars = Array(candidate.unicodeScalars)
      var score: Int?
      if abs(scalars.count - typed.count) <= limit,
        let distance = editDistance(typed, scalars, limit: limit)
      {
        score = distance
      } else if isPrefix(typed, of: scalars) || isPrefix(scalars, of: typed) {
        score = limit + 1 + abs(scalars.count - typed.count)
      }
      guard let score else { continue }
      if let current = best, (current.score, current.name) <= (score, candidate) { continue }
      best = (score, candidate)
    }
    return best?.name
  }

  /// Whether `short` (at least 3 long) starts `long`.
  private static func isPrefix(_ short: [Unicode.Scalar], of long: [Unicode.Scalar]) -> Bool {
    short.count >= 3 && short.count < long.count && long.starts(with: short)
  }

  /// Optimal string alignment distance, or nil when it exceeds `limit`.
  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
    if a.isEmpty || b.isEmpty {
      let distance = max(a.count, b.count)
      return distance <= limit ? distance : nil
    }
    let width = b.count + 1
    var previous2 = [Int](repeating: 0, count: width)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: width)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          value = min(value, previous2[j - 2] + 1)
        }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return nil }
      (previous2, previous, current) = (previous, current, previous2)
    }
    let distance = previous[b.count]
    return distance <= limit ? distance : nil
  }
}
