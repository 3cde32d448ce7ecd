import Foundation
import Testing

@testable import CallScript

/// When the call component says it last changed.
@Suite("Records: the call component's update time")
struct RecordsCallTimeTests {
  static func callTime(_ call: RecordsTestCall) throws -> String? {
    call.eido(try #require(call.last)).callComponent?.first?.lastUpdateTimeStamp
  }

  static func stamp(_ offset: Double) -> String {
    EIDOTimestamp.string(RecordsTestCall.context.date(at: offset))
  }

  @Test("the end of the call, with the caller on the line, is the call's last change")
  func endedOnTheLine() throws {
    var call = try RecordsTestCall.dispatched()
    #expect(try Self.callTime(call) == Self.stamp(0))
    try call.apply(.end, after: 30)
    #expect(call.time == 41)
    #expect(try Self.callTime(call) == Self.stamp(41))
  }

  @Test("a dropped line is a change of the call")
  func droppedLine() throws {
    var call = try RecordsTestCall.dispatched()
    try call.apply(.disconnect, after: 10)
    #expect(try Self.callTime(call) == Self.stamp(21))
  }
}
