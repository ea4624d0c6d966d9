import Foundation
import MoodlineCore

/// Renders a batch's progress on standard error: a progress bar with rate and time left on a terminal, plain
/// lines otherwise (logs, CI), nothing but errors with --quiet.
///
/// `@unchecked Sendable`: called from several queues; all state is guarded by `lock`.
final class ProgressRenderer: AnalysisReporter, @unchecked Sendable {
    private struct Progress {
        var expected: Int?
        var done = 0
        var started = Date()
        var lastPlainPercent = -1
    }

    private let lock = NSLock()
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var progress: [String: Progress] = [:]
    private var lastDraw = Date.distantPast

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func inputStarted(_ input: PlannedInput, expectedFrames: Int?) {
        locked {
            progress[input.outputName] = Progress(expected: expectedFrames)
            if !quiet && !isTerminal {
                emit("\(input.path): started" + (expectedFrames.map { ", about \($0) frames to analyse" } ?? ""))
            }
        }
    }

    func framesCompleted(_ input: PlannedInput, done: Int) {
        locked {
            progress[input.outputName, default: Progress()].done = done
            guard !quiet, let state = progress[input.outputName] else { return }
            if isTerminal {
                // Redraw at most ten times a second.
                guard Date().timeIntervalSince(lastDraw) > 0.1 else { return }
                lastDraw = Date()
                draw(input.outputName, state)
            } else if let expected = state.expected, expected > 0 {
                let percent = min(100, done * 100 / expected) / 10 * 10
                if percent > state.lastPlainPercent && percent < 100 {
                    progress[input.outputName]?.lastPlainPercent = percent
                    emit("\(input.path): \(percent)% (\(done)/\(expected) frames, \(rate(state)))")
                }
            }
        }
    }

    func problem(_ input: PlannedInput, _ problem: InputProblem) {
        locked {
            clearLine()
            emit("error: \(problem.file)" + (problem.frame.map { " (frame \($0))" } ?? "") + ": \(problem.message)")
        }
    }

    func inputFinished(_ input: PlannedInput, status: InputStatus, outputFolder: String) {
        locked {
            let state = progress.removeValue(forKey: input.outputName)
            guard !quiet || status != .ok else { return }
            clearLine()
            let frames = state.map { " \($0.done) frames, \(rate($0))" } ?? ""
            emit("\(input.path): \(status.rawValue),\(frames) -> \(outputFolder)")
        }
    }

    /// The closing lines: where the results are, and what failed.
    func summarise(_ outcome: BatchOutcome) {
        locked {
            for missing in outcome.missing { emit("error: \(missing.path): \(missing.reason)") }
            let failed = outcome.results.filter { $0.outcome.status != .ok }.count + outcome.missing.count
            guard !quiet || failed > 0 else { return }
            emit("\(outcome.results.count) input(s) analysed, \(failed) with errors; see each folder's run.json")
        }
    }

    private func draw(_ name: String, _ state: Progress) {
        let width = 30
        var line = "\(name) "
        if let expected = state.expected, expected > 0 {
            let fraction = min(1, Double(state.done) / Double(expected))
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "]"
            line += " \(state.done)/\(expected)  \(rate(state))"
            let elapsed = Date().timeIntervalSince(state.started)
            if state.done > 0 {
                let left = elapsed / Double(state.done) * Double(max(expected - state.done, 0))
                line += "  \(Self.clock(left)) left"
            }
        } else {
            line += "\(state.done) frames  \(rate(state))"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    private func rate(_ state: Progress) -> String {
        let elapsed = max(Date().timeIntervalSince(state.started), 1e-6)
        return String(format: "%.1f frames/s", Double(state.done) / elapsed)
    }

    private static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func clearLine() {
        if isTerminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func emit(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private func locked(_ body: () -> Void) {
        lock.lock()
        body()
        lock.unlock()
    }
}
