import Foundation
import Testing

@testable import CallScript

/// The table of questions most often missed names each by its label from the protocol.
@Suite("Review: missed questions by label")
struct MissedLabelTests {
  static func summary() -> ReviewSummary {
    var summary = ReviewSummary()
    summary.missedQuestions = ["caller_spot": 3, "victim_count": 1, "gone_question": 1]
    return summary
  }

  static let labels = [
    "caller_spot": "Caller's exact spot", "victim_count": "Number <hurt> or killed",
  ]

  @Test("text: label and id, the id alone when no label is known")
  func text() {
    let text = ReviewTextReport.summary(Self.summary(), skipped: [], labels: Self.labels)
    #expect(text.contains("  Caller's exact spot (caller_spot) 3\n"))
    #expect(text.contains("  Number <hurt> or killed (victim_count) 1\n"))
    #expect(text.contains("  gone_question           1\n"))
    let plain = ReviewTextReport.summary(Self.summary(), skipped: [])
    #expect(plain.contains("  caller_spot             3\n"))
  }

  @Test("html: the label escaped")
  func html() {
    let html = ReviewHTMLReport.middle(Self.summary(), skipped: [], labels: Self.labels)
    #expect(html.contains("<td>Caller&#39;s exact spot (caller_spot)</td>"))
    #expect(html.contains("Number &lt;hurt&gt; or killed (victim_count)"))
  }
}
