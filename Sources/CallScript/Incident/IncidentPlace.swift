/// The place of a call in a form two callers' words can be compared in.
///
/// "Lincoln High School", "lincoln high school." and "Lincoln HS" are one place; so are
/// "5th St & Main Ave" and "Main Avenue and 5th Street" (an intersection either way round).
/// Abbreviations of street types and directions are spelled out, punctuation and "the" are
/// dropped (a period joins: "H.S." is "HS"), and the parts of an intersection are sorted.
public enum IncidentPlace {
  /// Words written out: street types, directions and common landmark words.
  static let spelledOut: [String: String] = [
    "st": "street", "str": "street", "ave": "avenue", "av": "avenue", "rd": "road",
    "blvd": "boulevard", "dr": "drive", "ln": "lane", "hwy": "highway", "pl": "place",
    "ct": "court", "pkwy": "parkway", "sq": "square", "ter": "terrace", "cir": "circle",
    "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast",
    "nw": "northwest", "se": "southeast", "sw": "southwest", "hs": "high school",
    "elem": "elementary", "univ": "university", "ctr": "center", "centre": "center",
    "mt": "mount", "ft": "fort",
  ]

  /// Words that join the two streets of an intersection.
  static let joiners: Set<String> = ["and", "at", "x", "&", "/", "@"]

  /// The comparison key of a place; empty when nothing is left to compare.
  public static func key(_ text: String) -> String {
    var cleaned = ""
    for scalar in text.lowercased().unicodeScalars {
      if scalar == "&" || scalar == "/" || scalar == "@" {
        cleaned += " \(Character(scalar)) "
      } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
        cleaned.unicodeScalars.append(scalar)
      } else if scalar == "'" || scalar == "\u{2019}" || scalar == "." {
        // "H.S." is "HS", "O'Neil" is "ONeil".
        continue
      } else {
        cleaned += " "
      }
    }
    var parts: [[String]] = [[]]
    for word in cleaned.split(separator: " ").map(String.init) {
      if joiners.contains(word) {
        if !(parts.last ?? []).isEmpty { parts.append([]) }
        continue
      }
      if word == "the" { continue }
      let spelled = spelledOut[word] ?? word
      parts[parts.count - 1].append(spelled)
    }
    return parts.map { $0.joined(separator: " ") }.filter { !$0.isEmpty }.sorted()
      .joined(separator: " & ")
  }
}
