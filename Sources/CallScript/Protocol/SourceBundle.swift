/// A protocol and the files it reads (`include:`, the protocol an override file names) as one
/// text: what a transcript's protocol hash covers and what the transcript folder archives.
///
/// The file compiled comes first, as written; then a trailer of comment lines holds each file
/// it read, by its path relative to the file compiled:
///
/// ```
/// # callscript-bundle/1: the files this protocol reads, as compiled
/// # file: shared/caller-basics.yaml
/// #| questions:
/// #|   - id: callback
/// ```
///
/// A protocol that reads no other file is its own bytes, so its hash is the hash of its file
/// as before. A bundle compiles without reading any file: its trailer gives every file.
package enum SourceBundle {
  /// The first line of the trailer; a line starting with it ends the file compiled.
  package static let marker = "# callscript-bundle/1"
  static let fileMarker = "# file: "
  static let lineMarker = "#|"

  /// One file of a bundle's trailer.
  package struct File: Sendable, Hashable {
    /// The path relative to the folder of the file compiled, `..` and `.` resolved.
    package var path: String
    package var text: String
    /// The line of the trailer where the file starts, for messages.
    package var line: Int
  }

  /// The text before the trailer and the trailer's files; nil when `text` has no trailer.
  ///
  /// A trailer line that is none of the marker, `# file: PATH` and `#| TEXT` is an error
  /// naming its line.
  package static func split(_ text: String) -> (
    main: String, files: [File],
    problem: (
      line: Int, message: String
    )?
  )? {
    guard let start = markerOffset(in: text) else { return nil }
    let main = String(text[..<start])
    var lineNumber = main.reduce(into: 0) { count, character in
      if character == "\n" { count += 1 }
    }
    var files: [File] = []
    var problem: (line: Int, message: String)?
    for line in text[start...].split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      if line.hasPrefix(marker) { continue }
      if line.hasPrefix(fileMarker) {
        let path = String(line.dropFirst(fileMarker.count))
        files.append(File(path: path, text: "", line: lineNumber))
      } else if line.hasPrefix(lineMarker), !files.isEmpty {
        var content = line.dropFirst(lineMarker.count)
        if content.first == " " { content = content.dropFirst() }
        files[files.count - 1].text += content + "\n"
      } else if line.isEmpty {
        continue
      } else if problem == nil {
        problem = (
          lineNumber,
          "line \(lineNumber) of the bundle trailer is not '# file: PATH' or '#| TEXT'; "
            + "a file that holds '\(marker)' must be a bundle callscript wrote"
        )
      }
    }
    return (main, files, problem)
  }

  /// The bundle of `main` and `files`, in the order given.
  package static func make(main: String, files: [File]) -> String {
    var text = main
    if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
    text += "\(marker): the files this protocol reads, as compiled\n"
    for file in files {
      text += "\(fileMarker)\(file.path)\n"
      var lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
      if file.text.hasSuffix("\n") { lines.removeLast() }
      for line in lines {
        text += line.isEmpty ? "\(lineMarker)\n" : "\(lineMarker) \(line)\n"
      }
    }
    return text
  }

  /// Where the trailer starts: the first line that begins with the marker.
  static func markerOffset(in text: String) -> String.Index? {
    if text.utf8.starts(with: marker.utf8) { return text.startIndex }
    guard let range = text.utf8.firstRange(of: Array(("\n" + marker).utf8)) else { return nil }
    return text.utf8.index(after: range.lowerBound)
  }

  /// `path` relative to the folder `folder` (both relative to the file compiled, or
  /// absolute), with `.` and `..` resolved as far as the path allows.
  package static func join(_ folder: String, _ path: String) -> String {
    let absolute = path.hasPrefix("/") || (folder.hasPrefix("/") && !path.hasPrefix("/"))
    let base = path.hasPrefix("/") ? [] : folder.split(separator: "/").map(String.init)
    var parts: [String] = []
    for part in base + path.split(separator: "/").map(String.init) {
      switch part {
      case ".", "": continue
      case "..":
        if let last = parts.last, last != ".." {
          parts.removeLast()
        } else if !absolute {
          parts.append("..")
        }
      default: parts.append(part)
      }
    }
    return (absolute ? "/" : "") + parts.joined(separator: "/")
  }

  /// The folder part of a path (`shared` of `shared/basics.yaml`), empty for a bare name.
  package static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}
