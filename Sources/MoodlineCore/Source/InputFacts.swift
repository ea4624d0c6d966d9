/// What `run.json` records of an input under `"input"`, beside its path.
public struct InputFacts: Sendable, Equatable {
    /// The kind as `run.json` names it (`video`, `stream`, `photos`, `sequence`).
    public var kind: String
    public var sizeBytes: Int?
    /// The number of files, for inputs made of several.
    public var files: Int?
    /// Files found beside the input's and not read, with why (a photo folder's).
    public var skipped: [SkippedPath]?
    /// Whether the media's facts (duration, frame rate, size, codec) are recorded.
    public var includesMedia: Bool

    public init(
        kind: String, sizeBytes: Int? = nil, files: Int? = nil, skipped: [SkippedPath]? = nil, includesMedia: Bool
    ) {
        self.kind = kind
        self.sizeBytes = sizeBytes
        self.files = files
        self.skipped = skipped
        self.includesMedia = includesMedia
    }
}
