import CallScript
import Dispatch
import Foundation

/// A path given to the review that does not exist or cannot be listed.
public struct ReviewInputError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}

/// Reviews many transcripts, a batch at a time on several threads, delivering results in order.
///
/// Only the current batch's reviews are held; the caller folds each into its report and
/// ``ReviewSummary`` as it arrives, so memory does not grow with the number of calls. Each
/// protocol is compiled once and its ``ReviewPlan`` kept by hash.
public struct ReviewRunner: Sendable {
  /// Finds the protocol a transcript names by hash, given the header and the file's path;
  /// called once per protocol and worker thread, and best compiling a fresh copy each time.
  public typealias ProtocolLookup = @Sendable (Transcript.Header, String) -> CallProtocol?
  /// A later version of a protocol that declares review facts, for calls taken on a version
  /// that declares none (``BorrowedFacts``); nil when there is none.
  public typealias LaterVersionLookup = @Sendable (CallProtocol) -> CallProtocol?

  /// Threads reviewing at once.
  public var workers: Int
  /// Files reviewed before their results are delivered.
  public var batchSize: Int
  /// When set, only calls signed by one of these keys are reviewed; others are skipped.
  public var trustedKeys: Set<String>?
  let plans: PlanCache

  public init(
    workers: Int = 2, batchSize: Int = 64, trustedKeys: Set<String>? = nil,
    laterVersion: @escaping LaterVersionLookup = { _ in nil },
    protocolFor: @escaping ProtocolLookup
  ) {
    self.workers = max(1, workers)
    self.batchSize = max(1, batchSize)
    self.trustedKeys = trustedKeys
    plans = PlanCache(lookup: protocolFor, laterVersion: laterVersion)
  }

  /// The transcript files that `paths` name.
  ///
  /// A file is taken as given; in a folder, every `*.jsonl` file directly inside it (not in
  /// subfolders such as `protocols/`), sorted by name. Throws for a path that does not exist, a
  /// file that cannot be read or a folder that cannot be listed.
  public static func transcripts(in paths: [String]) throws(ReviewInputError) -> [String] {
    var files: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ReviewInputError(path: path, message: "no such file or folder")
      }
      guard isDirectory.boolValue else {
        guard FileManager.default.isReadableFile(atPath: path) else {
          throw ReviewInputError(path: path, message: "cannot be read")
        }
        files.append(path)
        continue
      }
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
        throw ReviewInputError(path: path, message: "the folder cannot be read")
      }
      for name in names.sorted() where name.hasSuffix(".jsonl") {
        let file = (path as NSString).appendingPathComponent(name)
        var nested: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &nested), !nested.boolValue {
          files.append(file)
        }
      }
    }
    return files
  }

  /// Reviews `files` and hands each result to `deliver`, in the order of `files`, on the
  /// calling thread; returns the summary of them all.
  public func run(_ files: [String], deliver: (ReviewResult) -> Void) -> ReviewSummary {
    var summary = ReviewSummary()
    var start = 0
    while start < files.count {
      let batch = Array(files[start..<min(files.count, start + batchSize)])
      start += batch.count
      for result in review(batch) {
        switch result {
        case .reviewed(let call): summary.add(call)
        case .skipped: summary.skipped += 1
        }
        deliver(result)
      }
    }
    return summary
  }

  /// Reviews one file.
  public func review(file: String) -> ReviewResult {
    review(file: file, worker: 0)
  }

  /// Reviews one file with the protocols of one worker thread.
  func review(file: String, worker: Int) -> ReviewResult {
    switch RegularFile.bytes(at: file) {
    case .success(let data):
      return ReviewResult(reviewing: data, file: file, trustedKeys: trustedKeys) { header in
        plans.plan(for: header, file: file, worker: worker)
      }
    case .failure(let problem):
      return .skipped(SkippedTranscript(file: file, line: nil, reason: problem.message))
    }
  }

  /// Reviews a batch on `workers` threads.
  func review(_ batch: [String]) -> [ReviewResult] {
    if workers == 1 || batch.count == 1 { return batch.map { review(file: $0) } }
    let slots = ResultSlots(count: batch.count)
    DispatchQueue.concurrentPerform(iterations: min(workers, batch.count)) { worker in
      while let index = slots.claim() {
        slots.store(review(file: batch[index], worker: worker), at: index)
      }
    }
    return slots.results()
  }
}

/// Results of a batch, filled by worker threads.
///
/// `@unchecked Sendable`: every access to the mutable state goes through `lock`.
final class ResultSlots: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [ReviewResult?]
  private var next = 0

  init(count: Int) {
    slots = Array(repeating: nil, count: count)
  }

  /// The next index to review, or nil when all are taken.
  func claim() -> Int? {
    lock.withLock {
      guard next < slots.count else { return nil }
      next += 1
      return next - 1
    }
  }

  func store(_ result: ReviewResult, at index: Int) {
    lock.withLock { slots[index] = result }
  }

  func results() -> [ReviewResult] {
    lock.withLock { slots.compactMap { $0 } }
  }
}

/// Review plans by protocol hash (and the transcript's folder, where the lookup looks), one set
/// per worker thread.
///
/// Each worker has its own compiled protocol: the replay reads the protocol's strings and arrays
/// all the time, and threads sharing them would contend for their reference counts. `@unchecked
/// Sendable`: the cache is only read and written under `lock`; a protocol is looked up once per
/// worker.
final class PlanCache: @unchecked Sendable {
  private let lock = NSLock()
  private var plans: [String: ReviewPlan?] = [:]
  private let lookup: ReviewRunner.ProtocolLookup
  private let laterVersion: ReviewRunner.LaterVersionLookup

  init(
    lookup: @escaping ReviewRunner.ProtocolLookup,
    laterVersion: @escaping ReviewRunner.LaterVersionLookup
  ) {
    self.lookup = lookup
    self.laterVersion = laterVersion
  }

  func plan(for header: Transcript.Header, file: String, worker: Int) -> ReviewPlan? {
    let key = "\(worker)\n" + TranscriptFolder(holding: file).path + "\n" + header.protocolHash
    return lock.withLock {
      if let cached = plans[key] { return cached }
      let plan = lookup(header, file).map { found in
        ReviewPlan(found, laterVersion: found.reviewFacts.isEmpty ? laterVersion(found) : nil)
      }
      plans[key] = .some(plan)
      return plan
    }
  }
}
