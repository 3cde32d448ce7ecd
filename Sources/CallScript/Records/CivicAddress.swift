import Foundation

/// The parts of a civic address (RFC 5139) recognised in a location given in free text.
///
/// Location answers are typed by the call-taker as the caller says them. When one holds a
/// street address ("1400 N. Broad St, Exampleton High School, 2nd floor, room 214") the pieces
/// become a PIDF-LO civic address for the EIDO location; anything else stays free text. The
/// recogniser is deliberately narrow: a house number, a street name and a known street suffix
/// must all be there, and nothing is guessed (no country, state or city).
struct CivicAddress: Sendable, Hashable {
  /// country: ISO 3166 alpha-2, from the agency's settings.
  var country: String?
  /// A1 (state), A2 (county), A3 (city), from the agency's settings.
  var state: String?
  var county: String?
  var city: String?
  /// HNO.
  var houseNumber: String?
  /// HNS: a letter after the house number ("12B").
  var houseNumberSuffix: String?
  /// PRD.
  var leadingDirection: String?
  /// RD.
  var road: String?
  /// STS, spelled out ("Street").
  var streetSuffix: String?
  /// POD.
  var trailingDirection: String?
  /// NAM: a name given before the street address, such as a school.
  var name: String?
  /// BLD.
  var building: String?
  /// FLR.
  var floor: String?
  /// UNIT.
  var unit: String?
  /// ROOM.
  var room: String?
  /// LOC: whatever else was said after the street address.
  var additional: String?

  /// The civic address in `text`, or nil when no street address is recognised.
  init?(recognizing text: String) {
    let segments = text.split { $0 == "," || $0 == ";" || $0.isNewline }
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard let index = segments.firstIndex(where: { Street(segment: $0) != nil }),
      let street = Street(segment: segments[index])
    else { return nil }
    houseNumber = street.number
    houseNumberSuffix = street.numberSuffix
    leadingDirection = street.leadingDirection
    road = street.road
    streetSuffix = street.suffix
    trailingDirection = street.trailingDirection
    var names: [String] = []
    for part in segments[..<index] {
      if let leftover = takeDetails(from: part) { names.append(leftover) }
    }
    name = names.isEmpty ? nil : names.joined(separator: ", ")
    var rest: [String] = []
    for part in [street.rest] + segments[(index + 1)...] where !part.isEmpty {
      if let leftover = takeDetails(from: part) { rest.append(leftover) }
    }
    additional = rest.isEmpty ? nil : rest.joined(separator: ", ")
  }

  /// A civic address for a place given in words with no street address: the building,
  /// floor, unit and room recognised in it, and the rest of the words as `LOC`.
  init(describing text: String) {
    let segments = text.split { $0 == "," || $0 == ";" || $0.isNewline }
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    var rest: [String] = []
    for part in segments {
      if let leftover = takeDetails(from: part) { rest.append(leftover) }
    }
    additional = rest.isEmpty ? nil : rest.joined(separator: ", ")
    if elements.isEmpty { additional = text }
  }

  /// A civic address with only a street name (`RD`, and `STS` when a known suffix ends it),
  /// for one street of an intersection.
  init(street words: String) {
    let parts = splitWords(words)
    if parts.count > 1, let last = parts.last, let suffix = Self.suffixes[Self.key(last)] {
      road = parts.dropLast().map(Self.value).joined(separator: " ")
      streetSuffix = suffix
    } else {
      road = parts.map(Self.value).joined(separator: " ")
    }
  }

