import CReadline
import Foundation

/// Reads lines with GNU readline: editing, per-user history, tab completion, and Ctrl-C,
/// window resizing and return from Ctrl-Z handled on the main thread, never inside a signal
/// handler.
///
/// readline runs in its callback mode: the loop polls standard input and a signal pipe (see
/// `Sources/CReadline/shim.h`) and feeds readline one character at a time, so a signal only
/// wakes the loop and all readline calls happen here.
final class TerminalLineReader {
  /// What one read gave.
  enum Outcome {
    /// A line, as bytes: it may not be valid UTF-8.
    case line([UInt8])
    /// Ctrl-D on an empty line, or standard input closed.
    case end
    /// Ctrl-C: the line being typed was dropped.
    case interrupted
  }

  /// Longest line remembered in the history, in bytes.
  static let historyLineLimit = 1_000
  /// Lines kept in the history file.
  static let historySize: Int32 = 1_000

  private let signalFD: Int32
  /// The history file, nil when none could be set up.
  let historyPath: String?
  /// Why there is no history file, to tell the call-taker once.
  private(set) var historyProblem: String?
  private var lastRemembered: String?

  init(completion: TerminalCompletion, environment: [String: String]) {
    Self.chooseUTF8Locale()
    callscript_configure_readline { text, start, _ in
      ReadlineBridge.complete(text: text, start: start)
    }
    rl_initialize()
    _ = rl_variable_bind("completion-ignore-case", "on")
    ReadlineBridge.completion = completion
    signalFD = callscript_watch_signals()

    var path = Self.historyPath(environment: environment)
    if let file = path {
      if let problem = Self.prepareHistory(file) {
        historyProblem = problem
        path = nil
      } else {
        _ = read_history(file)
        stifle_history(Self.historySize)
      }
    }
    historyPath = path
  }

  /// `$XDG_DATA_HOME/callscript/history`, or `~/.local/share/callscript/history`.
  ///
  /// A relative `XDG_DATA_HOME` is ignored, as the XDG base directory specification says.
  static func historyPath(environment: [String: String]) -> String? {
    var base = environment["XDG_DATA_HOME"] ?? ""
    if !base.hasPrefix("/") {
      guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
      base = (home as NSString).appendingPathComponent(".local/share")
    }
    return (base as NSString).appendingPathComponent("callscript/history")
  }

