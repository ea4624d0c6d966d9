/// Where a batch's work stands, for a progress display. Library code never prints: the command-line tool
/// renders these. Calls come from several queues.
public protocol AnalysisReporter: Sendable {
    /// The batch's inputs are known, in the order they are numbered (before any starts; with `--jobs` several
    /// run at once).
    func batchPlanned(_ inputs: [PlannedInput])
    /// An input starts; `expectedFrames` is the number of frames it should sample, when known, and
    /// `alreadyDone` how many of them an earlier, interrupted run finished (a resumed photo set).
    func inputStarted(_ input: PlannedInput, expectedFrames: Int?, alreadyDone: Int)
    /// `done` sampled frames of the input have been analysed and written.
    func framesCompleted(_ input: PlannedInput, done: Int)
    /// A file or frame could not be read; the input goes on.
    func problem(_ input: PlannedInput, _ problem: InputProblem)
    /// An input has ended (or was skipped as unchanged since the last run); `outcome` says how.
    func inputFinished(_ input: PlannedInput, outcome: InputOutcome)
}

extension AnalysisReporter {
    /// Reporters that do not number the inputs need not implement it.
    public func batchPlanned(_ inputs: [PlannedInput]) {}
}

/// A reporter that reports nothing.
public struct SilentReporter: AnalysisReporter {
    public init() {}
    public func inputStarted(_ input: PlannedInput, expectedFrames: Int?, alreadyDone: Int) {}
    public func framesCompleted(_ input: PlannedInput, done: Int) {}
    public func problem(_ input: PlannedInput, _ problem: InputProblem) {}
    public func inputFinished(_ input: PlannedInput, outcome: InputOutcome) {}
}
