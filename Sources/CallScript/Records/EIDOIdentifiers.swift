import Crypto
import Foundation

/// The ids of one call's EIDO components: the same component keeps its id in every record.
///
/// NENA-STA-021 asks for `urn:emergency:uid:eidodatacomponent:<unique>:<agency id>`, where the
/// unique part is letters and digits and the id never changes for the incident. callscript
/// derives it from the call id and the component's role ("person/suspect/1", "note/weapons"):
/// a short readable tag, then 16 hex digits of SHA-256 over the call id and the role. No
/// randomness and no clock, so replays give the same ids.
struct EIDOIdentifiers: Sendable, Hashable {
  let callID: String
  let agencyID: String
  /// 16 hex digits of SHA-256 of the call id.
  let callKey: String
  /// The incident tracking identifier.
  let incident: String
  /// The call identifier.
  let call: String

  /// The ids of the call of `context`.
  ///
  /// The incident tracking and call identifiers are the ESInet's when the context has them;
  /// otherwise they are made here and say so: their unique part starts with `local`.
  init(context: CallContext) {
    self.init(
      callID: context.callID, agencyID: context.agencyID,
      incident: context.incidentTrackingID, call: context.callIdentifier)
  }

  init(callID: String, agencyID: String, incident: String? = nil, call: String? = nil) {
    self.callID = callID
    self.agencyID = agencyID
    let key = Self.digest(callID)
    callKey = key
    self.incident = incident ?? "urn:emergency:uid:incidentid:\(Self.localPrefix)\(key):\(agencyID)"
    self.call = call ?? "urn:emergency:uid:callid:\(Self.localPrefix)\(key):\(agencyID)"
  }

  /// How the unique part of an identifier made by callscript (not by the ESInet) begins.
  static let localPrefix = "local"

  /// The id of the component with `role`, led by `tag` (letters and digits) to be readable.
  func component(_ tag: String, role: String) -> String {
    let hash = Self.digest(callID + "\u{0}" + role)
    return "urn:emergency:uid:eidodatacomponent:\(tag)\(hash):\(agencyID)"
  }

  /// The first 16 hex digits of the SHA-256 of `text`.
  static func digest(_ text: String) -> String {
    let hex = Array("0123456789abcdef")
    var out = ""
    for byte in SHA256.hash(data: Data(text.utf8)).prefix(8) {
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 0x0F)])
    }
    return out
  }
}

/// Timestamps as EIDO wants them: RFC 3339 `date-time` in UTC with milliseconds.
///
/// Always the same length (`2025-03-04T15:14:31.500Z`), so they also sort as text. Written by
/// hand rather than with a date formatter so the output depends on nothing but the date.
enum EIDOTimestamp {
  /// The date, rounded to the millisecond; dates outside years 0000–9999 are clamped.
  static func string(_ date: Date) -> String {
    let seconds = date.timeIntervalSince1970
    let lowest = -62_167_219_200_000.0
    let highest = 253_402_300_799_999.0
    let milliseconds = seconds.isFinite ? min(max((seconds * 1000).rounded(), lowest), highest) : 0
    let total = Int64(milliseconds)
    let dayLength: Int64 = 86_400_000
    let days = total >= 0 ? total / dayLength : (total - dayLength + 1) / dayLength
    let ofDay = total - days * dayLength
    let (year, month, day) = civil(days: days)
    let hour = ofDay / 3_600_000
    let minute = ofDay / 60_000 % 60
    let second = ofDay / 1000 % 60
    let milli = ofDay % 1000
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):"
      + "\(pad(second, 2)).\(pad(milli, 3))Z"
  }

  /// Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian calendar).
  static func civil(days: Int64) -> (Int64, Int64, Int64) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }
}
