import MoodlineMedia

/// What one input's analysis produced, for the manifest and the batch's exit status.
public struct InputOutcome: Sendable {
    public var status: InputStatus = .ok
    public var outputFolder: String
    /// True when the input was not analysed again: its results from an earlier run are complete and its file,
    /// pipeline and models are unchanged.
    public var skippedAsUnchanged = false
    /// Photos an earlier, interrupted run had finished (this run resumed after them).
    public var resumedFiles = 0
    public var media: MediaInfo?
    public var sizeBytes: Int?
    public var framesDecoded = 0
    /// Frames left undecoded: sampling could not take them and no other frame refers to them.
    public var framesSkipped = 0
    public var framesSampled = 0
    public var faces = 0
    public var tracks = 0
    /// IDs of tracks that `frames.csv` names but that were never kept: every reading uncertain, so no summary.
    public var tracksLeftOut: [Int] = []
    /// Persons the tracks were grouped into.
    public var persons = 0
    /// Faces the face embedder read (to check tracks and group them into persons).
    public var facesEmbedded = 0
    /// Frames whose whole picture was searched for faces (fewer than those analysed when faces were followed).
    public var framesSearched = 0
    /// The main subject's person ID, when one was chosen.
    public var subject: Int?
    /// The subject's dominant emotion and its share of the subject's time, for the end-of-run line.
    public var subjectReading: (emotion: Emotion, share: Double)?
    /// The seconds the sampled frames span (frames in time), which persons' shares are of.
    public var analysedSeconds = 0.0
    /// The sampled frames with a picture (frames in time), which persons' shares of the video are counted in.
    public var analysedFrames = 0
    /// The share of the analysed span that the person `subjectReading` describes is on screen.
    public var subjectShare: Double?
    public var filesRead = 0
    /// The shot cuts found between sampled frames, in time order; nil where cuts are not looked for (photo sets,
    /// tracking off).
    public var shotCuts: [ShotCut]?
    public var times = StageTimes()
    public var wallSeconds = 0.0
    public var problems: [InputProblem] = []
    public var outputs: [String] = []

    public init(outputFolder: String) {
        self.outputFolder = outputFolder
    }
}
