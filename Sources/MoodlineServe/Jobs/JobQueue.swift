import Foundation
import MoodlineCore
import Synchronization

/// Runs the web app's analyses through the same batch runner as the command line: at most `jobs` at once, at
/// most `queueLimit` waiting, and the oldest finished jobs deleted once more than `keptJobs` are kept.
final class JobQueue: Sendable {
    private let settings: ServeSettings
    private let models: ModelStore
    private let analyzers: PipelineAnalyzers
    /// The analysers of the other pipelines the upload page offers, made when a job first asks for one.
    private let otherAnalyzers = Mutex<[String: PipelineAnalyzers]>([:])
    private let state = Mutex(State())

    private struct State {
        var jobs: [String: AnalysisJob] = [:]
        var waiting: [AnalysisJob] = []
        var running = 0
        /// Places held by uploads whose bodies are flowing, so that more uploads than the queue can take are
        /// refused before they are stored. Headers alone hold none: a client that never sends a body holds nothing.
        var reserved = 0
        var finished: [String] = []
        /// Those waiting (`stopAll`) for the running jobs to end, by a number of their own.
        var drainWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0

        /// Hands over everyone waiting for the queue to drain, to be resumed outside the lock.
        mutating func takeDrainWaiters() -> [CheckedContinuation<Void, Never>] {
            defer { drainWaiters = [:] }
            return Array(drainWaiters.values)
        }
    }

    /// A place in the queue for one request: taken (`hold`) once its body flows, given back (`release`) when the
    /// request is refused, times out or disconnects, and used by `submit`. Safe to release more than once.
    final class Reservation: Sendable {
        private enum Stage { case pending, held, done }
        private let queue: JobQueue
        private let stage = Mutex(Stage.pending)

        fileprivate init(queue: JobQueue) {
            self.queue = queue
        }

        /// Takes the place; false when `jobs` run and `queueLimit` wait or are being received already.
        func hold() -> Bool {
            stage.withLock { stage in
                switch stage {
                case .held: return true
                case .done: return false
                case .pending:
                    guard queue.takePlace() else { return false }
                    stage = .held
                    return true
                }
            }
        }

        /// Gives the place back unused.
        func release() {
            if stage.withLock({ stage in
                defer { stage = .done }; return stage == .held
            }) {
                queue.givePlaceBack()
            }
        }

        /// Hands the held place to a job: true when there was one.
        fileprivate func use() -> Bool {
            stage.withLock { stage in
                defer { stage = .done }; return stage == .held
            }
        }
    }

    /// Jobs left in the work folder by earlier runs count as finished, oldest first: beyond `keptJobs` the oldest
    /// are deleted now, and the rest make way as new jobs finish, so the folder never grows without bound.
    init(settings: ServeSettings, models: ModelStore, analyzers: PipelineAnalyzers) {
        self.settings = settings
        self.models = models
        self.analyzers = analyzers
        var earlier = EarlierJobs.list(in: settings.workFolder + "/jobs")
        while earlier.count > settings.keptJobs {
            try? FileManager.default.removeItem(atPath: settings.workFolder + "/jobs/" + earlier.removeFirst())
        }
        // Their pages stay where they were bookmarked: each finished job's saved state is read back.
        let restored = earlier.compactMap { AnalysisJob.restored(id: $0, folder: settings.workFolder + "/jobs/" + $0) }
        state.withLock { state in
            state.finished = earlier
            for job in restored { state.jobs[job.id] = job }
        }
    }

    /// Every job the server knows, newest first: those of this run and the finished ones of earlier runs.
    var list: [JobState] {
        state.withLock { $0.jobs.values.map(\.snapshot) }.sorted { ($0.submitted, $0.id) > ($1.submitted, $1.id) }
    }

    /// A reservation not yet holding a place.
    func reservation() -> Reservation {
        Reservation(queue: self)
    }

    /// Whether one more job could be taken now (checked before a request's body is read, to refuse at once).
    var hasRoom: Bool {
        state.withLock { $0.running + $0.waiting.count + $0.reserved < settings.jobs + settings.queueLimit }
    }

    fileprivate func takePlace() -> Bool {
        state.withLock { state in
            guard state.running + state.waiting.count + state.reserved < settings.jobs + settings.queueLimit else {
                return false
            }
            state.reserved += 1
            return true
        }
    }

    fileprivate func givePlaceBack() {
        state.withLock { $0.reserved -= 1 }
    }

    /// Queues `job` in the place held for it (see `Reservation.hold`), starting it at once when a slot is free.
    func submit(_ job: AnalysisJob, in reservation: Reservation) {
        let held = reservation.use()
        let start = state.withLock { state -> Bool in
            if held { state.reserved -= 1 }
            state.jobs[job.id] = job
            if state.running < settings.jobs {
                state.running += 1
                return true
            }
            state.waiting.append(job)
            return false
        }
        if start { launch(job) }
    }

    /// The job with this ID, if it is still kept.
    func job(_ id: String) -> AnalysisJob? {
        state.withLock { $0.jobs[id] }
    }

