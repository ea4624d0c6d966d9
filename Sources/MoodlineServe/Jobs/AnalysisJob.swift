import Foundation
import MoodlineCore
import Synchronization

/// One analysis asked for through the web app: its files, its folder, and where it stands.
///
/// Every change of its state is published as an event to whoever watches it (`updates()`), so that progress
/// streams wait for changes rather than look for them.
final class AnalysisJob: Sendable {
    /// Random, so one job's address cannot be guessed from another's.
    let id: String
    /// `WORK/jobs/ID`: everything of this job, and nothing else, is under it.
    let folder: String
    /// What the batch runner is given, as the upload receiver stored it (or the allowed server-side path).
    let inputs: [JobInput]
    /// For a server-side path: the allowed folder, which every file the job reaches must resolve inside.
    let confinement: String?
    /// For an upload: the folder its files were stored in (absolute), so that its photos are one set there.
    let uploads: String?
    /// The analysis options the upload asked for (nil: the server's own pipelines as they are).
    let options: UploadOptions?
    /// Set to stop the job early (when the server shuts down).
    let stop = StopRequest()
    private let watched: Mutex<Watched>
    /// The result files offered for download, listed once when the job ends.
    private let offered = Mutex<Set<String>>([])

    /// The state and those waiting for its changes, under one lock: a watcher that starts sees every later change.
    private struct Watched {
        var state: JobState
        var watchers: [AsyncStream<JobState>.Continuation] = []
    }

    init(
        id: String, folder: String, inputs: [JobInput], confinement: String? = nil, uploads: String? = nil,
        options: UploadOptions? = nil
    ) {
        self.id = id
        self.options = options
        self.folder = folder
        self.inputs = inputs
        self.confinement = confinement
        self.uploads = uploads
        var state = JobState(id: id, files: inputs.map(\.name))
        // With milliseconds, so jobs sent within one second still list in the order they came.
        let clock = ISO8601DateFormatter()
        clock.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        state.submitted = clock.string(from: Date())
        watched = Mutex(Watched(state: state))
    }

    /// A finished job of an earlier run of the server, as `save()` left it in `folder` (nil when it left none, or
    /// it cannot be read): its page, state and files are offered again.
    static func restored(id: String, folder: String) -> AnalysisJob? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + savedName),
            let saved = try? JSONDecoder().decode(Saved.self, from: data), saved.state.id == id,
            saved.state.isFinished
        else { return nil }
        // Read as untrusted: the pages link only into the job's own files, and only files now in its results folder
        // are offered (a name with `..` or a link out is never among them).
        let own = "/jobs/\(id)/files/"
        guard
            saved.state.inputs.allSatisfy({ input in
                input.files.allSatisfy { $0.hasPrefix(own) } && (input.report.map { $0.hasPrefix(own) } ?? true)
            })
        else { return nil }
        let job = AnalysisJob(id: id, folder: folder, inputs: [])
        job.watched.withLock { $0.state = saved.state }
        job.offer(Array(Set(saved.offered).intersection(OutputFiles.list(in: job.resultsFolder))))
        return job
    }

    /// What `job.json` keeps of a finished job.
    private struct Saved: Codable {
        let state: JobState
        let offered: [String]
    }

    /// The file in the job's folder that keeps it across restarts of the server.
    static let savedName = "job.json"

    /// Keeps the finished job's state and offered files in its folder, so its page survives a restart of the server.
    private func save(_ state: JobState) {
        let saved = Saved(state: state, offered: offered.withLock { $0.sorted() })
        let path = folder + "/" + Self.savedName
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: Data(JSONReply.encode(saved))),
            rename(partial, path) == 0
        else {
            unlink(partial)
            return
        }
    }

    /// `WORK/jobs/ID/results`: the batch's output folder.
    var resultsFolder: String { folder + "/results" }

    /// A copy of the job's state, for status replies.
    var snapshot: JobState { watched.withLock { $0.state } }

    /// The job's state now, then after each change, ending with the finished state. Only the newest state is kept
    /// for a slow reader: a progress page needs where the job is, not every step on the way.
    func updates() -> AsyncStream<JobState> {
        let (stream, continuation) = AsyncStream.makeStream(of: JobState.self, bufferingPolicy: .bufferingNewest(1))
        watched.withLock { watched in
            continuation.yield(watched.state)
            if watched.state.isFinished {
                continuation.finish()
            } else {
                watched.watchers.append(continuation)
            }
        }
        return stream
    }

    /// Offers these result files (paths inside `resultsFolder`) for download; call before the job is finished.
    func offer(_ files: [String]) {
        offered.withLock { $0 = Set(files) }
    }

    /// Whether `file` is one of the listed results; a request for anything else is not found.
    func offers(_ file: String) -> Bool {
        offered.withLock { $0.contains(file) }
    }

    /// Changes the state and sends the new state to every watcher; a finished state ends their streams, and is
    /// saved in the job's folder first (with the files offered, which must be set before), so whoever learns the job
    /// has finished finds it saved.
    func update(_ change: (inout JobState) -> Void) {
        watched.withLock { watched in
            change(&watched.state)
            watched.state.version += 1
            let state = watched.state
            if state.isFinished { save(state) }
            // Yielding under the lock keeps every watcher's order the same as the changes'; a watcher whose reader
            // has gone is dropped here (no termination handler, which would need this lock).
            watched.watchers.removeAll { continuation in
                if case .terminated = continuation.yield(state) { return true }
                return false
            }
            if state.isFinished {
                for continuation in watched.watchers { continuation.finish() }
                watched.watchers = []
            }
        }
    }

    /// A problem as the user knows its file: by the name it was uploaded under, not the name it was stored as.
    /// A photo's problem names its file relative to the set's folder.
    func shown(_ problem: InputProblem, of input: PlannedInput) -> String {
        var path = problem.file
        if !path.hasPrefix("/"), let root = input.source.fileList?.root ?? uploads { path = root + "/" + path }
        return InputProblem.describe(file: shownName(of: path), frame: problem.frame, message: problem.message)
    }

    /// The name the user knows a path of this job by: an input's own name, a path inside an input folder relative
    /// to it, the photos of an upload as a set, or else the last component.
    func shownName(of path: String) -> String {
        let standard = PlannedInput.absolutePath(path)
        if let uploads, standard == uploads {
            return UploadPlan.setName(photos: inputs.filter { MediaKind(fileName: $0.path) == .photo }.count)
        }
        for input in inputs {
            let root = PlannedInput.absolutePath(input.path)
            if standard == root { return input.name }
            if standard.hasPrefix(root + "/") { return String(standard.dropFirst(root.count + 1)) }
        }
        return (path as NSString).lastPathComponent
    }
}
