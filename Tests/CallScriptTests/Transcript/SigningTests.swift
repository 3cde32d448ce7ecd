import Foundation
import Testing

@testable import CallScript
@testable import CallScriptIO

@Suite("Signed transcripts: rewrites without the key are detected")
struct SigningTests {
  static let builtIn = TamperTests.builtIn
  /// A fixed key, so failures reproduce (`keyFileRoundTrip` checks the key file is read).
  static let signer =
    TranscriptSigner(
      keyFile: "ed25519-private:" + Data(repeating: 7, count: 32).base64EncodedString())
    ?? TranscriptSigner()
  static let attacker =
    TranscriptSigner(
      keyFile: "ed25519-private:" + Data(repeating: 9, count: 32).base64EncodedString())
    ?? TranscriptSigner()

  @Test("a key file gives back the same key; anything else is no key")
  func keyFileRoundTrip() throws {
    let key = TranscriptSigner()
    #expect(TranscriptSigner(keyFile: key.keyFile)?.publicKey == key.publicKey)
    #expect(
      TranscriptSigner(
        keyFile: "ed25519-private:" + Data(repeating: 7, count: 32).base64EncodedString())?
        .publicKey == Self.signer.publicKey)
    #expect(TranscriptSigner(keyFile: "ed25519-private:AAAA") == nil)
    #expect(TranscriptSigner(keyFile: key.publicKey) == nil)
    #expect(TranscriptSignature.isPublicKey(key.publicKey))
  }

  /// The example call 09, written again through a ``TranscriptWriter`` with `signer`.
  static func signedCopy(signer: TranscriptSigner? = signer) throws -> Data {
    let reading = try TranscriptReader.read(try TamperTests.original()).get()
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("\(reading.header.context.callID).jsonl").path
    let writer = try TranscriptWriter(creating: path, header: reading.header, signer: signer)
    for entry in reading.entries {
      try writer.append(
        entry.event, at: entry.at,
        wall: reading.header.context.startedAt.addingTimeInterval(entry.at), prompt: entry.prompt)
    }
    return try Data(contentsOf: URL(fileURLWithPath: path))
  }

  static func verify(_ data: Data) -> Result<TranscriptReading, TranscriptProblem> {
    TranscriptReader.verify(data, allowIncomplete: false) { _ in builtIn }
  }

  /// Rewrites every line's hash after `change` edits the parsed body of line `index` (0 is the
  /// header); `sign` decides each line's signature (nil: none).
  static func rechained(
    _ data: Data, line index: Int, sign: (String, String?) -> String? = { _, old in old },
    change: (inout [String: JSONValue]) -> Void
  ) throws -> Data {
    var previous = Transcript.genesis
    var output = ""
    for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated()
    {
      let (body, _, oldSignature) = try #require(Transcript.unseal(line))
      guard case .object(var members) = try #require(JSONValue.parse(Data(body.utf8))) else {
        throw CancellationError()
      }
      if number == index { change(&members) }
      let text = JSONValue.object(members).canonical
      let hash = Transcript.sha256(Data((previous + text).utf8))
      let signature = sign(hash, oldSignature).map { ",\"sig\":\"\($0)\"" } ?? ""
      output += String(text.dropLast()) + ",\"hash\":\"\(hash)\"\(signature)}\n"
      previous = hash
    }
    return Data(output.utf8)
  }

  static func changeFirstAnswer(_ members: inout [String: JSONValue]) {
    members["at"] = .number((members["at"]?.number ?? 0) + 0.5)
  }

  static func firstAnswerLine(_ data: Data) throws -> Int {
    let reading = try TranscriptReader.read(data).get()
    let entry = try #require(
      reading.entries.first {
        if case .answer = $0.event { return true }
        return false
      })
    return entry.sequence
  }

  @Test("a signed call verifies, names its key, and is trusted only with that key")
  func signedVerifies() throws {
    let data = try Self.signedCopy()
    let reading = try Self.verify(data).get()
    #expect(reading.header.signingKey == Self.signer.publicKey)
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    #expect(lines.allSatisfy { $0.contains(",\"sig\":\"") })
    #expect(
      (try? TranscriptSignature.status(
        signingKey: reading.header.signingKey,
        trusted: [Self.signer.publicKey]
      ).get()) != nil)
    #expect(
      throws: TranscriptProblem.self,
      performing: {
        try TranscriptSignature.status(
          signingKey: reading.header.signingKey, trusted: [Self.attacker.publicKey]
        ).get()
      })
    let untrusted = try TranscriptSignature.status(
      signingKey: reading.header.signingKey, trusted: nil
    ).get()
    #expect(untrusted.contains("not checked against trusted keys"))
  }

  @Test("unsigned: the chain is intact, never just OK; trusted keys refuse it")
  func unsigned() throws {
    let reading = try Self.verify(try TamperTests.original()).get()
    #expect(reading.header.signingKey == nil)
    #expect(
      try TranscriptSignature.status(signingKey: nil, trusted: nil).get()
        == "chain intact, unsigned")
    #expect(
      throws: TranscriptProblem.self,
      performing: {
        try TranscriptSignature.status(signingKey: nil, trusted: [Self.signer.publicKey]).get()
      })
  }

  @Test("an edit that recomputes the whole chain fails: keeping, dropping or forging signatures")
  func rechainedRewrite() throws {
    let data = try Self.signedCopy()
    let index = try Self.firstAnswerLine(data)
    // The chain alone would not notice: unsigned, the same rewrite verifies.
    let unsignedCopy = try Self.signedCopy(signer: nil)
    let plain = try Self.rechained(unsignedCopy, line: index, change: Self.changeFirstAnswer)
    #expect((try? Self.verify(plain).get()) != nil)

    let kept = try Self.rechained(data, line: index, change: Self.changeFirstAnswer)
    #expect(throws: TranscriptProblem.self, performing: { try Self.verify(kept).get() })
    let dropped = try Self.rechained(
      data, line: index, sign: { _, _ in nil }, change: Self.changeFirstAnswer)
    #expect(throws: TranscriptProblem.self, performing: { try Self.verify(dropped).get() })
    let forged = try Self.rechained(
      data, line: index, sign: { hash, _ in Self.attacker.sign(hash: hash) },
      change: Self.changeFirstAnswer)
    #expect(throws: TranscriptProblem.self, performing: { try Self.verify(forged).get() })
  }

  @Test("stripping the key from the header and every signature leaves an unsigned call")
  func strippedKey() throws {
    let data = try Self.signedCopy()
    let stripped = try Self.rechained(
      data, line: 0, sign: { _, _ in nil }, change: { $0["signing_key"] = nil })
    let reading = try Self.verify(stripped).get()
    #expect(
      throws: TranscriptProblem.self,
      performing: {
        try TranscriptSignature.status(
          signingKey: reading.header.signingKey, trusted: [Self.signer.publicKey]
        ).get()
      })
  }

  @Test("the attacker's own key in the header verifies only as an untrusted key")
  func replacedKey() throws {
    let data = try Self.signedCopy()
    let forged = try Self.rechained(
      data, line: 0, sign: { hash, _ in Self.attacker.sign(hash: hash) },
      change: { $0["signing_key"] = .string(Self.attacker.publicKey) })
    let reading = try Self.verify(forged).get()
    let status = TranscriptSignature.status(
      signingKey: reading.header.signingKey, trusted: [Self.signer.publicKey])
    guard case .failure(let problem) = status else {
      Issue.record("a transcript signed by an untrusted key was trusted")
      return
    }
    #expect(problem.message.contains("not a trusted key"))
  }

  @Test("a line appended after the end without the key is refused")
  func forgedTail() throws {
    let data = try Self.signedCopy()
    let reading = try TranscriptReader.read(data).get()
    let entry = Transcript.Entry(
      sequence: reading.entries.count + 1, at: reading.entries.last?.at ?? 0,
      event: .note("forged"))
    for signer in [nil, Self.attacker] {
      let (line, _) = Transcript.eventLine(
        entry, wall: Date(timeIntervalSince1970: 1_767_225_700), previous: reading.lastHash,
        signer: signer)
      guard case .failure(let problem) = TranscriptReader.read(data + Data(line.utf8)) else {
        Issue.record("a forged tail was accepted")
        continue
      }
      #expect(problem.line == reading.entries.count + 2)
    }
  }

  @Test("a signed call continues only with its own key")
  func resumeNeedsTheKey() throws {
    let folder = try WriterFixture.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("writer-test.jsonl").path
    _ = try TranscriptWriter(
      creating: path, header: WriterFixture.header(for: path), signer: Self.signer)
    let reading = try WriterFixture.read(path)
    #expect(throws: TranscriptWriteError.self) {
      try TranscriptWriter(appendingTo: path, after: reading, signer: Self.attacker)
    }
    #expect(throws: TranscriptWriteError.self) {
      try TranscriptWriter(appendingTo: path, after: reading, signer: nil)
    }
    let writer = try TranscriptWriter(appendingTo: path, after: reading, signer: Self.signer)
    try writer.append(.note("continued"), at: 1, wall: Date(timeIntervalSince1970: 1_767_225_601))
    #expect(try WriterFixture.read(path).entries.count == 1)
  }

  @Test("trusted-keys files: keys and comments; anything else is refused with its line")
  func trustedKeysFile() throws {
    let text = "# center keys\n\(Self.signer.publicKey)  # position 1\n\n"
    #expect(try TranscriptSignature.trustedKeys(text).get() == [Self.signer.publicKey])
    let bad = TranscriptSignature.trustedKeys(text + "ed25519:not-a-key\n")
    guard case .failure(let problem) = bad else {
      Issue.record("a bad key line was accepted")
      return
    }
    #expect(problem.line == 4)
  }
}

