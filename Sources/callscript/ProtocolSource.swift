import CallScript
import Foundation

/// A protocol's source bytes, compiled, with the hash transcripts name it by.
struct LoadedProtocol {
  var compiled: CallProtocol
  var data: Data
  var hash: String
}

/// Finds and compiles protocols: a named file, the built-in one, or one a transcript names by
/// hash (in the transcript folder's protocol archive, `protocols/`, or the built-in).
enum ProtocolSource {
  /// Compiles `path`, or the built-in protocol when nil; diagnostics go to standard error.
  static func load(_ path: String?) throws -> LoadedProtocol {
    let data = try path.map(readInput) ?? BuiltInProtocol.data
    let name = path ?? BuiltInProtocol.fileName
    let result = compile(data, file: name)
    for diagnostic in result.diagnostics where diagnostic.severity == .error {
      printError(diagnostic.rendered)
    }
    guard let compiled = result.protocolValue else {
      throw InputError(description: "\(name): the protocol has errors; run callscript lint")
    }
    // A protocol that reads other files is pinned and archived as the bundle of them all.
    return LoadedProtocol(
      compiled: compiled, data: result.source, hash: Transcript.sha256(result.source))
  }

  /// Compiles a protocol file, reading the files it names (`include:`, `overrides:`).
  static func compile(_ data: Data, file: String) -> CompileResult {
    ProtocolCompiler.compile(data: data, file: file, read: readNamedFile)
  }

  /// A file a protocol names: its bytes when it is a regular file that can be read (never a
  /// FIFO or device, which could block).
  static func readNamedFile(_ path: String) -> Data? {
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
    return FileManager.default.contents(atPath: path)
  }

  /// Keeps a copy of the protocol next to the transcripts, so every call can be replayed.
  static func archive(_ loaded: LoadedProtocol, in transcripts: String) {
    let folder = TranscriptFolder(transcripts).protocolArchive
    let path = TranscriptFolder(transcripts).archivedProtocol(hash: loaded.hash)
    guard !FileManager.default.fileExists(atPath: path) else { return }
    try? FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    _ = FileManager.default.createFile(
      atPath: path, contents: loaded.data, attributes: [.posixPermissions: 0o600])
  }

  /// The protocol whose source has `hash`, looked for beside the transcript, in the given
  /// files, in ./protocols and built in; compiled as an archive, so a protocol written before
  /// a rule was added still replays its calls.
  static func find(hash: String, transcript: String, extra: [String]) -> LoadedProtocol? {
    var candidates = [TranscriptFolder(holding: transcript).archivedProtocol(hash: hash)]
    candidates += extra
    let local = (try? FileManager.default.contentsOfDirectory(atPath: "protocols")) ?? []
    candidates += local.filter { $0.hasSuffix(".yaml") }.sorted().map { "protocols/\($0)" }
    if Transcript.sha256(BuiltInProtocol.data) == hash {
      return try? load(nil)
    }
    for path in candidates {
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      if Transcript.sha256(data) == hash {
        guard
          let compiled = ProtocolCompiler.compile(data: data, file: path, archived: true)
            .protocolValue
        else { continue }
        return LoadedProtocol(compiled: compiled, data: data, hash: hash)
      }
      // A protocol that names other files is pinned by the bundle of them all.
      guard names(data) else { continue }
      let result = ProtocolCompiler.compile(
        data: data, file: path, archived: true, read: readNamedFile)
      guard let compiled = result.protocolValue, Transcript.sha256(result.source) == hash else {
        continue
      }
      return LoadedProtocol(compiled: compiled, data: result.source, hash: hash)
    }
    return nil
  }

  /// Whether protocol bytes may name other files (`include:` or `overrides:` at the top).
  static func names(_ data: Data) -> Bool {
    let text = String(decoding: data, as: UTF8.self)
    return text.hasPrefix("include:") || text.hasPrefix("overrides:")
      || text.contains("\ninclude:") || text.contains("\noverrides:")
  }
}

/// Finds the protocols many transcripts name, compiling each once per run (`verify` of a
/// folder of calls compiled the same protocol for every file).
final class ProtocolFinder {
  let extra: [String]
  private var byHash: [String: LoadedProtocol] = [:]

  init(extra: [String]) {
    self.extra = extra
  }

  /// ``ProtocolSource/find(hash:transcript:extra:)``, from the cache when found before.
  func find(hash: String, transcript: String) -> LoadedProtocol? {
    if let known = byHash[hash] { return known }
    let found = ProtocolSource.find(hash: hash, transcript: transcript, extra: extra)
    byHash[hash] = found
    return found
  }
}
