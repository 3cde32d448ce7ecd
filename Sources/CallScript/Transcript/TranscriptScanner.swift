import Crypto
import Foundation

/// A fast reader for well-formed transcripts, for reviewing thousands of calls at once.
///
/// It makes the checks of ``TranscriptReader/read(_:)`` (the hash chain, the header, sequence
/// numbers, time order, events) directly on the bytes, with a JSON parser that builds no
/// intermediate text. It returns nil on anything it does not handle, and the caller then asks
/// ``TranscriptReader`` itself, whose result and messages are authoritative; a test checks that
/// both agree on the example transcripts and on damaged copies of them.
package enum TranscriptScanner {
  /// The reading of a transcript, or nil when it has any problem or anything unusual.
  package static func read(_ data: Data) -> TranscriptReading? {
    data.withUnsafeBytes { raw in
      read(raw.bindMemory(to: UInt8.self))
    }
  }

  static let marker = Array(",\"hash\":\"".utf8)

  /// Whether `text` (64 bytes) is `digest` (32 bytes) in lowercase hex.
  @inline(__always)
  static func isHex(of digest: UnsafeRawBufferPointer, at text: UnsafeBufferPointer<UInt8>) -> Bool
  {
    guard digest.count * 2 == text.count else { return false }
    func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }
    for index in 0..<digest.count {
      let byte = digest[index]
      guard text[index * 2] == digit(byte >> 4), text[index * 2 + 1] == digit(byte & 0x0F) else {
        return false
      }
    }
    return true
  }

  static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> TranscriptReading? {
    // A byte order mark is refused by the reader, with its message.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
    var previous = [UInt8](repeating: UInt8(ascii: "0"), count: 64)
    var header: Transcript.Header?
    var entries: [Transcript.Entry] = []
    var lastAt = 0.0
    var number = 0
    var start = 0
    while let newline = nextNewline(in: bytes, from: start) {
      number += 1
      // The seal: the line ends `,"hash":"<64 lowercase hex>"}`.
      let end = newline
      let hashStart = end - 66
      let markerStart = hashStart - marker.count
      guard markerStart > start, bytes[end - 1] == UInt8(ascii: "}"),
        bytes[end - 2] == UInt8(ascii: "\"")
      else { return nil }
      for offset in 0..<marker.count where bytes[markerStart + offset] != marker[offset] {
        return nil
      }
      // The claimed hash must be the digest in lowercase hex, so comparing the two also
      // checks it is lowercase hex.
      var hasher = SHA256()
      previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
      hasher.update(
        bufferPointer: UnsafeRawBufferPointer(
          UnsafeBufferPointer(rebasing: bytes[start..<markerStart])))
      withUnsafeBytes(of: UInt8(ascii: "}")) { hasher.update(bufferPointer: $0) }
      let matches = hasher.finalize().withUnsafeBytes { digest in
        Self.isHex(of: digest, at: UnsafeBufferPointer(rebasing: bytes[hashStart..<(end - 2)]))
      }
      guard matches else { return nil }
      if number > 1, let decoded = decodeEvent(bytes, start: start, end: markerStart) {
        guard decoded.sequence == Double(number - 1), decoded.at.isFinite, decoded.at >= lastAt,
          decoded.at <= CallDriver.maximumTime,
          let event = decoded.event
        else { return nil }
        lastAt = decoded.at
        entries.append(
          Transcript.Entry(
            sequence: number - 1, at: decoded.at, event: event, prompt: decoded.prompt))
        for index in 0..<64 { previous[index] = bytes[hashStart + index] }
        start = newline + 1
        continue
      }
      var parser = JSONBytes(bytes: bytes, start: start, end: end)
      guard let json = parser.document(), case .object = json else { return nil }
      if number == 1 {
        // Signed transcripts and unusual headers are left to the reader.
        guard TranscriptReader.unknownHeaderField(json) == nil,
          let parsed = TranscriptReader.parseHeader(json), parsed.signingKey == nil
        else { return nil }
        header = parsed
      } else {
        guard let sequence = json["seq"]?.number, sequence == Double(number - 1),
          let at = json["at"]?.number, at.isFinite, at >= lastAt, at <= CallDriver.maximumTime,
          let type = json["type"]?.string, type != "header", let payload = json["payload"],
          let event = SessionEvent(type: type, payload: payload)
        else { return nil }
        var prompt: Int?
        if let value = json["prompt"] {
          guard case .answer = event, let valid = Transcript.promptNumber(value) else { return nil }
          prompt = valid
        }
        lastAt = at
        entries.append(
          Transcript.Entry(sequence: number - 1, at: at, event: event, prompt: prompt))
      }
      for index in 0..<64 { previous[index] = bytes[hashStart + index] }
      start = newline + 1
    }
    guard let header else { return nil }
    let tail = start < bytes.count ? Data(UnsafeBufferPointer(rebasing: bytes[start...])) : nil
    return TranscriptReading(
      header: header, entries: entries, lastHash: String(decoding: previous, as: UTF8.self),
      tornTail: tail, goodLength: start)
  }

  /// Decodes an event line laid out exactly as the writer lays it out.
  ///
  /// The layout is `{"at":N,"payload":{…},"seq":N,"type":"…","wall":"…"` up to the hash
  /// member; the line's object is never built. Nil when the line has any other layout (the
  /// general parser then reads it); `event` is nil when the type and payload make no event.
  static func decodeEvent(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> (
    sequence: Double, at: Double, event: SessionEvent?, prompt: Int?
  )? {
    var parser = JSONBytes(bytes: bytes, start: start, end: end)
    guard parser.expect("{\"at\":"), case .number(let at)? = parser.number(),
      parser.expect(",\"payload\":")
    else { return nil }
    // The payload of an answer, `{"question":"…","value":{…}}`, without its object.
    var question: String?
    var value: JSONValue?
    var fact: FactValue?
    var payload: JSONValue?
    if parser.expect("{\"question\":\"") {
      parser.index -= 1
      guard let id = parser.string(), parser.expect(",\"value\":") else { return nil }
      question = id
      let valueStart = parser.index
      if let direct = parser.factValue(), parser.expect("}") {
        fact = direct
      } else {
        parser.index = valueStart
        guard let parsed = parser.value(), parser.expect("}") else { return nil }
        value = parsed
      }
    } else {
      guard let parsed = parser.value(), case .object = parsed else { return nil }
      payload = parsed
    }
    var prompt: Int?
    if parser.expect(",\"prompt\":") {
      guard case .number(let number)? = parser.number(),
        let valid = Transcript.promptNumber(.number(number))
      else { return nil }
      prompt = valid
    }
    guard parser.expect(",\"seq\":"), case .number(let sequence)? = parser.number(),
      parser.expect(",\"type\":\""), let type = parser.stringAfterQuote(),
      parser.expect(",\"wall\":\""), parser.skipStringAfterQuote(), parser.index == end
    else { return nil }
    let event: SessionEvent?
    if let question, let fact {
      event =
        type == "answer"
        ? .answer(question: question, value: fact)
        : SessionEvent(
          type: type, payload: .object(["question": .string(question), "value": fact.json]))
    } else if let question, let value {
      if type == "answer" {
        event = FactValue(json: value).map { .answer(question: question, value: $0) }
      } else {
        event = SessionEvent(
          type: type, payload: .object(["question": .string(question), "value": value]))
      }
    } else {
      event = payload.flatMap { SessionEvent(type: type, payload: $0) }
    }
    if prompt != nil, case .answer? = event {
    } else if prompt != nil {
      return nil
    }
    return (sequence, at, type == "header" ? nil : event, prompt)
  }

  static func nextNewline(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard start < bytes.count, let base = bytes.baseAddress else { return nil }
    guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
  }
}

