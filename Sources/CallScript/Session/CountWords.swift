/// Counts said in words, as call-takers type what they hear: "twenty", "two or three",
/// "a dozen", "about 30", "veinticinco", "unos diez".
///
/// English and Spanish, the languages of the built-in protocol; every word list is accepted
/// whatever the call's language. "About N" is recorded as a range around N (about 30 is 24-36),
/// so units never hear an estimate as an exact count.
enum CountWords {
  /// Whole numbers by their words.
  static let units: [String: Int] = [
    "zero": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
    "couple": 2,
    // Spanish
    "cero": 0, "ninguno": 0, "ninguna": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3,
    "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiuno": 21, "veintidós": 22, "veintidos": 22, "veintitrés": 23, "veintitres": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintiseis": 26,
    "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "docena": 12, "par": 2,
  ]
  /// Multipliers: "two hundred", "doscientos" is not covered, "cien"/"ciento" are.
  static let scales: [String: Int] = [
    "hundred": 100, "thousand": 1_000, "cien": 100, "ciento": 100, "mil": 1_000,
  ]
  /// Words that make the next number an estimate.
  static let about = [
    "about", "around", "approximately", "roughly", "maybe", "like", "some", "nearly",
    "almost", "unos", "unas", "como", "aproximadamente", "alrededor", "cerca", "casi",
  ]
  /// Words that open a count: "over 20", "more than 20", "más de 20" are 21 or more.
  static let above = ["over", "more", "than", "más", "mas", "de", "at", "least"]

  /// Words that join two numbers into a range: "two or three", "dos o tres", "2 to 3".
  static let between = ["or", "to", "o", "a", "u"]
  /// Words to skip: "a dozen", "y" in "treinta y dos", "and" in "a hundred and five", "de".
  static let filler = ["and", "y", "de", "the", "people", "personas", "of"]
  /// Open counts: "dozens" is at least 24, "hundreds" at least 200.
  static let many: [String: Int] = [
    "dozens": 24, "docenas": 24, "hundreds": 200, "cientos": 200, "hundred+": 100,
  ]

  /// The count `text` says, or nil when it is not a count in words.
  static func parse(_ text: String) -> FactValue? {
    let words = text.lowercased().split { $0 == " " || $0 == "-" || $0 == "," }.map(String.init)
    guard !words.isEmpty, words.count <= 8 else { return nil }
    if words.count == 1, let low = many[words[0]] { return .count(low: low, high: nil) }
    var rest = words[...]
    if let first = rest.first, ["over", "more", "más", "mas", "at"].contains(first) {
      while let word = rest.first, above.contains(word) { rest = rest.dropFirst() }
      guard let value = number(rest) else { return nil }
      return .count(low: first == "at" ? value : value + 1, high: nil)
    }
    var estimate = false
    while let first = rest.first, about.contains(first) {
      estimate = true
      rest = rest.dropFirst()
      if rest.first == "de" || rest.first == "of" { rest = rest.dropFirst() }
    }
    // "two or three": a range of two numbers.
    if let split = rest.firstIndex(where: { between.contains($0) }), split > rest.startIndex,
      let low = number(rest[..<split]), let high = number(rest[(split + 1)...]), low <= high
    {
      return .count(low: low, high: high)
    }
    guard let value = number(rest) else { return nil }
    guard estimate else { return .count(low: value, high: value) }
    let low = Int((Double(value) * 0.8).rounded(.down))
    let high = Int((Double(value) * 1.2).rounded(.up))
    return .count(low: min(low, max(0, value - 1)), high: max(high, value + 1))
  }

  /// A number written in words or digits: "twenty five", "a hundred and five", "treinta y dos".
  static func number(_ words: ArraySlice<String>) -> Int? {
    var total = 0
    var current = 0
    var seen = false
    for (offset, word) in words.enumerated() {
      if filler.contains(word) { continue }
      // An article before another word: "a dozen", "a hundred", "una docena".
      if ["a", "an", "un", "una"].contains(word), offset < words.count - 1 { continue }
      if let digits = Int(word), word.allSatisfy(\.isNumber), word.count <= 7 {
        current += digits
      } else if let value = units[word] {
        current += value
      } else if let scale = scales[word] {
        current = max(current, 1) * scale
        if scale >= 1_000 {
          total += current
          current = 0
        }
      } else {
        return nil
      }
      seen = true
    }
    let value = total + current
    return seen && value <= AnswerParser.maximumCount ? value : nil
  }
}
