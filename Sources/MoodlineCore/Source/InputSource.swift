import MoodlineMedia

/// A kind of input, as the planner found it. It states its traits, makes the `FrameSource` that reads it, says how a
/// rerun tells it unchanged, and gives `run.json` its facts, so nothing past planning switches on a list of kinds.
///
/// A new kind of input is one conforming type and, when it is named by an address rather than found on disk, one
/// line in `InputSources.claimers`.
public protocol InputSource: Sendable {
    /// What this input is: live, readable twice, a photo set.
    var traits: SourceTraits { get }

    /// For a set of files checkpointed one by one (a photo set): its folder and files; nil otherwise.
    var fileList: FileList? { get }

    /// The reader of this input's frames; a photo set starts at `setup.firstPhoto` (after a checkpoint).
    func makeFrameSource(_ setup: FrameSourceSetup) -> any FrameSource

    /// What identifies the input's content cheaply; nil when it is never the same twice (a live input) or cannot be
    /// read (the analysis reports why).
    func fingerprint() -> InputFingerprint?

    /// The input's facts for `run.json`; `sizeBytes` is what its frame source found when it opened, if anything.
    func manifestFacts(sizeBytes: Int?) -> InputFacts

    /// Opens the input again from the start, for outputs that decode it a second time.
    ///
    /// - Throws: `MediaError` when it cannot be opened, or when it cannot be read twice (`traits.isReadableTwice`).
    func openAgain(_ options: DecoderOptions) throws -> MediaReader

    /// Whether `other` is the same input.
    func isEqual(to other: any InputSource) -> Bool
}

extension InputSource {
    public var fileList: FileList? { nil }

    public func openAgain(_ options: DecoderOptions) throws -> MediaReader {
        throw MediaError(code: .unrecognisedFormat, path: "", message: "this input cannot be read a second time")
    }
}

extension InputSource where Self: Equatable {
    public func isEqual(to other: any InputSource) -> Bool { (other as? Self) == self }
}
