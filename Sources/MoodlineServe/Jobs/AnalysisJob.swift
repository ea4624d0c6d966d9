import Foundation
import MoodlineCore
import Synchronization

/// One analysis asked for through the web app: its files, its folder, and where it stands.
final class AnalysisJob: Sendable {
    /// Random, so one job's address cannot be guessed from another's.
    let id: String
    /// `WORK/jobs/ID`: everything of this job, and nothing else, is under it.
    let folder: String
    /// What the batch runner is given: the uploads folder, or the allowed server-side path.
    let inputPath: String
    /// The files as the user named them, for display only (never used as paths).
    let uploads: [UploadedFile]
    /// For a server-side path: the allowed folder, which every file the job reaches must resolve inside.
    let confinement: String?
    /// Set to stop the job early (when the server shuts down).
    let stop = StopRequest()
    private let state: Mutex<JobState>
    /// The result files offered for download, listed once when the job ends.
    private let offered = Mutex<Set<String>>([])

    init(id: String, folder: String, inputPath: String, uploads: [UploadedFile], confinement: String? = nil) {
        self.id = id
        self.folder = folder
        self.inputPath = inputPath
        self.uploads = uploads
        self.confinement = confinement
        state = Mutex(JobState(id: id, files: uploads.map(\.originalName)))
    }

    /// `WORK/jobs/ID/results`: the batch's output folder.
    var resultsFolder: String { folder + "/results" }

    /// A copy of the job's state, for status replies and progress events.
    var snapshot: JobState { state.withLock { $0 } }

    /// Offers these result files (paths inside `resultsFolder`) for download; call before the job is finished.
    func offer(_ files: [String]) {
        offered.withLock { $0 = Set(files) }
    }

    /// Whether `file` is one of the listed results; a request for anything else is not found.
    func offers(_ file: String) -> Bool {
        offered.withLock { $0.contains(file) }
    }

    /// Changes the state; every change moves `version` on, which is what progress streams wait for.
    func update(_ change: (inout JobState) -> Void) {
        state.withLock {
            change(&$0)
            $0.version += 1
        }
    }
}

/// A file received with an upload.
struct UploadedFile: Sendable {
    /// The name the browser gave, shown back to the user; never part of a path.
    let originalName: String
    /// The generated name it is stored under, inside the job's uploads folder.
    let storedName: String
    let bytes: Int
}

/// Where a job stands, as the status endpoint and the progress stream report it.
struct JobState: Sendable, Codable, Equatable {
    enum Status: String, Sendable, Codable {
        case queued, running, done, failed, stopped
    }

    /// One input of the job: its folder of results and how it ended.
    struct InputResult: Sendable, Codable, Equatable {
        let name: String
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

    var isFinished: Bool { status == .done || status == .failed || status == .stopped }
}
