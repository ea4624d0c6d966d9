/// The kinds of input named by an address rather than found on disk. The planner offers each command-line path to
/// these in order, before looking for it on disk; the first that claims it makes the input. Files and folders found
/// on disk are videos and photo sets. One line per kind.
enum InputSources {
    static let claimers: [@Sendable (String, InputOptions) -> ClaimedInput?] = [
        StreamInput.claim,
        ImageSequenceInput.claim,
    ]

    /// The input `path` names, when a kind claims it.
    static func claim(_ path: String, options: InputOptions) -> ClaimedInput? {
        for claimer in claimers {
            if let claimed = claimer(path, options) { return claimed }
        }
        return nil
    }
}

/// An input a kind claimed from its command-line path.
struct ClaimedInput {
    let source: any InputSource
    /// What identifies it in the batch (the same path twice is one input) and in `run.json`.
    let path: String
    /// The base of its output folder's name.
    let folderName: String
}

/// What the command line says about inputs beyond their paths.
public struct InputOptions: Sendable, Equatable {
    /// The frame rate of an image sequence (`frames/%05d.png`): frame n is at n / rate seconds.
    public var sequenceFramesPerSecond: Double
    /// Files may be read only where they resolve inside this folder (a server's uploads); nil: anywhere.
    public var confinedTo: String?

    public init(sequenceFramesPerSecond: Double = 25, confinedTo: String? = nil) {
        self.sequenceFramesPerSecond = sequenceFramesPerSecond
        self.confinedTo = confinedTo
    }
}
