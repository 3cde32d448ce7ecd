import Crypto
import Foundation

/// Signs transcript lines with a position's Ed25519 private key.
///
/// Every line of a signed transcript carries `"sig"`: the signature of its hash, which chains
/// every line before it, so whoever rewrites a line (and recomputes the whole chain) cannot sign
/// the result without the private key. docs/transcript-format.md describes the format.
///
/// `@unchecked Sendable`: the key is set once and never changed, and swift-crypto's key is an
/// immutable value that only lacks the annotation.
public final class TranscriptSigner: @unchecked Sendable {
  let key: Curve25519.Signing.PrivateKey

  /// A new random key.
  public init() {
    key = Curve25519.Signing.PrivateKey()
  }

  /// The key stored in a key file written by ``keyFile``; nil when the text is not one.
  public init?(keyFile text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.hasPrefix(Self.privatePrefix),
      let raw = Data(base64Encoded: String(trimmed.dropFirst(Self.privatePrefix.count))),
      raw.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    else { return nil }
    self.key = key
  }

  static let privatePrefix = "ed25519-private:"

  /// The text of a key file: the private key, one line.
  public var keyFile: String {
    Self.privatePrefix + key.rawRepresentation.base64EncodedString() + "\n"
  }

  /// The public key as headers and trusted-key files name it: `ed25519:` and base64.
  public var publicKey: String {
    TranscriptSignature.prefix + key.publicKey.rawRepresentation.base64EncodedString()
  }

  /// The signature of a line's hash, in base64.
  public func sign(hash: String) -> String {
    // Signing cannot fail for a valid key; an empty signature would fail every check.
    ((try? key.signature(for: TranscriptSignature.message(hash: hash))) ?? Data())
      .base64EncodedString()
  }
}

/// Checks transcript signatures and the keys a center trusts.
public enum TranscriptSignature {
  /// What a public key's text starts with.
  public static let prefix = "ed25519:"
  /// Characters of a signature in base64 (64 bytes).
  static let encodedLength = 88

  /// The bytes signed for a line: a fixed label and the line's hash.
  static func message(hash: String) -> Data {
    Data("\(Transcript.format) line \(hash)".utf8)
  }

  /// The public key a header names; nil when the text is not an Ed25519 public key.
  static func publicKey(_ text: String) -> Curve25519.Signing.PublicKey? {
    guard text.hasPrefix(prefix),
      let raw = Data(base64Encoded: String(text.dropFirst(prefix.count))),
      raw.count == 32
    else { return nil }
    return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
  }

  /// Whether a public key's text is the canonical form of an Ed25519 key.
  public static func isPublicKey(_ text: String) -> Bool {
    publicKey(text).map { prefix + $0.rawRepresentation.base64EncodedString() == text } ?? false
  }

  /// Whether `signature` (base64) signs `hash` with `key`.
  static func isValid(_ signature: String, hash: String, key: Curve25519.Signing.PublicKey)
    -> Bool
  {
    guard let bytes = Data(base64Encoded: signature), bytes.count == 64 else { return false }
    return key.isValidSignature(bytes, for: message(hash: hash))
  }

  /// A signed line as read: its number, hash and signature.
  struct Line {
    var number: Int
    var hash: String
    var signature: String
  }

  /// The signature check of a whole signed transcript, the same for both readers: nil when the
  /// last line's signature verifies, else the first line whose signature does not.
  ///
  /// Each hash chains every line before it, so a valid signature on the last line vouches for
  /// every line (a rewrite anywhere changes the last hash); every line must still carry a
  /// signature, so a file cut short keeps a signed end. One verification a call keeps the
  /// review of signed calls as fast as of unsigned ones; on failure every line is checked in
  /// order to name the first one rewritten.
  static func check(_ lines: [Line], key: Curve25519.Signing.PublicKey) -> TranscriptProblem? {
    guard let last = lines.last else { return nil }
    if isValid(last.signature, hash: last.hash, key: key) { return nil }
    return firstBad(lines, key: key)
      ?? TranscriptProblem(line: last.number, message: badSignature)
  }

  /// The first of `lines` whose signature does not verify, as a problem; nil when all do.
  static func firstBad(_ lines: [Line], key: Curve25519.Signing.PublicKey) -> TranscriptProblem? {
    lines.first { !isValid($0.signature, hash: $0.hash, key: key) }.map {
      TranscriptProblem(line: $0.number, message: badSignature)
    }
  }

  static let badSignature = "bad signature: the line was rewritten without the key"

  /// The keys of a trusted-keys file: one `ed25519:…` key a line, with blank lines and
  /// `#` comments (whole lines, or after the key) ignored; the first bad line's message when
  /// a line is not a key.
  public static func trustedKeys(_ text: String) -> Result<Set<String>, TranscriptProblem> {
    var keys: Set<String> = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line =
        raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
      if line.isEmpty { continue }
      guard isPublicKey(line) else {
        return .failure(
          TranscriptProblem(line: index + 1, message: "not an Ed25519 public key ('ed25519:…')"))
      }
      keys.insert(line)
    }
    return .success(keys)
  }

  /// What a transcript's signature says, or why it is not trusted.
  ///
  /// Without `trusted` keys: "signed by KEY" or "unsigned", both meaning only that the chain is
  /// intact. With them: a failure when the transcript is unsigned or signed by a key not among
  /// them. `signingKey` is the header's, every line's signature already checked by
  /// ``TranscriptReader/read(_:)``.
  public static func status(signingKey: String?, trusted: Set<String>?)
    -> Result<String, TranscriptProblem>
  {
    guard let key = signingKey else {
      if trusted != nil {
        return .failure(
          TranscriptProblem(
            line: 1,
            message: "unsigned: the transcript names no signing key, so any rewrite of "
              + "it would go unnoticed"))
      }
      return .success("chain intact, unsigned")
    }
    guard let trusted else {
      return .success("chain intact, signed by \(key) (not checked against trusted keys)")
    }
    guard trusted.contains(key) else {
      return .failure(
        TranscriptProblem(line: 1, message: "signed by \(key), which is not a trusted key"))
    }
    return .success("signed by trusted key \(key)")
  }
}