/// A strict JSON parser over bytes (RFC 8259), giving the values ``JSONValue/parse(_:maxDepth:)``
/// gives; nil for anything invalid, a duplicate key, a lone surrogate or nesting deeper than 32.
struct JSONBytes {
  let bytes: UnsafeBufferPointer<UInt8>
  var index: Int
  let end: Int
  var depth = 0
  let maxDepth: Int
  /// Set when parsing stopped at a key seen before in the same object.
  var duplicateKey: String?
  /// Set when parsing stopped at nesting deeper than `maxDepth`.
  var tooDeep = false

  init(bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, maxDepth: Int = 32) {
    self.bytes = bytes
    index = start
    self.end = end
    self.maxDepth = maxDepth
  }

  mutating func document() -> JSONValue? {
    skipSpace()
    guard let value = value() else { return nil }
    skipSpace()
    return index == end ? value : nil
  }

  /// An answer's value as the writer lays it out (`{"text":"…"}`, `{"option":"…"}`,
  /// `{"yes_no":true}`, `{"options":[…]}`, `{"unknown":true}`, `{"refused":true}`), without
  /// building its object; nil for anything else (the caller then parses it as JSON and reads it
  /// with ``FactValue/init(json:)``, which gives the same value for these forms).
  mutating func factValue() -> FactValue? {
    if expect("{\"text\":\"") {
      index -= 1
      guard let text = string(), expect("}") else { return nil }
      return .text(text)
    }
    if expect("{\"option\":\"") {
      index -= 1
      guard let id = string(), expect("}") else { return nil }
      return .option(id)
    }
    if expect("{\"yes_no\":") {
      if expect("true}") { return .yesNo(true) }
      if expect("false}") { return .yesNo(false) }
      return nil
    }
    if expect("{\"options\":[") {
      var ids = Set<String>()
      if expect("]}") { return .options(ids) }
      while index < end, bytes[index] == UInt8(ascii: "\""), let id = string() {
        ids.insert(id)
        if expect(",") { continue }
        return expect("]}") ? .options(ids) : nil
      }
      return nil
    }
    if expect("{\"unknown\":true}") { return .unknown }
    if expect("{\"refused\":true}") { return .refused }
    return nil
  }

