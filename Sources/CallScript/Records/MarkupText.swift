/// Escaping for text placed in XML (PIDF-LO) and HTML (EIDO notes).
enum MarkupText {
  /// `text` with `&`, `<`, `>` and `"` replaced by entities (attributes are always written in
  /// double quotes), and characters XML 1.0 does not allow (control characters other than tab
  /// and line breaks) left out.
  static func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
      default:
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
          continue
        }
        escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }
}
