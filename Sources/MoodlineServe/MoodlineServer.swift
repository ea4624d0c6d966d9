import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import MoodlineCore
import MoodlineMedia
import NIOCore
import Synchronization

/// `moodline serve`: a local web app that analyses uploaded videos and photos through the batch runner, streams
/// progress to the page, offers the results, and reads a browser's camera live over a WebSocket.
public struct MoodlineServer: Sendable {
    public let settings: ServeSettings
    /// Internal rather than private: in-process tests hold its places to see the server busy.
    let queue: JobQueue
    /// Internal rather than private: tests check what the live page loads.
    let live: LiveAnalyzers
    private let pictures: PictureMemoryBudget

    /// - Throws: when the work folder cannot be made.
    public init(settings: ServeSettings, models: ModelStore) throws {
        self.settings = settings
        // One set of analysers for every job: the models are read once, when first needed.
        let analyzers = PipelineAnalyzers(
            videoPipeline: settings.videoPipeline, photoPipeline: settings.photoPipeline, models: models)
        queue = JobQueue(settings: settings, models: models, analyzers: analyzers)
        pictures = PictureMemoryBudget(capacityBytes: settings.pictureMemoryBytes)
        // A camera groups no persons: the live page has its own analyser without the face embedder (22 MB of
        // weights, and a chip cut for every face of every frame), at the cost of the detector's and classifier's
        // few MB read twice when jobs run too.
        let liveAnalyzer =
            analyzers.video.embedsFaces
            ? SharedFrameAnalyzer(definition: settings.videoPipeline, models: models, embedsFaces: false)
            : analyzers.video
        live = LiveAnalyzers(shared: liveAnalyzer, limit: settings.liveConnections, pictures: pictures)
        try FileManager.default.createDirectory(
            atPath: settings.workFolder + "/jobs", withIntermediateDirectories: true)
    }

