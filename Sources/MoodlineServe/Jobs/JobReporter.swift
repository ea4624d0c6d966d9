import MoodlineCore
import Synchronization

/// Turns the batch runner's progress calls into the job's state, which the progress stream sends to the page.
final class JobReporter: AnalysisReporter {
    private let job: AnalysisJob
    /// Per input (by output name): frames done and expected, summed into the job's totals.
    private let counts = Mutex<[String: (done: Int, expected: Int?)]>([:])

    init(job: AnalysisJob) {
        self.job = job
    }

    func inputStarted(_ input: PlannedInput, expectedFrames: Int?, alreadyDone: Int) {
        record(input, done: alreadyDone, expected: expectedFrames)
    }

    func framesCompleted(_ input: PlannedInput, done: Int) {
        let expected = counts.withLock { $0[input.outputName]?.expected }
        record(input, done: done, expected: expected)
    }

    func problem(_ input: PlannedInput, _ problem: InputProblem) {
        let text = job.shown(problem, of: input)
        job.update { state in
            // Bounded: a badly damaged file may report a problem on every frame.
            if state.problems.count < 100 { state.problems.append(text) }
        }
    }

    func inputFinished(_ input: PlannedInput, outcome: InputOutcome) {}

    private func record(_ input: PlannedInput, done: Int, expected: Int?) {
        let totals = counts.withLock { counts -> (Int, Int?) in
            counts[input.outputName] = (done, expected)
            let values = Array(counts.values)
            let sum = values.reduce(0) { $0 + $1.done }
            let expectedSum =
                values.contains { $0.expected == nil } ? nil : values.reduce(0) { $0 + ($1.expected ?? 0) }
            return (sum, expectedSum)
        }
        job.update { state in
            state.framesDone = totals.0
            state.framesExpected = totals.1
            state.current = job.shownName(of: input.path)
        }
    }
}
