import ArgumentParser
import CallScript
import CallScriptIO
import Foundation

/// `callscript keys`: the position's signing key.
struct KeysCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys",
    abstract: "The position's Ed25519 key that signs its transcripts.",
    discussion: """
      The private key is kept in $XDG_CONFIG_HOME/callscript/signing-key (or \
      ~/.config/callscript/signing-key), mode 0600. 'take' signs every transcript line with it \
      when it exists; give the public key to whoever verifies (verify --trusted-keys).
      """,
    subcommands: [Init.self, Show.self]
  )

  /// `callscript keys init`: create the key.
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Create this position's signing key and print its public key.")

    func run() throws {
      let path = try SigningKeyStore.path()
      if let existing = try SigningKeyStore.load() {
        throw InputError(
          description: "\(path): a signing key exists already (public key "
            + "\(existing.publicKey)); remove it first to make a new one")
      }
      let signer = TranscriptSigner()
      try SigningKeyStore.save(signer, to: path)
      print(signer.publicKey)
      printError("callscript: private key written to \(path) (mode 0600)")
    }
  }

  /// `callscript keys show`: print the public key.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print this position's public key.")

    func run() throws {
      guard let signer = try SigningKeyStore.load() else {
        throw InputError(
          description: "no signing key at \(try SigningKeyStore.path()); 'callscript keys init' "
            + "makes one")
      }
      print(signer.publicKey)
    }
  }
}

/// Where the position's signing key is kept: the one place that reads its location from the
/// environment.
enum SigningKeyStore {
  /// `$XDG_CONFIG_HOME/callscript/signing-key`, or `~/.config/callscript/signing-key`.
  static func path() throws -> String {
    let environment = ProcessInfo.processInfo.environment
    let config: String
    if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
      config = xdg
    } else if let home = environment["HOME"], !home.isEmpty {
      config = (home as NSString).appendingPathComponent(".config")
    } else {
      throw InputError(description: "neither XDG_CONFIG_HOME nor HOME is set: no key folder")
    }
    return ((config as NSString).appendingPathComponent("callscript") as NSString)
      .appendingPathComponent("signing-key")
  }

  /// The key, nil when there is none; an error when the file is unreadable or not a key.
  static func load() throws -> TranscriptSigner? {
    let path = try path()
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    guard let data = RegularFile.contents(of: path),
      let signer = TranscriptSigner(keyFile: String(decoding: data, as: UTF8.self))
    else {
      throw InputError(description: "\(path): cannot be read as a callscript signing key")
    }
    return signer
  }

  /// Writes a new key file, mode 0600 in a folder of mode 0700; never replaces a file.
  static func save(_ signer: TranscriptSigner, to path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw InputError(description: "\(folder): cannot create the key folder")
    }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw InputError(description: "\(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    let bytes = Array(signer.keyFile.utf8)
    guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count,
      fsync(descriptor) == 0
    else {
      unlink(path)
      throw InputError(description: "\(path): cannot write the key")
    }
  }
}
