import Foundation
import MoodlineCore

/// How `moodline serve` runs: where it listens, what it accepts, and how much work it takes on at once.
public struct ServeSettings: Sendable {
    /// The interface to bind; loopback unless the user asks otherwise.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (printed when the server is up).
    public var port = 8080
    /// The server's own folder: uploads and results live only under it.
    public var workFolder: String
    /// Analyses run at the same time.
    public var jobs = 1
    /// Jobs that may wait for a free slot; one more is refused with 429.
    public var queueLimit = 4
    /// The largest upload, in bytes, all files of one request together.
    public var maximumUploadBytes = 2 << 30
    /// Files in one upload.
    public var maximumUploadFiles = 500
    /// A folder whose files may be analysed in place by path; nil refuses every server-side path.
    public var allowRoot: String?
    /// Finished jobs kept (with their files); older ones are deleted as new ones finish.
    public var keptJobs = 50
    /// Live camera connections at the same time.
    public var liveConnections = 2
    /// Live frames analysed per second per connection; frames that come faster are dropped (and counted).
    public var liveFramesPerSecond = 15.0
    /// The largest live frame message, in bytes.
    public var maximumLiveMessageBytes = 1 << 20
    /// The largest live picture, in pixels per side.
    public var maximumLiveSide = 1920
    /// The largest uploaded picture, in pixels, judged by its header before it is decoded.
    public var maximumUploadPixels = 100_000_000
    /// Bytes that pictures being decoded at once (upload checks, live frames) may take together.
    public var pictureMemoryBytes = 512 << 20
    /// Seconds a live connection may stay without a message before it is closed, freeing its camera slot.
    public var liveIdleSeconds = 30.0
    /// Seconds a client has to send a request's headers (from connecting, or from the previous response).
    public var headerTimeoutSeconds = 30.0
    /// Seconds a request's body may pause before the request is answered 408 and the connection closed.
    public var bodyIdleTimeoutSeconds = 60.0
    /// The pipeline for videos, in jobs and on the live page.
    public var videoPipeline: PipelineDefinition
    /// The pipeline for photos in jobs.
    public var photoPipeline: PipelineDefinition

    /// Defaults for everything but the folder and the pipelines.
    public init(workFolder: String, videoPipeline: PipelineDefinition, photoPipeline: PipelineDefinition) {
        self.workFolder = workFolder
        self.videoPipeline = videoPipeline
        self.photoPipeline = photoPipeline
    }
}