  /// The two streets of an intersection named in `text` ("Main and 5th", "corner of Elm St &
  /// 3rd Ave", "… at Main and 6th"), or nil.
  ///
  /// Each side is one to three words right next to `and` or `&`; words such as `at`, `of`
  /// or `near` end a side, and `between` rules the text out (it names a stretch, not a
  /// corner). Both sides must look like street names: a known suffix, a capitalised word or
  /// an ordinal (`5th`).
  static func intersection(in text: String) -> (String, String)? {
    for piece in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }) {
      let words = splitWords(String(piece))
      guard let joint = words.firstIndex(where: { $0 == "and" || $0 == "&" }) else { continue }
      let stops: Set<String> = ["at", "of", "on", "near", "by", "to", "the", "in", "corner"]
      var first: [String] = []
      for word in words[..<joint].reversed() {
        let key = Self.key(word)
        if key == "between" { return nil }
        if stops.contains(key) || first.count == 3 { break }
        first.insert(word, at: 0)
      }
      var second: [String] = []
      for word in words[(joint + 1)...] {
        if stops.contains(Self.key(word)) || second.count == 3 { break }
        second.append(word)
      }
      guard isStreetName(first), isStreetName(second) else { continue }
      return (first.map(value).joined(separator: " "), second.map(value).joined(separator: " "))
    }
    return nil
  }

  private static func isStreetName(_ words: [String]) -> Bool {
    guard let last = words.last, let head = words.first?.first else { return false }
    if suffixes[key(last)] != nil && words.count > 1 { return true }
    let ordinal = words.count == 1 && ordinalNumber(key(last)) != nil
    return ordinal || (head.isUppercase && words.count <= 2)
  }

  /// "5th" -> "5"; nil for a word that is not a number with an ordinal ending.
  private static func ordinalNumber(_ word: String) -> String? {
    let digits = word.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, ["st", "nd", "rd", "th"].contains(String(word.dropFirst(digits.count)))
    else { return nil }
    return String(digits)
  }

  /// The address with the agency's country, state, county and city where it has none.
  func located(in settings: AgencySettings?) -> CivicAddress {
    guard let settings else { return self }
    var address = self
    address.country = country ?? settings.country?.uppercased()
    address.state = state ?? settings.state
    address.county = county ?? settings.county
    address.city = city ?? settings.city
    return address
  }

  /// The elements in RFC 5139 schema order, as (tag, value).
  var elements: [(tag: String, value: String)] {
    let all: [(String, String?)] = [
      ("country", country), ("A1", state), ("A2", county), ("A3", city),
      ("PRD", leadingDirection), ("RD", road), ("STS", streetSuffix), ("POD", trailingDirection),
      ("HNO", houseNumber), ("HNS", houseNumberSuffix), ("LOC", additional), ("FLR", floor),
      ("NAM", name), ("BLD", building), ("UNIT", unit), ("ROOM", room),
    ]
    return all.compactMap { tag, value in value.map { (tag, $0) } }
  }

  /// A PIDF-LO document (RFC 4119, RFC 5139) carrying the address.
  ///
  /// - Parameters:
  ///   - entity: The presentity URI (`pres:…`).
  ///   - tupleID: An XML id for the tuple.
  ///   - timestamp: When the location was given, as an RFC 3339 date-time.
  func pidf(entity: String, tupleID: String, timestamp: String) -> String {
    let civic = elements.map { "<ca:\($0.tag)>\(Escaped.markup($0.value))</ca:\($0.tag)>" }
      .joined()
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
      + " xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
      + " xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\""
      + " entity=\"\(Escaped.markup(entity))\">"
      + "<tuple id=\"\(Escaped.markup(tupleID))\"><status><gp:geopriv><gp:location-info>"
      + "<ca:civicAddress xml:lang=\"en\">\(civic)</ca:civicAddress>"
      + "</gp:location-info><gp:usage-rules/><gp:method>Manual</gp:method></gp:geopriv>"
      + "</status><timestamp>\(timestamp)</timestamp></tuple></presence>"
  }

  /// Takes building, floor, unit and room out of a piece of text; returns what is left.
  private mutating func takeDetails(from text: String) -> String? {
    let words = splitWords(text)
    var left: [String] = []
    var index = 0
    while index < words.count {
      let word = Self.key(words[index])
      let next = index + 1 < words.count ? Self.value(words[index + 1]) : nil
      if let next, !next.isEmpty, ["room", "rm"].contains(word), room == nil {
        room = next
        index += 2
      } else if let next, !next.isEmpty, ["floor", "fl", "flr"].contains(word), floor == nil {
        floor = next
        index += 2
      } else if let next, ["floor", "fl", "flr"].contains(Self.key(next)), floor == nil,
        let level = Self.ordinal(words[index])
      {
        floor = level
        index += 2
      } else if let next, !next.isEmpty,
        ["suite", "ste", "unit", "apt", "apartment"].contains(word),
        unit == nil
      {
        unit = next
        index += 2
      } else if word.hasPrefix("#"), word.count > 1, unit == nil {
        unit = Self.value(String(words[index].dropFirst()))
        index += 1
      } else if let next, !next.isEmpty, ["building", "bldg"].contains(word), building == nil {
        building = next
        index += 2
      } else {
        left.append(words[index])
        index += 1
      }
    }
    return left.isEmpty ? nil : left.joined(separator: " ")
  }

  /// A word lowercased without trailing punctuation, for matching.
  static func key(_ word: String) -> String {
    value(word).lowercased()
  }

  /// A word without trailing punctuation.
  static func value(_ word: String) -> String {
    var word = Substring(word)
    while let last = word.last, [".", ":", ")", "("].contains(last) { word = word.dropLast() }
    return String(word)
  }

  /// "2nd" -> "2", "second" -> "2", "ground" -> "Ground"; nil when the word is not a floor ordinal.
  static func ordinal(_ word: String) -> String? {
    let word = key(word)
    let named = [
      "first": "1", "second": "2", "third": "3", "ground": "Ground", "basement": "Basement",
      "top": "Top",
    ]
    if let level = named[word] { return level }
    let digits = word.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, ["st", "nd", "rd", "th"].contains(String(word.dropFirst(digits.count)))
    else { return nil }
    return String(digits)
  }

  static let directions: [String: String] = [
    "n": "N", "north": "N", "s": "S", "south": "S", "e": "E", "east": "E", "w": "W",
    "west": "W", "ne": "NE", "northeast": "NE", "nw": "NW", "northwest": "NW", "se": "SE",
    "southeast": "SE", "sw": "SW", "southwest": "SW",
  ]

  static let suffixes: [String: String] = [
    "street": "Street", "st": "Street", "avenue": "Avenue", "ave": "Avenue", "av": "Avenue",
    "road": "Road", "rd": "Road", "boulevard": "Boulevard", "blvd": "Boulevard",
    "drive": "Drive", "dr": "Drive", "lane": "Lane", "ln": "Lane", "way": "Way",
    "court": "Court", "ct": "Court", "place": "Place", "pl": "Place", "parkway": "Parkway",
    "pkwy": "Parkway", "highway": "Highway", "hwy": "Highway", "circle": "Circle",
    "cir": "Circle", "terrace": "Terrace", "ter": "Terrace", "trail": "Trail", "trl": "Trail",
    "square": "Square", "sq": "Square", "plaza": "Plaza", "plz": "Plaza", "pike": "Pike",
    "alley": "Alley", "aly": "Alley",
  ]
}

