import Foundation

/// A transcript left out of a review, with the reason.
public struct SkippedTranscript: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  /// The first bad line, when the problem is in the file's content.
  public var line: Int?
  public var reason: String

  public init(file: String, line: Int?, reason: String) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  public var description: String {
    "\(file): " + (line.map { "line \($0): " } ?? "") + reason
  }
}

/// The outcome for one file: reviewed, or skipped with the reason.
public enum ReviewResult: Sendable {
  case reviewed(CallReview)
  case skipped(SkippedTranscript)
}

extension ReviewResult {
  /// The review of one call's bytes, read from `file`, or why the file is skipped.
  ///
  /// The bytes are verified and replayed with the plan `plan` gives for their header; a file
  /// not named after its call, a call not signed by one of `trustedKeys` (when set) and a call
  /// with no events are skipped.
  package init(
    reviewing data: Data, file: String, trustedKeys: Set<String>?,
    plan: (Transcript.Header) -> ReviewPlan?
  ) {
    let result = CallReviewer.review(data, file: file, plan: plan)
    if case .success(let review) = result {
      if let problem = TranscriptReader.nameProblem(callID: review.callID, path: file) {
        self = .skipped(file: file, problem)
        return
      }
      if case .failure(let problem) = TranscriptSignature.status(
        signingKey: review.signingKey, trusted: trustedKeys)
      {
        self = .skipped(file: file, problem)
        return
      }
    }
    switch result {
    case .success(let review) where review.events == 0:
      self = .skipped(
        SkippedTranscript(
          file: file, line: nil,
          reason: "no events: the call was opened and nothing was recorded; not scored"))
    case .success(let review): self = .reviewed(review)
    case .failure(let problem): self = .skipped(file: file, problem)
    }
  }

  /// `file` skipped for a problem in its content, on the problem's line.
  package static func skipped(file: String, _ problem: TranscriptProblem) -> ReviewResult {
    .skipped(SkippedTranscript(file: file, line: problem.line, reason: problem.message))
  }
}
