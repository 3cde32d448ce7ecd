import Foundation
import Testing

@testable import CallScript

/// Facts the caller volunteers while a higher-priority question waits on screen.
@Suite("Review: volunteered answers while a question is due")
struct ReviewWaitTests {
  typealias F = ReviewFixtures

  @Test("one volunteered answer before the question on screen is within the grace: no wait")
  func oneVolunteered() throws {
    let review = try F.review([
      (5, F.text("location", "1 Main Street")),
      (10, F.answer("attacker_count", .count(low: 1, high: 1))),
      (15, F.option("what_happening", "shooting")),
      (20, .end),
    ])
    #expect(review.volunteered == 1)
    #expect(review.waits == [])
    #expect(!review.compliance.misses.contains { $0.kind == .priorityOrder })
  }

  @Test("two volunteered answers before it are a wait, listed but not scored")
  func twoVolunteered() throws {
    let review = try F.review([
      (5, F.text("location", "1 Main Street")),
      (10, F.answer("attacker_count", .count(low: 1, high: 1))),
      (12, F.answer("weapons", .options(["handgun"]))),
      (15, F.option("what_happening", "shooting")),
      (20, .end),
    ])
    #expect(review.volunteered == 2)
    #expect(review.waits.map(\.question) == ["what_happening"])
    #expect(review.waits.first?.answeredInstead == ["attacker_count", "weapons"])
    #expect(review.waits.first?.viaPrompt == false)
    #expect(!review.compliance.misses.contains { $0.kind == .priorityOrder })
  }
}
