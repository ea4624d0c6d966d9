/// Decides, frame by frame, where one shot ends and the next begins, from the signatures of consecutive sampled
/// frames.
///
/// A cut is a difference (`FrameSignature.difference`) of at least `threshold` that is also at least `ratio` times the
/// median of the shot's last few differences: a single jump far above what the shot has been doing. A fast pan or
/// zoom is mostly allowed for by the measure itself; shaky footage that keeps the differences high raises the bar
/// with them. Feed frames in time order; confined to one queue.
public struct ShotCutDetector: Sendable {
    /// Differences remembered for a shot's typical level.
    static let historyLength = 5

    /// The least difference that can be a cut.
    public let threshold: Double
    /// How many times the shot's recent median difference a cut must also reach.
    public let ratio: Double
    private var previous: FrameSignature?
    /// The current shot's last differences, oldest first.
    private var recent: [Double] = []
    /// The difference between the last two frames seen; nil before the second.
    public private(set) var lastDifference: Double?
    /// Whether the last difference stood out from the shot's recent ones as a cut does (`ratio` times their median,
    /// and at least `jumpFloor`) without reaching `threshold`: a cut between two pictures much alike may be one, so
    /// it is worth checking who the faces are.
    public private(set) var lastWasJump = false
    /// The least difference that can be a jump: twice the noise of a still shot in compressed video (0.000 to 0.005
    /// between frames at 5 fps in the persons edits of `PersonsMediaTests`), where a cut between two studio portraits
    /// framed alike measured 0.015.
    public static let jumpFloor = 0.01

    /// A detector with the tracking settings' thresholds.
    public init(settings: TrackSettings) {
        self.init(threshold: settings.cutThreshold, ratio: settings.cutRatio)
    }

    /// A detector with its thresholds given.
    public init(threshold: Double, ratio: Double) {
        self.threshold = threshold
        self.ratio = ratio
    }

    /// Whether a shot cut lies between the last frame seen and the frame with `signature`, which becomes the last.
    public mutating func isCut(before signature: FrameSignature) -> Bool {
        defer { previous = signature }
        guard let previous else { return false }
        return decide(difference: signature.difference(from: previous))
    }

    /// Whether `difference`, measured between the last frame and the next, is a cut; remembered as the shot's
    /// latest difference when it is not. `isCut(before:)` measures and calls this.
    public mutating func decide(difference: Double) -> Bool {
        lastDifference = difference
        let standsOut = difference >= ratio * Self.median(recent)
        let isCut = difference >= threshold && standsOut
        lastWasJump = !isCut && standsOut && difference >= Self.jumpFloor
        if isCut {
            recent = []
        } else {
            recent.append(difference)
            if recent.count > Self.historyLength { recent.removeFirst() }
        }
        return isCut
    }

    /// Forgets the last frame, so the next one starts a shot with no cut before it (a new input, a gap in a stream).
    public mutating func reset() {
        previous = nil
        recent = []
        lastDifference = nil
        lastWasJump = false
    }

    private static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