    /// Serves until SIGINT or SIGTERM, then stops the running jobs (their outputs complete, status stopped).
    ///
    /// - Parameter onListening: called with the address once the server accepts connections (with port 0, the
    ///   port the system chose).
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        do {
            try await makeApplication(onListening: onListening).runService()
        } catch let error as IOError {
            throw ServeError(
                message:
                    "cannot listen on \(settings.host):\(settings.port): \(String(cString: strerror(error.errnoCode))); choose another --port or --host"
            )
        }
        await stopJobs(waitingUpToSeconds: settings.stopWaitSeconds)
    }

    /// The web app as a Hummingbird application, not yet listening: `run` serves it, and tests send requests
    /// straight to its router (HummingbirdTesting's `.router`), which leaves out the connection's `RequestGate`.
    ///
    /// - Parameter onListening: called with the address once the server accepts connections.
    public func makeApplication(
        onListening: @escaping @Sendable (String) -> Void = { _ in }
    )
        -> Application<RouterResponder<BasicWebSocketRequestContext>>
    {
        let router = Router(context: BasicWebSocketRequestContext.self)
        addRoutes(to: router)
        var logger = Logger(label: "moodline.serve")
        logger.logLevel = .warning
        return Application(
            router: router,
            server: gatedServer(webSocketRouter: router),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.host, port: settings.port), serverName: "moodline"),
            onServerRunning: { [settings] channel in
                let port = channel.localAddress?.port ?? settings.port
                let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
                onListening("http://\(host):\(port)")
            },
            logger: logger
        )
    }

    /// Asks every job to stop, and returns once the running ones have finished their outputs (or after `seconds`).
    public func stopJobs(waitingUpToSeconds seconds: Double) async {
        await queue.stopAll(waitingUpTo: seconds)
    }

    /// HTTP/1.1 with the WebSocket upgrade, each connection behind a `RequestGate`.
    private func gatedServer(webSocketRouter router: Router<BasicWebSocketRequestContext>) -> HTTPServerBuilder {
        let webSocketResponder = router.buildResponder()
        // A page that stops answering the closing handshake is cut off after 5 s rather than 15.
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(),
            ws: WebSocketServerConfiguration(
                maxFrameSize: settings.maximumLiveMessageBytes, autoPing: .enabled(timePeriod: .seconds(30)),
                closeTimeout: .seconds(5)))
        let decoder = configuration.http1.httpDecoder
        let rules = RequestGate.Rules(
            policy: HostPolicy(boundHost: settings.host),
            headerTimeout: .nanoseconds(Int64(settings.headerTimeoutSeconds * 1e9)),
            bodyIdleTimeout: .nanoseconds(Int64(settings.bodyIdleTimeoutSeconds * 1e9)),
            headerLimits:
                "at most \(decoder.maxHeaderListSize / 1024) KB of headers, \(decoder.maxHeaderFieldCount) header lines"
        )
        return HTTPServerBuilder { responder in
            GatedServerChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: configuration),
                rules: rules)
        }
    }

    private func addRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.get("/") { [settings] _, _ in Self.page(HomePage.html(pipelines: UploadOptions.offered(settings))) }
        router.get("/live") { _, _ in Self.page(LivePage.html) }
        router.get("/api/health") { [queue] _, _ in
            let load = queue.load
            return JSONReply.response([
                "ok": 1, "running": load.running, "waiting": load.waiting, "receiving": load.receiving,
            ])
        }
        router.post("/api/jobs") { [self] request, context in
            do {
                return try await submit(request, context: context)
            } catch let refusal as Refusal {
                return refusal.response
            }
        }
        router.get("/api/jobs") { [queue] _, _ in
            JSONReply.response(JobList(jobs: queue.list))
        }
        // A job's own page; an unknown one is not found, and the page says so.
        router.get("/jobs/:id") { [queue] _, context in
            let known = context.parameters.get("id").flatMap(queue.job) != nil
            return Self.page(JobPage.html, status: known ? .ok : .notFound)
        }
        router.get("/api/jobs/:id") { [queue] _, context in
            guard let job = context.parameters.get("id").flatMap(queue.job) else { return Self.unknownJob.response }
            return JSONReply.response(job.snapshot)
        }
        router.get("/api/jobs/:id/events") { [queue] _, context in
            guard let job = context.parameters.get("id").flatMap(queue.job) else { return Self.unknownJob.response }
            return ProgressEvents.response(for: job)
        }
        router.get("/jobs/:id/files/**") { [queue] request, context in
            guard let job = context.parameters.get("id").flatMap(queue.job) else { return Self.unknownJob.response }
            return try await Self.download(
                job, parts: context.parameters.getCatchAll(), request: request, context: context)
        }
        // Always upgraded: a connection over the limit is closed with the reason (1008), which the page can show.
        router.ws("/api/live") { _, _ in
            .upgrade([:])
        } onUpgrade: { [live, settings] inbound, outbound, _ in
            try await LiveConnection(analyzers: live, settings: settings).run(inbound: inbound, outbound: outbound)
        }
    }

    /// Starts a job from an upload (multipart) or a server-side path (JSON, with `--allow-root`).
    ///
    /// A full queue is refused before the body is read; a place is held only once the body flows, and given back
    /// whatever ends the request early (a refusal, the gate's body timeout, a client gone).
    private func submit(_ request: Request, context: BasicWebSocketRequestContext) async throws -> Response {
        guard queue.hasRoom else { throw busy() }
        let reservation = queue.reservation()
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let folder = settings.workFolder + "/jobs/" + id
        do {
            let job: AnalysisJob
            if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
                job = try await ServerPath.job(
                    id: String(id), folder: folder, request: request, allowRoot: settings.allowRoot, settings: settings)
            } else {
                job = try await receiveUpload(request, id: String(id), folder: folder) {
                    guard reservation.hold() else { throw busy() }
                }
            }
            guard reservation.hold() else { throw busy() }
            queue.submit(job, in: reservation)
            return JSONReply.response(
                ["id": job.id, "status": "/api/jobs/\(job.id)", "events": "/api/jobs/\(job.id)/events"],
                status: .accepted)
        } catch {
            reservation.release()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// 429, in the same numbers as `/api/health`.
    private func busy() -> Refusal {
        let load = queue.load
        return Refusal(
            .tooManyRequests,
            "the server is busy: \(load.running) running, \(load.waiting) waiting and \(load.receiving) being uploaded "
                + "(at most \(settings.jobs) run and \(settings.queueLimit) wait); try again when one has finished")
    }

    private func receiveUpload(
        _ request: Request, id: String, folder: String,
        onBodyStart: () throws -> Void
    ) async throws -> AnalysisJob {
        let uploads = folder + "/uploads"
        do {
            try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
        } catch {
            throw Refusal(.insufficientStorage, "the server could not store the upload (\(error.localizedDescription))")
        }
        let receiver = UploadReceiver(
            maximumBytes: settings.maximumUploadBytes, maximumFiles: settings.maximumUploadFiles)
        let (files, fields) = try await receiver.receive(request, into: uploads, onBodyStart: onBodyStart)
        let options = try UploadOptions(fields: fields, settings: settings)
        try MediaCheck(maximumPixels: settings.maximumUploadPixels, budget: pictures).refuseUnreadable(
            files, in: uploads)
        // Absolute, so that each result maps back to its file whatever the server's working folder.
        let stored = PlannedInput.absolutePath(uploads)
        return AnalysisJob(
            id: id, folder: folder,
            inputs: files.map { JobInput(path: stored + "/" + $0.storedName, name: $0.originalName) },
            uploads: stored, options: options)
    }

    /// Sends one of the job's listed files; a name that is not listed is not found.
    private static func download(
        _ job: AnalysisJob, parts: [Substring], request: Request,
        context: BasicWebSocketRequestContext
    ) async throws -> Response {
        let wanted = parts.map { $0.removingPercentEncoding ?? "" }.joined(separator: "/")
        guard job.snapshot.isFinished, job.offers(wanted) else {
            return Refusal(.notFound, "no such result file in this job").response
        }
        var headers: HTTPFields = [
            .contentType: OutputFiles.contentType(of: wanted), .cacheControl: "no-store",
            .init("X-Content-Type-Options")!: "nosniff",
        ]
        if request.uri.queryParameters.get("download") != nil {
            let name = (wanted as NSString).lastPathComponent.replacingOccurrences(of: "\"", with: "_")
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        }
        let body = try await FileIO().loadFile(path: job.resultsFolder + "/" + wanted, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    private static let unknownJob = Refusal(
        .notFound, "no such job (finished jobs are kept until newer ones replace them)")

    private static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Why the server could not run, in words for the person who started it.
public struct ServeError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
