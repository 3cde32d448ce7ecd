import ArgumentParser
import CallScript
import CallScriptIO
import Foundation

/// `callscript review`: supervisor review of call transcripts, one call or a whole shift.
struct ReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Review calls: time to dispatch, facts received to relayed, compliance scores.",
    discussion: """
      Reviews each transcript named, and every *.jsonl directly in each folder named. Each \
      call is verified and replayed with the protocol its header names (found by hash as \
      'verify' does); files that fail are named with the reason and skipped. docs/review.md \
      defines every metric and the scoring. Exit status: 0 all reviewed, 1 any skipped, 2 a \
      path that does not exist or cannot be read.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case html
  }

  @Argument(help: "Transcript files (.jsonl) or folders of them.")
  var paths: [String]

  @Option(help: "Report format: text, json or html.")
  var format: Format = .text

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Option(help: "A protocol file to look for the calls' protocols in (repeatable).")
  var `protocol`: [String] = []

  @Option(
    help: ArgumentHelp(
      "A file of trusted public keys, as 'verify' takes it; unsigned calls and other keys are "
        + "skipped.", valueName: "file"))
  var trustedKeys: String?

  func run() throws {
    let files: [String]
    do {
      files = try ReviewRunner.transcripts(in: paths)
    } catch {
      throw InputError(description: error.description)
    }
    guard !files.isEmpty else {
      throw InputError(
        description: "no transcripts found in \(paths.joined(separator: ", ")) (*.jsonl files)")
    }
    let extra = self.protocol
    for path in extra { _ = try readInput(path) }
    let trusted = try trustedKeys.map(VerifyCommand.loadTrustedKeys)
    let labels = QuestionLabels()
    // Calls taken on a version without a `review` section are scored on the facts of a later
    // version of the same protocol given to the review: the built-in one or a --protocol file.
    let declaring = ([nil] + extra).compactMap { path -> CallProtocol? in
      let data = path.map { FileManager.default.contents(atPath: $0) } ?? BuiltInProtocol.data
      guard let data else { return nil }
      let compiled = ProtocolSource.compile(data, file: path ?? BuiltInProtocol.fileName)
        .protocolValue
      return compiled?.reviewFacts.isEmpty == false ? compiled : nil
    }
    let laterVersion: ReviewRunner.LaterVersionLookup = { archived in
      declaring.filter {
        $0.id == archived.id && ProtocolVersion.isLater($0.version, than: archived.version)
      }.max { ProtocolVersion.isLater($1.version, than: $0.version) }
    }
    let runner = ReviewRunner(trustedKeys: trusted, laterVersion: laterVersion) { header, file in
      let found = ProtocolSource.find(hash: header.protocolHash, transcript: file, extra: extra)
      if let found { labels.add(found.compiled) }
      return found?.compiled
    }
    let sink = try ReportSink(path: output)
    var skipped: [SkippedTranscript] = []
    let summary: ReviewSummary
    switch format {
    case .text:
      summary = runner.run(files) { result in
        switch result {
        case .reviewed(let call): sink.write(ReviewTextReport.call(call))
        case .skipped(let entry): skipped.append(entry)
        }
      }
      sink.write(ReviewTextReport.summary(summary, skipped: skipped, labels: labels.byID))
    case .json:
      sink.write(ReviewJSONReport.prologue)
      var first = true
      summary = runner.run(files) { result in
        switch result {
        case .reviewed(let call):
          sink.write(ReviewJSONReport.call(call, first: first))
          first = false
        case .skipped(let entry): skipped.append(entry)
        }
      }
      sink.write(ReviewJSONReport.epilogue(summary, skipped: skipped))
    case .html:
      // The summary comes first on the page: rows and sections wait in spools meanwhile.
      let rows = try Spool()
      let sections = try Spool()
      var index = 0
      summary = runner.run(files) { result in
        switch result {
        case .reviewed(let call):
          rows.write(ReviewHTMLReport.row(call, index: index))
          sections.write(ReviewHTMLReport.section(call, index: index))
          index += 1
        case .skipped(let entry): skipped.append(entry)
        }
      }
      sink.write(ReviewHTMLReport.head(summary, skipped: skipped))
      try rows.copy(to: sink)
      sink.write(ReviewHTMLReport.middle(summary, skipped: skipped, labels: labels.byID))
      try sections.copy(to: sink)
      sink.write(ReviewHTMLReport.tail)
    }
    try sink.close()
    if output != nil || format != .text {
      for entry in skipped { printError("skipped \(entry)") }
    }
    // A file that is not a transcript at all (or not a regular file) is unreadable input, as
    // the README says; a transcript that fails its checks is a finding.
    if skipped.contains(where: { Self.isUnreadable($0.file) }) { throw ExitStatus.usage }
    if summary.skipped > 0 { throw ExitStatus.findings }
  }

  /// Whether a skipped file is not a transcript at all: not a regular file (never opened then),
  /// unreadable, or without a transcript header.
  static func isUnreadable(_ path: String) -> Bool {
    var status = stat()
    guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
      let data = FileManager.default.contents(atPath: path)
    else { return true }
    return !TranscriptReader.isTranscript(data)
  }
}

/// Buffered output to standard output or a file.
///
/// A report file is written to a temporary file (mode 0600) in the same folder and renamed into
/// place when complete, so a run that stops half way leaves no cut-off report. A symbolic link is
/// refused, never followed; a device or FIFO (`/dev/null`, a pipe) is written in place.
final class ReportSink {
  private let handle: FileHandle
  private let path: String?
  /// The temporary file renamed to `path` on ``close()``; nil when writing in place.
  private let temporary: String?
  private var buffer = ""

  init(path: String?) throws {
    self.path = path
    guard let path else {
      handle = FileHandle.standardOutput
      temporary = nil
      return
    }
    var status = stat()
    if lstat(path, &status) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFLNK:
        throw InputError(
          description: "\(path): is a symbolic link; the report is not written through it "
            + "(give the real path)")
      case S_IFDIR:
        throw InputError(description: "\(path): is a folder, expected a file")
      case S_IFREG: break
      default:
        let descriptor = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError(description: "\(path): cannot be written") }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        temporary = nil
        return
      }
    }
    let folder = (path as NSString).deletingLastPathComponent
    let name = ".\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp"
    let temporary = folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
    let descriptor = open(
      temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw InputError(description: "\(path): cannot be written")
    }
    self.temporary = temporary
    handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
  }

  deinit {
    // Never renamed: a report cut short is removed, not left half-written.
    if let temporary, path != nil { unlink(temporary) }
  }

  func write(_ text: String) {
    buffer += text
    if buffer.utf8.count >= 1 << 16 { flush() }
  }

  func flush() {
    guard !buffer.isEmpty else { return }
    handle.write(Data(buffer.utf8))
    buffer = ""
  }

  func write(_ data: Data) {
    flush()
    handle.write(data)
  }

  func close() throws {
    flush()
    guard let path else { return }
    if let temporary {
      try handle.synchronize()
      try handle.close()
      guard rename(temporary, path) == 0 else {
        throw InputError(
          description:
            "\(path): cannot put the report in place: \(String(cString: strerror(errno)))")
      }
    } else {
      try handle.close()
    }
  }
}

/// Text set aside in a temporary file until it can be written in its place.
final class Spool {
  private let path: String
  private let handle: FileHandle
  private var buffer = ""

  init() throws {
    path = (NSTemporaryDirectory() as NSString).appendingPathComponent(
      "callscript-review-\(UUID().uuidString).tmp")
    // Created 0600 from the start, never through a link an attacker placed.
    let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw InputError(description: "\(path): cannot create a temporary file")
    }
    handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
  }

  deinit {
    try? handle.close()
    try? FileManager.default.removeItem(atPath: path)
  }

  func write(_ text: String) {
    buffer += text
    if buffer.utf8.count >= 1 << 16 {
      handle.write(Data(buffer.utf8))
      buffer = ""
    }
  }

  /// Writes everything spooled to `sink`.
  func copy(to sink: ReportSink) throws {
    if !buffer.isEmpty {
      handle.write(Data(buffer.utf8))
      buffer = ""
    }
    try handle.seek(toOffset: 0)
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      sink.write(chunk)
    }
  }
}

/// The question labels of every protocol a review found, gathered from its worker threads: the
/// report names missed questions by them.
final class QuestionLabels: @unchecked Sendable {
  // @unchecked: `labels` is only read or written while `lock` is held.
  private let lock = NSLock()
  private var labels: [String: String] = [:]

  /// Adds the labels of a protocol's questions; an id already labelled keeps its first label.
  func add(_ callProtocol: CallProtocol) {
    lock.withLock {
      for question in callProtocol.questions where labels[question.id] == nil {
        labels[question.id] = question.label.text()
      }
    }
  }

  /// Every label so far, by question id.
  var byID: [String: String] { lock.withLock { labels } }
}
