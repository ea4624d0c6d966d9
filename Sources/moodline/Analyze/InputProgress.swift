import Foundation

/// One running input's progress, and how it reads on a line: a bar with rate and time left on a terminal, a
/// percentage in plain lines.
struct InputProgress {
    /// Frames the input should sample, when known.
    var expected: Int?
    var done = 0
    var started: Date
    /// The last tenth reported in plain lines (-1: none yet).
    var lastPlainPercent = -1
    /// Frames an earlier run had finished (a resumed photo set): not counted in the rate.
    var resumedFrom = 0

    /// The terminal line: `NAME [####      ] 12/40  3.2 frames/s  0:09 left`.
    func barLine(name: String, now: Date) -> String {
        let width = 30
        var line = "\(name) "
        if let expected, expected > 0 {
            let fraction = min(1, Double(done) / Double(expected))
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "]"
            line += " \(done)/\(expected)  \(rate(now: now))"
            if done > resumedFrom {
                let left = now.timeIntervalSince(started) / Double(done - resumedFrom) * Double(max(expected - done, 0))
                line += "  \(Self.clock(left)) left"
            }
        } else {
            line += "\(done) frames  \(rate(now: now))  \(Self.clock(now.timeIntervalSince(started))) elapsed"
        }
        return line
    }

    /// Frames analysed per second since the input started (this run's only).
    func rate(now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(started), 1e-6)
        return String(format: "%.1f frames/s", Double(done - resumedFrom) / elapsed)
    }

    /// `m:ss` or `h:mm:ss`; `--:--` past 100 hours.
    static func clock(_ seconds: Double) -> String {
        guard seconds < 360_000 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
