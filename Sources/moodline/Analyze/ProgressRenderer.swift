import Foundation
import MoodlineCore
import Synchronization

/// Renders a batch's progress on standard error: on a terminal, one line per running input (a progress bar with
/// rate and time left) kept below the messages; plain lines otherwise (logs, CI); nothing but errors with --quiet.
/// In a batch of several inputs each line names its place in it ("[input 2 of 3]").
///
/// Called from several queues; its state lives in a `Mutex`.
final class ProgressRenderer: AnalysisReporter, Sendable {
    private struct State {
        var progress: [String: InputProgress] = [:]
        /// The inputs running, in the order they started: the terminal's lines, top to bottom.
        var running: [String] = []
        /// Each input's place in the batch (from 1), by output name, and the batch's size.
        var places: [String: Int] = [:]
        var total = 0
        var lastDraw = Date.distantPast
        /// Lines of progress now on the terminal, just above the cursor.
        var drawnLines = 0
    }

    private let state = Mutex(State())
    private let quiet: Bool
    private let isTerminal: Bool
    /// The terminal's width: longer lines are cut, since a wrapped line would throw off the redraw.
    private let columns: Int
    private let now: @Sendable () -> Date
    private let write: @Sendable (String) -> Void

    convenience init(quiet: Bool) {
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        self.init(
            quiet: quiet, isTerminal: isatty(STDERR_FILENO) == 1, columns: columns, now: { Date() },
            write: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// A renderer writing to `write`; tests give their own clock and terminal.
    init(
        quiet: Bool, isTerminal: Bool, columns: Int, now: @escaping @Sendable () -> Date,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.quiet = quiet
        self.isTerminal = isTerminal
        self.columns = max(columns, 20)
        self.now = now
        self.write = write
    }

    func batchPlanned(_ inputs: [PlannedInput]) {
        state.withLock { s in
            s.total = inputs.count
            for (index, input) in inputs.enumerated() { s.places[input.outputName] = index + 1 }
        }
    }

    func inputStarted(_ input: PlannedInput, expectedFrames: Int?, alreadyDone: Int) {
        state.withLock { s in
            s.progress[input.outputName] = InputProgress(
                expected: expectedFrames, done: alreadyDone, started: now(), resumedFrom: alreadyDone)
            s.running.append(input.outputName)
            if !quiet && alreadyDone > 0 {
                say(
                    &s, input,
                    "\(input.path): resuming after \(alreadyDone) of \(expectedFrames ?? alreadyDone) photos done by an earlier run"
                )
            } else if !quiet && !isTerminal {
                say(
                    &s, input,
                    "\(input.path): started" + (expectedFrames.map { ", about \($0) frames to analyse" } ?? ""))
            } else {
                redraw(&s)
            }
        }
    }

    func framesCompleted(_ input: PlannedInput, done: Int) {
        state.withLock { s in
            s.progress[input.outputName, default: InputProgress(started: now())].done = done
            guard !quiet, let progress = s.progress[input.outputName] else { return }
            if isTerminal {
                // Redraw at most ten times a second, whichever input moved.
                guard now().timeIntervalSince(s.lastDraw) > 0.1 else { return }
                redraw(&s)
            } else if let expected = progress.expected, expected > 0 {
                let percent = min(100, Int(Double(done) / Double(expected) * 100)) / 10 * 10
                if percent > progress.lastPlainPercent && percent < 100 {
                    s.progress[input.outputName]?.lastPlainPercent = percent
                    say(
                        &s, input,
                        "\(input.path): \(percent)% (\(done)/\(expected) frames, \(progress.rate(now: now())))")
                }
            } else if done % 100 == 0 {
                // No known total (a stream): frames so far, the rate and the time elapsed.
                say(
                    &s, input,
                    "\(input.path): \(done) frames, \(progress.rate(now: now())), "
                        + "\(InputProgress.clock(now().timeIntervalSince(progress.started))) elapsed")
            }
        }
    }

    func problem(_ input: PlannedInput, _ problem: InputProblem) {
        state.withLock { s in
            // The problem names a photo by its place in its set: the counter says which input it belongs to.
            say(&s, input, "\(problem.code.isWarning ? "warning" : "error"): \(problem)", always: true)
        }
    }

    func inputFinished(_ input: PlannedInput, outcome: InputOutcome) {
        state.withLock { s in
            let progress = s.progress.removeValue(forKey: input.outputName)
            s.running.removeAll { $0 == input.outputName }
            guard !quiet || (outcome.status != .ok && !outcome.skippedAsUnchanged) else { return redraw(&s) }
            if outcome.skippedAsUnchanged {
                say(
                    &s, input,
                    "\(input.path): skipped, unchanged since its last run (\(outcome.status.rawValue)) -> \(outcome.outputFolder)",
                    always: true)
                return
            }
            let frames = progress.map { " \($0.done) frames, \($0.rate(now: now()))" } ?? ""
            let note =
                outcome.status != .stopped
                ? ""
                : input.traits.isLive
                    ? " (outputs complete up to the stop)"
                    : input.traits.isTimed
                        ? " (not finished; a rerun redoes it)" : " (checkpoint kept; a rerun resumes it)"
            var lines = ["\(input.path): \(outcome.status.rawValue),\(frames) -> \(outcome.outputFolder)\(note)"]
            if outcome.status != .failed && outcome.status != .stopped {
                lines.append("  " + Self.findings(input, outcome))
            }
            say(&s, input, lines, always: true)
        }
    }

    /// What an input's analysis found, in one line: faces and tracks, the main subject's (or longest track's)
    /// leading emotion and its share of the time, or a warning when no face was found.
    static func findings(_ input: PlannedInput, _ outcome: InputOutcome) -> String {
        let what = input.traits.isTimed ? "\(outcome.framesSampled) sampled frames" : "\(outcome.filesRead) photo(s)"
        guard outcome.faces > 0 else { return "warning: no face found in \(what)" }
        var line = "\(outcome.faces) face(s)"
        if input.traits.isTimed {
            line += " in \(outcome.tracks) track(s)"
            if outcome.persons > 0 { line += " of \(outcome.persons) person(s)" }
        } else if outcome.persons > 0 {
            line += " of \(outcome.persons) person(s)"
        }
        if !outcome.tracksLeftOut.isEmpty {
            line += " (and \(outcome.tracksLeftOut.count) left out: every reading uncertain)"
        }
        if let reading = outcome.subjectReading {
            let share = outcome.subjectShare.map { ", \(Int(($0 * 100).rounded()))% of the video" } ?? ""
            let who =
                outcome.subject.map { "main subject (person \($0)\(share))" } ?? "person on screen longest\(share)"
            line += "; \(who): \(reading.emotion.rawValue) \(Int((reading.share * 100).rounded()))% of the time"
        }
        return line
    }

    /// The closing lines: where the results are, and what failed or did not finish.
    func summarise(_ outcome: BatchOutcome) {
        state.withLock { s in
            clearBlock(&s)
            for problem in outcome.problems { emit("error: \(problem.path): \(problem.reason)") }
            let results = outcome.results.map(\.outcome)
            let failed = results.filter { $0.status == .failed || $0.status == .partial }.count + outcome.problems.count
            let skipped = results.filter(\.skippedAsUnchanged).count
            // A live input stopped has its outputs complete up to the stop: only files are left unfinished.
            let unfinished = zip(outcome.results, results).filter { $1.status == .stopped && !$0.input.traits.isLive }
                .map { $0.0.input.path }
            if let signal = outcome.stoppedBy {
                let finished = results.count - unfinished.count
                let by = signal == SIGTERM ? "SIGTERM" : "SIGINT"
                if unfinished.isEmpty {
                    emit("stopped by \(by): \(finished) of \(results.count) input(s) written out")
                } else {
                    emit(
                        "stopped by \(by): \(finished) of \(results.count) input(s) finished; rerun the same command to finish the rest"
                    )
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

    /// `[input 2 of 3] ` in a batch of several inputs, else nothing.
    private func counter(_ s: State, _ name: String?) -> String {
        guard s.total > 1, let name, let place = s.places[name] else { return "" }
        return "[input \(place) of \(s.total)] "
    }

    /// Prints message lines (the input's place in front of the first), above the progress lines on a terminal.
    /// `always`: also with --quiet (errors, and what was not ok).
    private func say(_ s: inout State, _ input: PlannedInput?, _ lines: [String], always: Bool = false) {
        guard !quiet || always else { return }
        clearBlock(&s)
        for (index, line) in lines.enumerated() { emit((index == 0 ? counter(s, input?.outputName) : "") + line) }
        redraw(&s)
    }

    private func say(_ s: inout State, _ input: PlannedInput?, _ line: String, always: Bool = false) {
        say(&s, input, [line], always: always)
    }

    /// Draws one line per running input, in place of the lines drawn before.
    private func redraw(_ s: inout State) {
        guard isTerminal && !quiet else { return }
        let time = now()
        let lines = s.running.compactMap { name -> String? in
            guard let progress = s.progress[name] else { return nil }
            return String(
                TerminalText.escaped(counter(s, name) + progress.barLine(name: name, now: time)).prefix(columns - 1))
        }
        guard !lines.isEmpty || s.drawnLines > 0 else { return }
        write(Self.erase(s.drawnLines) + lines.map { $0 + "\n" }.joined())
        s.drawnLines = lines.count
        s.lastDraw = time
    }

    /// Takes the progress lines off the terminal, leaving the cursor where the first was.
    private func clearBlock(_ s: inout State) {
        guard isTerminal && !quiet && s.drawnLines > 0 else { return }
        write(Self.erase(s.drawnLines))
        s.drawnLines = 0
    }

    /// Up `lines` lines and clear from there to the end of the screen.
    private static func erase(_ lines: Int) -> String {
        lines == 0 ? "\r\u{1B}[K" : "\r\u{1B}[\(lines)A\u{1B}[J"
    }

    /// Writes a line, with any control character in it (from a file name or an FFmpeg message) made visible
    /// rather than sent to the terminal.
    private func emit(_ line: String) {
        write(TerminalText.escaped(line) + "\n")
    }
}
