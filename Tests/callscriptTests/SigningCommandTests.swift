import Foundation
import Testing

@Suite("keys, signed takes and verify --trusted-keys")
struct SigningCommandTests {
  static let call = Data("@2 1200 Main St\n@8 s\n@20 555-0100\n@25 /end\n".utf8)
  static let transcript = "transcripts/20260101-000000.jsonl"

  /// A folder with a key made by `keys init`, a trusted-keys file holding it, and a signed call.
  static func signedCall() throws -> (folder: URL, config: URL, key: String) {
    let folder = try Binary.temporaryFolder()
    let config = folder.appendingPathComponent("config")
    let made = try Binary.run(["keys", "init"], in: folder, config: config)
    #expect(made.status == 0, "\(made.stderr)")
    let key = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(key.hasPrefix("ed25519:"))
    try Data((key + "\n").utf8).write(to: folder.appendingPathComponent("trusted"))
    let take = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"], input: call, in: folder, config: config)
    #expect(take.status == 0, "\(take.stderr)")
    #expect(take.stdout.contains("transcript signed by \(key)"))
    return (folder, config, key)
  }

  @Test("keys init writes the private key 0600 once and prints the public key")
  func keysInit() throws {
    let (folder, config, key) = try Self.signedCall()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = config.appendingPathComponent("callscript/signing-key").path
    let attributes = try FileManager.default.attributesOfItem(atPath: file)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let again = try Binary.run(["keys", "init"], in: folder, config: config)
    #expect(again.status == 2)
    #expect(again.stderr.contains("exists already"))
    #expect(try Binary.run(["keys", "show"], in: folder, config: config).stdout == key + "\n")
  }

  @Test("a signed call verifies with the trusted key and fails with another or none")
  func verifyTrusted() throws {
    let (folder, _, key) = try Self.signedCall()
    defer { try? FileManager.default.removeItem(at: folder) }
    let trusted = try Binary.run(
      ["verify", Self.transcript, "--trusted-keys", "trusted"], in: folder)
    #expect(trusted.status == 0, "\(trusted.stdout)")
    #expect(trusted.stdout.contains("signed by trusted key \(key)"))
    let untrusted = try Binary.run(["verify", Self.transcript], in: folder)
    #expect(untrusted.stdout.contains("not checked against trusted keys"))
    let other = Self.otherKey(in: folder)
    try Data((other + "\n").utf8).write(to: folder.appendingPathComponent("other"))
    let wrong = try Binary.run(["verify", Self.transcript, "--trusted-keys", "other"], in: folder)
    #expect(wrong.status == 1)
    #expect(wrong.stdout.contains("not a trusted key"))
    let review = try Binary.run(
      ["review", "transcripts", "--trusted-keys", "other"], in: folder)
    #expect(review.status == 1)
    #expect(review.stdout.contains("not a trusted key"))
  }

  /// The public key of a second `keys init`.
  static func otherKey(in folder: URL) -> String {
    let config = folder.appendingPathComponent("config-other")
    let made = try? Binary.run(["keys", "init"], in: folder, config: config)
    return made?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
  }

  @Test("an unsigned call is 'chain intact, unsigned'; trusted keys refuse it; review marks it")
  func unsignedCall() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let take = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"], input: Self.call, in: folder)
    #expect(take.stdout.contains("transcript NOT signed"))
    let verify = try Binary.run(["verify", Self.transcript], in: folder)
    #expect(verify.status == 0)
    #expect(verify.stdout.contains("chain intact, unsigned"))
    let key = Self.otherKey(in: folder)
    try Data((key + "\n").utf8).write(to: folder.appendingPathComponent("trusted"))
    let trusted = try Binary.run(
      ["verify", Self.transcript, "--trusted-keys", "trusted"], in: folder)
    #expect(trusted.status == 1)
    #expect(trusted.stdout.contains("unsigned"))
    let review = try Binary.run(["review", "transcripts"], in: folder)
    #expect(review.stdout.contains("UNSIGNED"))
    #expect(review.stdout.contains("unsigned calls: 1"))
  }

  @Test("a signed call resumes only with its key; the resumed lines are signed")
  func resumeSigned() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = folder.appendingPathComponent("config")
    let key = try Binary.run(["keys", "init"], in: folder, config: config).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    try Data((key + "\n").utf8).write(to: folder.appendingPathComponent("trusted"))
    _ = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"], input: Data("@2 1200 Main St\n".utf8),
      in: folder, config: config)
    let resume = ["take", "--io", "plain", "--clock", "simulated", "--resume", Self.transcript]
    let refused = try Binary.run(resume, input: Data("@25 /end\n".utf8), in: folder)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("can be continued only with that key"))
    let resumed = try Binary.run(
      resume, input: Data("@25 /end\n".utf8), in: folder, config: config)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let verify = try Binary.run(
      ["verify", Self.transcript, "--trusted-keys", "trusted"], in: folder)
    #expect(verify.status == 0, "\(verify.stdout)")
  }

  @Test(
    "the header's call id must be the file name: verify, replay and resume refuse a renamed copy")
  func renamed() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try Binary.run(
      ["take", "--io", "plain", "--clock", "simulated"], input: Self.call, in: folder)
    try FileManager.default.copyItem(
      atPath: folder.appendingPathComponent(Self.transcript).path,
      toPath: folder.appendingPathComponent("transcripts/other.jsonl").path)
    let verify = try Binary.run(["verify", "transcripts/other.jsonl"], in: folder)
    #expect(verify.status == 1)
    #expect(verify.stdout.contains("does not match the file name"))
    let replay = try Binary.run(["replay", "transcripts/other.jsonl"], in: folder)
    #expect(replay.status == 1)
    let resume = try Binary.run(
      ["take", "--io", "plain", "--resume", "transcripts/other.jsonl"], in: folder)
    #expect(resume.status == 2)
    #expect(resume.stderr.contains("does not match the file name"))
  }
}

@Suite("Call ids that collide")
struct CallIDCollisionTests {
  @Test("a generated id that is taken gets another; a given one that exists is an error")
  func collisions() throws {
    let folder = try Binary.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let call = Data("@2 1200 Main St\n@25 /end\n".utf8)
    let take = ["take", "--io", "plain", "--clock", "simulated"]
    // A crash at start used to leave an empty file that blocked the id.
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("transcripts"), withIntermediateDirectories: true)
    try Data().write(to: folder.appendingPathComponent("transcripts/20260101-000000.jsonl"))
    for expected in ["20260101-000000-2", "20260101-000000-3"] {
      let result = try Binary.run(take, input: call, in: folder)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("transcripts/\(expected).jsonl"))
      let verify = try Binary.run(["verify", "transcripts/\(expected).jsonl"], in: folder)
      #expect(verify.status == 0, "\(verify.stdout)")
    }
    let given = try Binary.run(take + ["--call-id", "20260101-000000-2"], input: call, in: folder)
    #expect(given.status == 2)
    #expect(given.stderr.contains("exists already"))
  }
}