@Suite("Transcript headers are checked")
struct HeaderCheckTests {
  static func problem(_ data: Data) -> TranscriptProblem? {
    if case .failure(let problem) = TranscriptReader.read(data) { return problem }
    return nil
  }

  @Test("a byte order mark in front is refused")
  func byteOrderMark() throws {
    let data = Data([0xEF, 0xBB, 0xBF]) + (try TamperTests.original())
    #expect(Self.problem(data)?.message.contains("byte order mark") == true)
  }

  @Test("CRLF line ends are refused, even with the chain recomputed")
  func crlf() throws {
    let original = try TamperTests.original()
    var bytes: [UInt8] = []
    for byte in original {
      if byte == 0x0A { bytes.append(0x0D) }
      bytes.append(byte)
    }
    #expect(Self.problem(Data(bytes))?.message.contains("CRLF") == true)
  }

  @Test("an unknown header field is refused, even with the chain recomputed")
  func unknownField() throws {
    for change: (inout [String: JSONValue]) -> Void in [
      { $0["operator_note"] = .string("x") },
      {
        if case .object(var inner)? = $0["protocol"] {
          inner["extra"] = .bool(true)
          $0["protocol"] = .object(inner)
        }
      },
    ] {
      let data = try SigningTests.rechained(try TamperTests.original(), line: 0, change: change)
      #expect(Self.problem(data)?.message.hasPrefix("unknown header field") == true)
    }
  }

  @Test("the call id must be the file name")
  func callIDIsTheFileName() {
    #expect(TranscriptReader.nameProblem(callID: "a-1", path: "/x/a-1.jsonl") == nil)
    #expect(TranscriptReader.nameProblem(callID: "a-1", path: "/x/a-2.jsonl") != nil)
    #expect(TranscriptReader.nameProblem(callID: "a-1", path: "a-1.json") != nil)
  }
}