  /// Creates the history folder (mode 0700) and file (mode 0600) when missing; says why not.
  static func prepareHistory(_ path: String) -> String? {
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    } catch {
      return "cannot create \(folder): \(error.localizedDescription)"
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return "cannot open \(path): \(String(cString: strerror(errno)))" }
    close(fd)
    return nil
  }

  /// Reads one line after showing `prompt`.
  ///
  /// `redraw` is called when the window was resized, before readline shows the prompt and the
  /// line typed so far again.
  ///
  /// `idle`, when given, is called after each second without input; when it returns true the
  /// screen is redrawn as after a resize.
  func nextLine(
    prompt: String, completion: TerminalCompletion, redraw: () -> Void,
    idle: (() -> Bool)? = nil
  ) -> Outcome {
    ReadlineBridge.completion = completion
    ReadlineBridge.line = nil
    using_history()
    rl_callback_handler_install(prompt) { pointer in ReadlineBridge.accept(pointer) }
    var hangups = 0
    while true {
      if let line = ReadlineBridge.line {
        ReadlineBridge.line = nil
        return line
      }
      var fds = [
        pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
        pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0),
      ]
      let ready = poll(&fds, signalFD >= 0 ? 2 : 1, idle == nil ? -1 : 1_000)
      if ready < 0 {
        if errno == EINTR { continue }
        rl_callback_handler_remove()
        return .end
      }
      if ready == 0 {
        if let idle, idle() {
          redraw()
          rl_on_new_line()
          rl_redisplay()
        }
        continue
      }
      if signalFD >= 0, fds[1].revents & Int16(POLLIN) != 0 {
        var interrupted = false
        var resized = false
        var continued = false
        var byte: UInt8 = 0
        while read(signalFD, &byte, 1) == 1 {
          switch Int32(byte) {
          case SIGINT: interrupted = true
          case SIGWINCH: resized = true
          case SIGCONT: continued = true
          default: break
          }
        }
        if interrupted {
          rl_free_line_state()
          rl_callback_sigcleanup()
          rl_callback_handler_remove()
          return .interrupted
        }
        if continued {
          // Back from Ctrl-Z: the shell had the terminal; set readline's modes again.
          rl_deprep_terminal()
          rl_prep_terminal(1)
        }
        if resized || continued {
          rl_reset_screen_size()
          redraw()
          rl_on_new_line()
          rl_redisplay()
        }
      }
      let input = fds[0].revents
      if input & Int16(POLLNVAL) != 0 {
        rl_callback_handler_remove()
        return .end
      }
      if input & Int16(POLLIN) != 0 {
        hangups = 0
        rl_callback_read_char()
      } else if input & Int16(POLLHUP | POLLERR) != 0 {
        // Closed input: readline reads its end of file; if it does not say so, stop anyway.
        hangups += 1
        if hangups > 3 {
          rl_callback_handler_remove()
          return .end
        }
        rl_callback_read_char()
      }
    }
  }

  /// True when nothing is typed on the line being read.
  var lineIsEmpty: Bool { callscript_line_length() == 0 }

  /// The terminal's rows and columns, as readline last measured them.
  var screenSize: (rows: Int, columns: Int) {
    var rows: Int32 = 0
    var columns: Int32 = 0
    rl_get_screen_size(&rows, &columns)
    return (rows > 0 ? Int(rows) : 24, columns > 0 ? Int(columns) : 80)
  }

  /// Adds a line to the history and appends it to the history file.
  ///
  /// Appending (never rewriting) keeps the lines another terminal added meanwhile.
  func remember(_ line: String) {
    guard !line.isEmpty, line.utf8.count <= Self.historyLineLimit, line != lastRemembered else {
      return
    }
    lastRemembered = line
    add_history(line)
    if let historyPath { _ = append_history(1, historyPath) }
  }

  /// Gives the terminal and the signals back, and trims the history file.
  func release() {
    rl_callback_handler_remove()
    callscript_unwatch_signals()
    if signalFD >= 0 { close(signalFD) }
    if let historyPath { _ = history_truncate_file(historyPath, Self.historySize) }
  }

  /// readline edits multibyte text only under a UTF-8 locale: take the user's, or C.UTF-8 when
  /// theirs is the plain C locale.
  private static func chooseUTF8Locale() {
    let chosen = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? "C"
    if chosen == "C" || chosen == "POSIX" {
      if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "UTF-8") }
    }
  }
}

/// The state readline's C callbacks reach.
///
/// readline takes plain C function pointers for its line handler and completer; those cannot
/// capture a Swift context, so what they need lives here. `nonisolated(unsafe)` is sound
/// because only the main thread touches it: readline is called from
/// `TerminalLineReader.nextLine` alone, and it calls these callbacks synchronously from
/// `rl_callback_read_char` on that same thread.
enum ReadlineBridge {
  nonisolated(unsafe) static var completion = TerminalCompletion()
  /// What the line handler got; `nextLine` takes it.
  nonisolated(unsafe) static var line: TerminalLineReader.Outcome?
  /// The matches `rl_completion_matches` is handing out, in order.
  nonisolated(unsafe) static var matches: [String] = []

  /// readline's line handler: takes the line (nil at end of file) and frees it.
  static func accept(_ pointer: UnsafeMutablePointer<CChar>?) {
    // Removing the handler stops readline from showing the prompt again at once; the screen
    // is redrawn first.
    rl_callback_handler_remove()
    guard let pointer else {
      line = .end
      return
    }
    let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
    line = .line(Array(bytes))
    free(pointer)
  }

  /// readline's attempted completion: the matches for the word at the cursor, or nil.
  static func complete(text: UnsafePointer<CChar>?, start: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  {
    // Never fall back to file names: a call has nothing to do with them.
    callscript_completion_is_over()
    guard let text, let buffer = callscript_line_buffer() else { return nil }
    let beforeBytes = UnsafeRawBufferPointer(start: buffer, count: max(0, Int(start)))
    let before = String(decoding: beforeBytes, as: UTF8.self)
    matches = completion.candidates(before: before, text: String(cString: text))
    guard !matches.isEmpty else { return nil }
    return rl_completion_matches(text) { _, _ in
      guard !ReadlineBridge.matches.isEmpty else { return nil }
      return strdup(ReadlineBridge.matches.removeFirst())
    }
  }
}
