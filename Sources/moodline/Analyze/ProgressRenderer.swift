import Foundation
import MoodlineCore
import Synchronization

/// Renders a batch's progress on standard error: a progress bar with rate and time left on a terminal, plain
/// lines otherwise (logs, CI), nothing but errors with --quiet.
///
/// Called from several queues; its state lives in a `Mutex`.
final class ProgressRenderer: AnalysisReporter, Sendable {
    private struct Progress {
        var expected: Int?
        var done = 0
        var started = Date()
        var lastPlainPercent = -1
        var resumedFrom = 0
    }

    private struct State {
        var progress: [String: Progress] = [:]
        var lastDraw = Date.distantPast
    }

    private let state = Mutex(State())
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func inputStarted(_ input: PlannedInput, expectedFrames: Int?, alreadyDone: Int) {
        state.withLock { s in
            s.progress[input.outputName] = Progress(expected: expectedFrames, done: alreadyDone, resumedFrom: alreadyDone)
            if !quiet && alreadyDone > 0 {
                clearLine()
                emit("\(input.path): resuming after \(alreadyDone) of \(expectedFrames ?? alreadyDone) photos done by an earlier run")
            } else if !quiet && !isTerminal {
                emit("\(input.path): started" + (expectedFrames.map { ", about \($0) frames to analyse" } ?? ""))
            }
        }
    }

    func framesCompleted(_ input: PlannedInput, done: Int) {
        state.withLock { s in
            s.progress[input.outputName, default: Progress()].done = done
            guard !quiet, let state = s.progress[input.outputName] else { return }
            if isTerminal {
                // Redraw at most ten times a second.
                guard Date().timeIntervalSince(s.lastDraw) > 0.1 else { return }
                s.lastDraw = Date()
                draw(input.outputName, state)
            } else if let expected = state.expected, expected > 0 {
                let percent = min(100, Int(Double(done) / Double(expected) * 100)) / 10 * 10
                if percent > state.lastPlainPercent && percent < 100 {
                    s.progress[input.outputName]?.lastPlainPercent = percent
                    emit("\(input.path): \(percent)% (\(done)/\(expected) frames, \(rate(state)))")
                }
            } else if done % 100 == 0 {
                // No known total (a stream): frames so far, the rate and the time elapsed.
                emit("\(input.path): \(done) frames, \(rate(state)), \(Self.clock(Date().timeIntervalSince(state.started))) elapsed")
            }
        }
    }

    func problem(_ input: PlannedInput, _ problem: InputProblem) {
        state.withLock { s in
            clearLine()
            emit("error: \(problem)")
        }
    }

    func inputFinished(_ input: PlannedInput, outcome: InputOutcome) {
        state.withLock { s in
            let state = s.progress.removeValue(forKey: input.outputName)
            guard !quiet || (outcome.status != .ok && !outcome.skippedAsUnchanged) else { return }
            clearLine()
            if outcome.skippedAsUnchanged {
                emit("\(input.path): skipped, unchanged since its last run (\(outcome.status.rawValue)) -> \(outcome.outputFolder)")
                return
            }
            let frames = state.map { " \($0.done) frames, \(rate($0))" } ?? ""
            let note = outcome.status != .stopped ? ""
                : input.traits.isLive ? " (outputs complete up to the stop)"
                : input.traits.isTimed ? " (not finished; a rerun redoes it)" : " (checkpoint kept; a rerun resumes it)"
            emit("\(input.path): \(outcome.status.rawValue),\(frames) -> \(outcome.outputFolder)\(note)")
            guard outcome.status != .failed && outcome.status != .stopped else { return }
            emit("  " + Self.findings(input, outcome))
        }
    }

    /// What an input's analysis found, in one line: faces and tracks, the main subject's (or longest track's)
    /// leading emotion and its share of the time, or a warning when no face was found.
    static func findings(_ input: PlannedInput, _ outcome: InputOutcome) -> String {
        let what = input.traits.isTimed ? "\(outcome.framesSampled) sampled frames" : "\(outcome.filesRead) photo(s)"
        guard outcome.faces > 0 else { return "warning: no face found in \(what)" }
        var line = "\(outcome.faces) face(s)"
        if input.traits.isTimed { line += " in \(outcome.tracks) track(s)" }
        if !outcome.tracksLeftOut.isEmpty { line += " (and \(outcome.tracksLeftOut.count) left out: every reading uncertain)" }
        if let reading = outcome.subjectReading {
            let who = outcome.subject.map { "main subject (track \($0))" } ?? "longest track"
            line += "; \(who): \(reading.emotion.rawValue) \(Int((reading.share * 100).rounded()))% of the time"
        }
        return line
    }

    /// The closing lines: where the results are, and what failed or did not finish.
    func summarise(_ outcome: BatchOutcome) {
        state.withLock { s in
            for problem in outcome.problems { emit("error: \(problem.path): \(problem.reason)") }
            let results = outcome.results.map(\.outcome)
            let failed = results.filter { $0.status == .failed || $0.status == .partial }.count + outcome.problems.count
            let skipped = results.filter(\.skippedAsUnchanged).count
            // A live input stopped has its outputs complete up to the stop: only files are left unfinished.
            let unfinished = zip(outcome.results, results).filter { $1.status == .stopped && !$0.input.traits.isLive }.map { $0.0.input.path }
            if let signal = outcome.stoppedBy {
                let finished = results.count - unfinished.count
                let by = signal == SIGTERM ? "SIGTERM" : "SIGINT"
                if unfinished.isEmpty {
                    emit("stopped by \(by): \(finished) of \(results.count) input(s) written out")
                } else {
                    emit("stopped by \(by): \(finished) of \(results.count) input(s) finished; rerun the same command to finish the rest")
                }
                for path in unfinished { emit("  not finished: \(path)") }
                return
            }
            if outcome.results.isEmpty && outcome.problems.isEmpty {
                emit("warning: no video or photo found in the inputs given")
            }
            for input in outcome.inputsWithoutFaces where quiet { emit("warning: \(input.path): no face found") }
            if let problem = outcome.indexProblem { emit("error: index.html: \(problem)") }
            guard !quiet || failed > 0 else { return }
            var line = "\(results.count) input(s), \(failed) with errors"
            if skipped > 0 { line += ", \(skipped) skipped as unchanged (--overwrite redoes them)" }
            emit(line + (failed > 0 ? "; the errors are listed above and in each folder's run.json" : ""))
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
            if state.done > state.resumedFrom {
                let left = elapsed / Double(state.done - state.resumedFrom) * Double(max(expected - state.done, 0))
                line += "  \(Self.clock(left)) left"
            }
        } else {
            line += "\(state.done) frames  \(rate(state))  \(Self.clock(Date().timeIntervalSince(state.started))) elapsed"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + TerminalText.escaped(line)).utf8))
    }

    private func rate(_ state: Progress) -> String {
        let elapsed = max(Date().timeIntervalSince(state.started), 1e-6)
        return String(format: "%.1f frames/s", Double(state.done - state.resumedFrom) / elapsed)
    }

    private static func clock(_ seconds: Double) -> String {
        guard seconds < 360_000 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func clearLine() {
        if isTerminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Writes a line, with any control character in it (from a file name or an FFmpeg message) made visible
    /// rather than sent to the terminal.
    private func emit(_ line: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(line) + "\n").utf8))
    }
}
