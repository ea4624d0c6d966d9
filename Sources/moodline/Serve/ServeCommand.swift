import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineServe

/// `moodline serve`: the local web app.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a local web app: upload a video or photos and read the report, or read your camera live.",
        discussion: """
            Open the printed address in a browser. The upload page sends a video or photos to the server, shows the \
            analysis progress, then the report and every output file to download; the jobs run through the same \
            batch runner as `moodline analyze`, --jobs at a time with --queue more waiting (a further upload is \
            refused with 429 until one finishes). The live page (/live) sends the browser's camera to the server \
            frame by frame and draws each face's box, label and probabilities, with a rolling emotion chart.

            Safety: the server listens on loopback (127.0.0.1) unless --host says otherwise, and has no login and \
            no TLS, so only bind another address on a network you trust; on loopback every local user can reach it. \
            It answers only its own Host names, and refuses uploads, path requests and live WebSockets from other \
            web sites' pages (Origin, Sec-Fetch-Site). Slow requests are cut off (--header-timeout, --body-timeout, \
            --live-idle-timeout) and malformed ones answered 400 or 431 with the reason. Uploads are written only \
            inside --work, under names the server makes; pictures are judged by their declared size before they \
            are decoded (--max-upload-megapixels, --picture-memory-mb); result files are served only from a job's \
            own listing; no path from a request is used on the server unless --allow-root names a folder, and then \
            only what resolves inside it, links followed. Uploads, live frames and their rate are bounded, and a bad \
            request gets a 4xx with the reason. Job folders beyond --keep-jobs are deleted, those of earlier runs \
            too, oldest first.

            API (JSON): POST /api/jobs (multipart/form-data files, or {"path": ...} with --allow-root) answers 202 \
            with the job's id; GET /api/jobs/ID is its state; GET /api/jobs/ID/events streams its progress \
            (Server-Sent Events); GET /jobs/ID/files/NAME downloads a result (?download=1 to save it); the \
            WebSocket /api/live takes JPEG or PNG frames as binary messages and answers each with the faces found.

            Ctrl-C (SIGINT) or SIGTERM stops the server; running jobs finish their outputs with status stopped.

            Examples:
              moodline serve
              moodline serve --port 9000 --jobs 2 --work ~/moodline-web
              moodline serve --allow-root /data/interviews
            """
    )

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = ServeSettings.Default.port

    @Option(help: "Address to listen on. The default answers this computer only.")
    var host = ServeSettings.Default.host

    @Option(help: "The server's own folder: uploads and results are kept only under it.")
    var work = ServeSettings.Default.workFolder

    @Option(help: "Analyses run at the same time.")
    var jobs = ServeSettings.Default.jobs

    @Option(help: "Jobs that may wait for a free slot; one more upload is refused with 429.")
    var queue = ServeSettings.Default.queueLimit

    @Option(name: .customLong("max-upload-mb"), help: "The largest upload in megabytes (all its files together).")
    var maximumUploadMegabytes = ServeSettings.Default.maximumUploadBytes / 1_000_000

    @Option(
        name: .customLong("max-upload-megapixels"),
        help: "The largest uploaded picture in megapixels, judged by its header before decoding.")
    var maximumUploadMegapixels = ServeSettings.Default.maximumUploadPixels / 1_000_000

    @Option(
        name: .customLong("picture-memory-mb"),
        help: "Megabytes that pictures being decoded at once (upload checks, live frames) may take together.")
    var pictureMemoryMegabytes = ServeSettings.Default.pictureMemoryBytes >> 20

    @Option(help: "A folder whose files may be analysed in place, by path (POST /api/jobs with {\"path\": ...}).")
    var allowRoot: String?

    @Option(name: .customLong("keep-jobs"), help: "Finished jobs kept with their files; older ones are deleted.")
    var keptJobs = ServeSettings.Default.keptJobs

    @Option(
        name: .customLong("live-fps"), help: "Live frames analysed per second per camera; faster frames are dropped.")
    var liveFramesPerSecond = ServeSettings.Default.liveFramesPerSecond

    @Option(name: .customLong("live-connections"), help: "Live cameras served at the same time.")
    var liveConnections = ServeSettings.Default.liveConnections

    @Option(
        name: .customLong("live-idle-timeout"),
        help: "Seconds a live camera connection may send nothing before it is closed.")
    var liveIdleSeconds = ServeSettings.Default.liveIdleSeconds

    @Option(name: .customLong("header-timeout"), help: "Seconds a client has to send a request's headers (408 after).")
    var headerTimeoutSeconds = ServeSettings.Default.headerTimeoutSeconds

    @Option(
        name: .customLong("body-timeout"),
        help: "Seconds a request's body may pause before the request is dropped (408).")
    var bodyIdleTimeoutSeconds = ServeSettings.Default.bodyIdleTimeoutSeconds

    @OptionGroup(title: "Pipeline")
    var pipeline: PipelineOptions

    @OptionGroup var modelWeights: WeightsOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (1...16).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 16.") }
        guard (0...1000).contains(queue) else { throw ValidationError("--queue must be between 0 and 1000.") }
        guard maximumUploadMegabytes >= 1 else { throw ValidationError("--max-upload-mb must be at least 1.") }
        guard (1...1000).contains(maximumUploadMegapixels) else {
            throw ValidationError("--max-upload-megapixels must be between 1 and 1000.")
        }
        guard (16...65536).contains(pictureMemoryMegabytes) else {
            throw ValidationError("--picture-memory-mb must be between 16 and 65536.")
        }
        guard keptJobs >= 1 else { throw ValidationError("--keep-jobs must be at least 1.") }
        guard liveFramesPerSecond > 0, liveFramesPerSecond <= 60 else {
            throw ValidationError("--live-fps must be above 0 and at most 60.")
        }
        guard (1...64).contains(liveConnections) else {
            throw ValidationError("--live-connections must be between 1 and 64.")
        }
        for (flag, value) in [
            ("--live-idle-timeout", liveIdleSeconds), ("--header-timeout", headerTimeoutSeconds),
            ("--body-timeout", bodyIdleTimeoutSeconds),
        ] {
            guard value >= 0.1, value <= 3600 else {
                throw ValidationError("\(flag) must be between 0.1 and 3600 seconds.")
            }
        }
        if let allowRoot {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: allowRoot, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--allow-root must be an existing folder, got '\(allowRoot)'.")
            }
        }
    }

    func run() throws {
        let (videoPipeline, photoPipeline) = try pipeline.definitions()
        let models = try modelWeights.store()
        BLAS.setThreads(1)
        var settings = ServeSettings(workFolder: work, videoPipeline: videoPipeline, photoPipeline: photoPipeline)
        settings.host = host
        settings.port = port
        settings.jobs = jobs
        settings.queueLimit = queue
        settings.maximumUploadBytes = maximumUploadMegabytes * 1_000_000
        settings.allowRoot = allowRoot
        settings.keptJobs = keptJobs
        settings.maximumUploadPixels = maximumUploadMegapixels * 1_000_000
        settings.pictureMemoryBytes = pictureMemoryMegabytes << 20
        settings.liveFramesPerSecond = liveFramesPerSecond
        settings.liveConnections = liveConnections
        settings.liveIdleSeconds = liveIdleSeconds
        settings.headerTimeoutSeconds = headerTimeoutSeconds
        settings.bodyIdleTimeoutSeconds = bodyIdleTimeoutSeconds
        let server = try MoodlineServer(settings: settings, models: models)
        // The tool's entry point stays synchronous (an asynchronous one parks the main thread in Dispatch's signal
        // wait, which valgrind cannot follow); the server runs as a task while this thread waits for its end.
        let ended = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do {
                try await server.run { address in
                    // Unbuffered: a script or test that started the server waits for this line to learn the address.
                    let line =
                        "Moodline is serving on \(address)  (upload: \(address)/, live camera: \(address)/live; Ctrl-C stops)\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            } catch {
                outcome.error = error
            }
            ended.signal()
        }
        ended.wait()
        if let error = outcome.error { throw error }
    }
}

/// How the server's task ended. `@unchecked Sendable`: written once by the task before it signals, read after the
/// wait.
private final class ServeOutcome: @unchecked Sendable {
    var error: (any Error)?
}
