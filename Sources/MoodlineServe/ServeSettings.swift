import Foundation
import MoodlineCore

/// How `moodline serve` runs: where it listens, what it accepts, and how much work it takes on at once.
public struct ServeSettings: Sendable {
    /// The interface to bind; loopback unless the user asks otherwise.
    public var host = Default.host
    /// The port; 0 picks a free one (printed when the server is up).
    public var port = Default.port
    /// The server's own folder: uploads and results live only under it.
    public var workFolder: String
    /// Analyses run at the same time.
    public var jobs = Default.jobs
    /// Jobs that may wait for a free slot; one more is refused with 429.
    public var queueLimit = Default.queueLimit
    /// The largest upload, in bytes, all files of one request together.
    public var maximumUploadBytes = Default.maximumUploadBytes
    /// Files in one upload.
    public var maximumUploadFiles = Default.maximumUploadFiles
    /// A folder whose files may be analysed in place by path; nil refuses every server-side path.
    public var allowRoot: String?
    /// Finished jobs kept (with their files); older ones are deleted as new ones finish.
    public var keptJobs = Default.keptJobs
    /// Live camera connections at the same time.
    public var liveConnections = Default.liveConnections
    /// Live frames analysed per second per connection; frames that come faster are dropped (and counted).
    public var liveFramesPerSecond = Default.liveFramesPerSecond
    /// The largest live frame message, in bytes.
    public var maximumLiveMessageBytes = Default.maximumLiveMessageBytes
    /// The largest live picture, in pixels per side.
    public var maximumLiveSide = Default.maximumLiveSide
    /// The largest uploaded picture, in pixels, judged by its header before it is decoded.
    public var maximumUploadPixels = Default.maximumUploadPixels
    /// Bytes that pictures being decoded at once (upload checks, live frames) may take together.
    public var pictureMemoryBytes = Default.pictureMemoryBytes
    /// Seconds a live connection may stay without a message before it is closed, freeing its camera slot.
    public var liveIdleSeconds = Default.liveIdleSeconds
    /// Seconds a client has to send a request's headers (from connecting, or from the previous response).
    public var headerTimeoutSeconds = Default.headerTimeoutSeconds
    /// Seconds a request's body may pause before the request is answered 408 and the connection closed.
    public var bodyIdleTimeoutSeconds = Default.bodyIdleTimeoutSeconds
    /// Seconds the running jobs get to finish their outputs once the server is asked to stop.
    public var stopWaitSeconds = Default.stopWaitSeconds
    /// The pipeline for videos, in jobs and on the live page.
    public var videoPipeline: PipelineDefinition
    /// The pipeline for photos in jobs.
    public var photoPipeline: PipelineDefinition

    /// Every default, in one place: the settings start from these, and `moodline serve`'s flags show them.
    public enum Default {
        public static let workFolder = "moodline-serve"
        public static let host = "127.0.0.1"
        public static let port = 8080
        public static let jobs = 1
        public static let queueLimit = 4
        public static let maximumUploadBytes = 2_000_000_000
        public static let maximumUploadFiles = 500
        public static let keptJobs = 50
        public static let liveConnections = 2
        public static let liveFramesPerSecond = 15.0
        public static let maximumLiveMessageBytes = 1 << 20
        public static let maximumLiveSide = 1920
        public static let maximumUploadPixels = 100_000_000
        public static let pictureMemoryBytes = 512 << 20
        public static let liveIdleSeconds = 30.0
        public static let headerTimeoutSeconds = 30.0
        public static let bodyIdleTimeoutSeconds = 60.0
        public static let stopWaitSeconds = 30.0
    }

    /// Defaults for everything but the folder and the pipelines.
    public init(workFolder: String, videoPipeline: PipelineDefinition, photoPipeline: PipelineDefinition) {
        self.workFolder = workFolder
        self.videoPipeline = videoPipeline
        self.photoPipeline = photoPipeline
    }
}
