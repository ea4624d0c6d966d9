import MoodlineCore

/// Where a job stands, as the status endpoint and the progress stream report it.
struct JobState: Sendable, Codable, Equatable {
    /// A job's stage: the one place its status is spelled (the JSON carries the raw value).
    enum Status: String, Sendable, Codable {
        case queued, running, done, failed, stopped

        /// Done, failed or stopped: nothing about the job changes any more.
        var isFinal: Bool { self == .done || self == .failed || self == .stopped }
    }

    /// One input of the job: the name the user knows it by, its folder of results and how it ended.
    struct InputResult: Sendable, Codable, Equatable {
        /// The uploaded file's original name (or the path asked for, relative to it), never a server path.
        let name: String
        /// The input's folder inside the job's results.
        let folder: String
        let status: InputStatus
        let faces: Int
        let tracks: Int
        /// The report's address, when the input has one.
        let report: String?
        /// Each output file's address, by its path inside the job's results.
        let files: [String]
        let problems: [String]
    }

    let id: String
    let files: [String]
    /// When the job was received (ISO 8601, UTC), for the job list.
    var submitted = ""
    var status = Status.queued
    /// Sampled frames analysed so far, over every input.
    var framesDone = 0
    /// Sampled frames expected, over the inputs started so far (unknown for a live input).
    var framesExpected: Int?
    /// The input being analysed.
    var current: String?
    var inputs: [InputResult] = []
    /// Problems reported while running (a frame or file that could not be read); the job goes on.
    var problems: [String] = []
    /// Why the whole job failed, when it did.
    var error: String?
    var version = 0

    var isFinished: Bool { status.isFinal }
}

/// `/api/jobs`: every job the server knows, newest first.
struct JobList: Encodable {
    let jobs: [JobState]
}