    /// Jobs running and waiting, and uploads being received (holding places), for the status endpoint and the
    /// busy refusal, which must say the same.
    var load: (running: Int, waiting: Int, receiving: Int) {
        state.withLock { ($0.running, $0.waiting.count, $0.reserved) }
    }

    /// Asks every job to stop and waits up to `seconds` for the running ones to finish their outputs: woken by the
    /// last job's end, or by the deadline, whichever comes first.
    func stopAll(waitingUpTo seconds: Double) async {
        let jobs = state.withLock { state -> [AnalysisJob] in
            let waiting = state.waiting
            state.waiting = []
            for job in waiting { job.update { $0.status = .stopped } }
            return Array(state.jobs.values)
        }
        for job in jobs { job.stop.stop(signal: 15) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiter = state.withLock { state -> Int? in
                guard state.running > 0 else { return nil }
                state.nextWaiter += 1
                state.drainWaiters[state.nextWaiter] = continuation
                return state.nextWaiter
            }
            guard let waiter else { return continuation.resume() }
            // Whoever takes the continuation out of the state (this deadline or the last job) resumes it, once.
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                state.withLock { $0.drainWaiters.removeValue(forKey: waiter) }?.resume()
            }
        }
    }

    private func launch(_ job: AnalysisJob) {
        // The batch runner blocks for as long as the job runs: a thread of its own, off Swift's cooperative pool.
        DispatchQueue(label: "moodline.serve.job-\(job.id)").async { [self] in
            run(job)
            let next = state.withLock { state -> (job: AnalysisJob?, drained: [CheckedContinuation<Void, Never>]) in
                state.finished.append(job.id)
                while state.finished.count > settings.keptJobs {
                    let old = state.finished.removeFirst()
                    // A job of an earlier run has only its folder.
                    state.jobs.removeValue(forKey: old)
                    try? FileManager.default.removeItem(atPath: settings.workFolder + "/jobs/" + old)
                }
                if state.waiting.isEmpty {
                    state.running -= 1
                    return (nil, state.running == 0 ? state.takeDrainWaiters() : [])
                }
                return (state.waiting.removeFirst(), [])
            }
            for waiter in next.drained { waiter.resume() }
            if let job = next.job { launch(job) }
        }
    }

    /// The shared analysers for a job's video pipeline: the server's own, or those of another pipeline it offers
    /// (made once, then shared by every job that picks it).
    private func analyzers(for videoPipeline: PipelineDefinition) -> PipelineAnalyzers {
        if analyzers.video.definition.analysesAlike(videoPipeline) { return analyzers }
        return otherAnalyzers.withLock { others in
            if let known = others[videoPipeline.name], known.video.definition.analysesAlike(videoPipeline) {
                return known
            }
            // The photos' analyser stays the server's: one copy of its models whatever the jobs pick.
            let made = PipelineAnalyzers(
                video: SharedFrameAnalyzer(
                    definition: videoPipeline, models: models, embedsFaces: videoPipeline.groupsTrackPersons),
                photos: analyzers.photos)
            others[videoPipeline.name] = made
            return made
        }
    }

    private func run(_ job: AnalysisJob) {
        if job.stop.isStopped {
            job.update { $0.status = .stopped }
            return
        }
        job.update { $0.status = .running }
        JobLog.started(job)
        let started = ContinuousClock.now
        defer { JobLog.ended(job, seconds: (ContinuousClock.now - started).seconds) }
        let videoPipeline = job.options?.videoPipeline ?? settings.videoPipeline
        var batch = BatchAnalysis(
            videoPipeline: videoPipeline, photoPipeline: settings.photoPipeline, models: models,
            outputDirectory: job.resultsFolder, jobs: 1, stop: job.stop, analyzers: analyzers(for: videoPipeline))
        batch.confinement = job.confinement
        // Nobody reruns a server's job: a stop (the server shutting down) leaves what was done, in full.
        batch.finishesOutputsWhenStopped = true
        do {
            // An upload's files as stored (nothing in the uploads folder but what the receiver listed), or the
            // server-side path, walked inside the allowed folder.
            let reporter = JobReporter(job: job)
            let outcome =
                try job.uploads.map {
                    try batch.run(plan: UploadPlan.plan(job.inputs, uploads: $0), reporter: reporter)
                }
                ?? batch.run(paths: job.inputs.map(\.path), reporter: reporter)
            // Paths the walk would not take (links out of the allowed folder, broken links), named for the user.
            let skipped = outcome.problems.map { "\(job.shownName(of: $0.path)): \($0.reason)" }
            let results = JobResults(outcome, of: job)
            job.offer(results.files)
            job.update { state in
                state.inputs = results.inputs
                state.current = nil
                state.problems = Array((skipped + state.problems).prefix(100))
                if outcome.stoppedBy != nil {
                    state.status = .stopped
                } else if outcome.results.isEmpty {
                    state.status = .failed
                    state.error = (skipped + ["no video or photo among the files"]).joined(separator: "; ")
                } else {
                    state.status = .done
                }
            }
        } catch {
            // The batch ended before it could say what it wrote: whatever is in the folder is offered.
            job.offer(OutputFiles.list(in: job.resultsFolder))
            job.update { state in
                state.status = .failed
                state.error = "\(error)"
            }
        }
    }
}
