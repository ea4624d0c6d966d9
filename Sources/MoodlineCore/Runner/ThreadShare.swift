import Foundation

/// How much of the machine one input may use when several run at once.
///
/// Each input has a decoder (FFmpeg's frame threads) and `width` analysis workers. Alone, it gets one decoder
/// thread per core and the pipeline's width. (FFmpeg's own choice, one more thread than cores, decoded no faster
/// here and held more frames: 10 MB more at 1080p.) With `--jobs N`, the cores are shared out: each input gets
/// `cores / N` decoder threads and at most that many workers, so N inputs never run more busy threads than
/// cores and more jobs are not slower than one (they were: 4 jobs of 3 decoder threads and 2 workers each on 2
/// cores thrashed caches and memory).
struct ThreadShare: Equatable {
    /// Decoder threads.
    let decoderThreads: Int
    /// The most analysis workers; nil keeps the pipeline's width.
    let maximumWidth: Int?

    /// One input alone on the machine.
    static let whole = of(parallelInputs: 1)

    /// The share of each of `parallelInputs` inputs on a machine of `cores` cores.
    static func of(parallelInputs: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> ThreadShare {
        guard parallelInputs > 1 else { return ThreadShare(decoderThreads: max(1, cores), maximumWidth: nil) }
        let share = max(1, cores / parallelInputs)
        return ThreadShare(decoderThreads: share, maximumWidth: share)
    }

    /// The analysis width to run with, given the pipeline's.
    func analysisWidth(_ pipelineWidth: Int) -> Int {
        maximumWidth.map { min($0, pipelineWidth) } ?? pipelineWidth
    }
}