  mutating func skipSpace() {
    while index < end {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func value() -> JSONValue? {
    guard index < end else { return nil }
    switch bytes[index] {
    case UInt8(ascii: "{"): return object()
    case UInt8(ascii: "["): return array()
    case UInt8(ascii: "\""): return string().map { .string($0) }
    case UInt8(ascii: "t"): return literal("true", .bool(true))
    case UInt8(ascii: "f"): return literal("false", .bool(false))
    case UInt8(ascii: "n"): return literal("null", .null)
    default: return number()
    }
  }

  /// Consumes `text` when the bytes continue with it exactly.
  mutating func expect(_ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard end - index >= count else { return false }
    let expected = text.utf8Start
    for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
    index += count
    return true
  }

  /// A string whose opening quote was just consumed.
  mutating func stringAfterQuote() -> String? {
    index -= 1
    return string()
  }

  /// Checks a string whose opening quote was just consumed, without building it.
  mutating func skipStringAfterQuote() -> Bool {
    let start = index
    var ascii = true
    while index < end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        return ascii || Self.isValidUTF8(raw)
      }
      if byte == UInt8(ascii: "\\") {
        index = start - 1
        return string() != nil
      }
      if byte < 0x20 { return false }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    return false
  }

  mutating func literal(_ text: StaticString, _ value: JSONValue) -> JSONValue? {
    let count = text.utf8CodeUnitCount
    guard end - index >= count else { return nil }
    let expected = text.utf8Start
    for offset in 0..<count where bytes[index + offset] != expected[offset] { return nil }
    index += count
    return value
  }

  mutating func object() -> JSONValue? {
    depth += 1
    guard depth <= maxDepth else {
      tooDeep = true
      return nil
    }
    index += 1
    var members: [String: JSONValue] = [:]
    skipSpace()
    if index < end, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard index < end, bytes[index] == UInt8(ascii: "\""), let key = string() else {
        return nil
      }
      skipSpace()
      guard index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
      index += 1
      skipSpace()
      guard let value = value() else { return nil }
      guard members.updateValue(value, forKey: key) == nil else {
        duplicateKey = key
        return nil
      }
      skipSpace()
      guard index < end else { return nil }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "}") else { return nil }
      index += 1
      depth -= 1
      return .object(members)
    }
  }

  mutating func array() -> JSONValue? {
    depth += 1
    guard depth <= maxDepth else {
      tooDeep = true
      return nil
    }
    index += 1
    var items: [JSONValue] = []
    skipSpace()
    if index < end, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(items)
    }
    while true {
      skipSpace()
      guard let item = value() else { return nil }
      items.append(item)
      skipSpace()
      guard index < end else { return nil }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "]") else { return nil }
      index += 1
      depth -= 1
      return .array(items)
    }
  }

  mutating func number() -> JSONValue? {
    let start = index
    var negative = false
    if index < end, bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    guard index < end else { return nil }
    var whole = 0
    var digits = 0
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      digits = 1
    } else {
      while index < end, (48...57).contains(bytes[index]) {
        if digits < 18 { whole = whole * 10 + Int(bytes[index] - 48) }
        digits += 1
        index += 1
      }
      guard digits > 0 else { return nil }
    }
    var simple = digits <= 15
    if index < end, bytes[index] == UInt8(ascii: ".") {
      simple = false
      index += 1
      guard skipDigits() else { return nil }
    }
    if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      simple = false
      index += 1
      if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard skipDigits() else { return nil }
    }
    if simple {
      let value = Double(whole)
      return .number(negative ? -value : value)
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    guard let value = Double(text), value.isFinite else { return nil }
    return .number(value)
  }

  /// Skips one or more digits; false when there is none.
  mutating func skipDigits() -> Bool {
    let start = index
    while index < end, (48...57).contains(bytes[index]) { index += 1 }
    return index > start
  }

  /// A string starting at the opening quote.
  mutating func string() -> String? {
    index += 1
    let start = index
    var ascii = true
    while index < end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        if !ascii, !Self.isValidUTF8(raw) { return nil }
        return String(decoding: raw, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") { return escapedString(from: start, ascii: ascii) }
      if byte < 0x20 { return nil }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    return nil
  }

  /// The rest of a string that has escapes, decoded into a buffer.
  mutating func escapedString(from start: Int, ascii: Bool) -> String? {
    var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    var checkUTF8 = !ascii
    while index < end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        if checkUTF8, !buffer.withUnsafeBufferPointer(Self.isValidUTF8) { return nil }
        return String(decoding: buffer, as: UTF8.self)
      }
      if byte < 0x20 { return nil }
      if byte >= 0x80 { checkUTF8 = true }
      guard byte == UInt8(ascii: "\\") else {
        buffer.append(byte)
        index += 1
        continue
      }
      index += 1
      guard index < end else { return nil }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
      case UInt8(ascii: "b"): buffer.append(0x08)
      case UInt8(ascii: "f"): buffer.append(0x0C)
      case UInt8(ascii: "n"): buffer.append(0x0A)
      case UInt8(ascii: "r"): buffer.append(0x0D)
      case UInt8(ascii: "t"): buffer.append(0x09)
      case UInt8(ascii: "u"):
        guard var scalar = hex4() else { return nil }
        if (0xD800...0xDBFF).contains(scalar) {
          guard end - index >= 2, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
          else { return nil }
          index += 2
          guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
          return nil
        }
        guard let unicode = Unicode.Scalar(scalar) else { return nil }
        buffer.append(contentsOf: String(Character(unicode)).utf8)
      default: return nil
      }
    }
    return nil
  }

  mutating func hex4() -> UInt32? {
    guard end - index >= 4 else { return nil }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case 48...57: digit = byte - 48
      case 97...102: digit = byte - 87
      case 65...70: digit = byte - 55
      default: return nil
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
  static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
      index + offset < count && range.contains(bytes[index + offset])
    }
    while index < count {
      let lead = bytes[index]
      switch lead {
      case 0x00...0x7F:
        index += 1
      case 0xC2...0xDF:
        guard continuation(1) else { return false }
        index += 2
      case 0xE0...0xEF:
        let second: ClosedRange<UInt8> =
          lead == 0xE0 ? 0xA0...0xBF : lead == 0xED ? 0x80...0x9F : 0x80...0xBF
        guard continuation(1, second), continuation(2) else { return false }
        index += 3
      case 0xF0...0xF4:
        let second: ClosedRange<UInt8> =
          lead == 0xF0 ? 0x90...0xBF : lead == 0xF4 ? 0x80...0x8F : 0x80...0xBF
        guard continuation(1, second), continuation(2), continuation(3) else { return false }
        index += 4
      default:
        return false
      }
    }
    return true
  }
}
