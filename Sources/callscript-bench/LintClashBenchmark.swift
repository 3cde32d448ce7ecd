import CallScript
import Foundation

/// Lint of one question with many options on the same key, every option after the first a
/// CS117 clash: the time per option must stay flat as the count grows tenfold (issue 13
/// measured 19.6 s at 100,000 options when finding a repeated option id scanned the list).
func lintClashBenchmark(quick: Bool) {
  var perOption: [Double] = []
  for count in quick ? [2_000, 20_000] : [10_000, 100_000] {
    let clashing = Data(SyntheticProtocol.clashingKeys(options: count).utf8)
    var findings = 0
    let samples = (0..<(quick ? 1 : 3)).map { _ in
      measure {
        findings = ProtocolCompiler.compile(data: clashing, file: "clashing.yaml").diagnostics.count
      }
    }
    report("lint \(count) options on one key (\(findings) findings)", samples)
    perOption.append(percentile(samples, 0.5) / Double(count))
  }
  let growth = perOption[1] / perOption[0]
  print(
    "  time per option at 10x the options: \(String(format: "%.2f", growth))x"
      + (growth < 2 ? "  [ok: linear]" : "  [OVER: grows with the count]"))
}
