import CallScript

/// Fits the parts of the call-taker's screen to a window: when there are more lines than rows,
/// the least urgent go first, and a line says how many are hidden.
enum TerminalScreen {
  /// Lines shown together, and how long they stay when rows run short.
  struct Block {
    var lines: [String]
    /// Blocks with the lowest `keep` lose lines first, from their last line up (the later
    /// block first on a tie); `Int.max` never loses any.
    var keep: Int
    /// Each line cut to one row with `…` rather than wrapped (the title and the clock line,
    /// whose row the clock is redrawn in).
    var clipped = false
    /// The "… N more: /status" line goes after this block when something was cut.
    var marksCut = false

    init(_ lines: [String], keep: Int, clipped: Bool = false, marksCut: Bool = false) {
      self.lines = lines
      self.keep = keep
      self.clipped = clipped
      self.marksCut = marksCut
    }
  }

  /// The blocks' lines, made printable and wrapped at word boundaries to `columns`, in at most
  /// `rows` rows (unless the blocks that are never cut need more).
  static func fit(_ blocks: [Block], rows: Int, columns: Int) -> [String] {
    var blocks = blocks.map { block in
      var block = block
      block.lines = block.lines.map { SafeText.visible($0) }
      return block
    }
    func rowsOf(_ line: String, _ block: Block) -> Int {
      block.clipped ? 1 : TerminalText.wrapped(line, columns: columns).count
    }
    var used = blocks.reduce(0) { total, block in
      total + block.lines.reduce(0) { $0 + rowsOf($1, block) }
    }
    var hidden = 0
    // The marker line itself takes a row once anything is cut.
    while used + (hidden > 0 ? 1 : 0) > rows {
      let candidates = blocks.indices.filter { blocks[$0].keep < .max && !blocks[$0].lines.isEmpty }
      guard
        let index = candidates.min(by: { a, b in
          blocks[a].keep != blocks[b].keep ? blocks[a].keep < blocks[b].keep : a > b
        }),
        let line = blocks[index].lines.popLast()
      else { break }
      used -= rowsOf(line, blocks[index])
      hidden += 1
    }
    var lines: [String] = []
    for block in blocks {
      for line in block.lines {
        lines +=
          block.clipped
          ? [TerminalText.clipped(line, columns: columns)]
          : TerminalText.wrapped(line, columns: columns)
      }
      if block.marksCut, hidden > 0 { lines.append("  … \(hidden) more: /status") }
    }
    return lines
  }
}
