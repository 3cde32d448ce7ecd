import Testing

@testable import CallScript

@Suite("Records: civic addresses in free-text locations")
struct RecordsCivicAddressTests {
  @Test(
    "street addresses are recognised with their details",
    arguments: [
      ("100 Main Street", "RD=Main STS=Street HNO=100"),
      ("12B Elm Ave.", "RD=Elm STS=Avenue HNO=12 HNS=B"),
      (
        "Exampleton High School, 1400 N. Broad St, east wing, 2nd floor",
        "PRD=N RD=Broad STS=Street HNO=1400 LOC=east wing FLR=2 NAM=Exampleton High School"
      ),
      ("350 Park Avenue South, Suite 400", "RD=Park STS=Avenue POD=S HNO=350 UNIT=400"),
      ("77 St Marys Road room 12 floor 3", "RD=St Marys STS=Road HNO=77 FLR=3 ROOM=12"),
      (
        "9 Dr Martin Luther King Jr Blvd bldg C #4",
        "RD=Dr Martin Luther King Jr STS=Boulevard HNO=9 BLD=C UNIT=4"
      ),
      ("5 North Street", "RD=North STS=Street HNO=5"),
      ("2200 W Oak Ln; basement floor", "PRD=W RD=Oak STS=Lane HNO=2200 FLR=Basement"),
    ])
  func recognised(text: String, expected: String) throws {
    let address = try #require(CivicAddress(recognizing: text))
    #expect(address.elements.map { "\($0.tag)=\($0.value)" }.joined(separator: " ") == expected)
  }

  @Test(
    "anything without a number, a street and a suffix stays free text",
    arguments: [
      "the mall", "Main St and 5th Ave", "2nd floor east wing", "Broadway 100", "100 Broadway",
      "room 214", "1234567 Main St", "12 St", "",
    ])
  func notRecognised(text: String) {
    #expect(CivicAddress(recognizing: text) == nil)
  }

  @Test("the PIDF-LO names its namespaces, method and time, and escapes the address")
  func pidf() throws {
    let address = try #require(CivicAddress(recognizing: "1 A&B Way, \"Annex\""))
    let xml = address.pidf(
      entity: "pres:loc@psap.example.gov", tupleID: "loc1", timestamp: "2025-03-04T15:14:31.000Z")
    #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence "))
    #expect(xml.contains("xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\""))
    #expect(xml.contains("<ca:RD>A&amp;B</ca:RD>"))
    #expect(xml.contains("<ca:LOC>&quot;Annex&quot;</ca:LOC>"))
    #expect(xml.contains("<gp:method>Manual</gp:method>"))
    #expect(xml.contains("<timestamp>2025-03-04T15:14:31.000Z</timestamp>"))
    #expect(xml.hasSuffix("</tuple></presence>"))
  }
}