/// A street address at the start of a piece of text: number, street, suffix.
private struct Street {
  var number: String
  var numberSuffix: String?
  var leadingDirection: String?
  var road: String
  var suffix: String
  var trailingDirection: String?
  /// Words after the street address in the same piece.
  var rest: String

  init?(segment: String) {
    let words = splitWords(segment)
    guard words.count >= 3 else { return nil }
    let first = CivicAddress.value(words[0])
    let digits = first.prefix { $0.isASCII && $0.isNumber }
    let after = first.dropFirst(digits.count)
    guard (1...6).contains(digits.count),
      after.isEmpty || (after.count == 1 && after.allSatisfy { $0.isASCII && $0.isLetter })
    else { return nil }
    number = String(digits)
    numberSuffix = after.isEmpty ? nil : after.uppercased()
    var start = 1
    if words.count > 3, let direction = CivicAddress.directions[CivicAddress.key(words[1])] {
      leadingDirection = direction
      start = 2
    }
    guard start + 1 < words.count,
      let end = (start + 1..<words.count).first(where: {
        CivicAddress.suffixes[CivicAddress.key(words[$0])] != nil
      }),
      let suffix = CivicAddress.suffixes[CivicAddress.key(words[end])]
    else { return nil }
    let road = words[start..<end].map(CivicAddress.value).joined(separator: " ")
    guard road.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
    self.road = road
    self.suffix = suffix
    var restStart = end + 1
    if restStart == words.count - 1,
      let direction = CivicAddress.directions[CivicAddress.key(words[restStart])]
    {
      trailingDirection = direction
      restStart += 1
    }
    rest = words[restStart...].joined(separator: " ")
  }
}

/// The words of `text`, split at runs of white space.
private func splitWords(_ text: String) -> [String] {
  text.split(whereSeparator: \.isWhitespace).map(String.init)
}
