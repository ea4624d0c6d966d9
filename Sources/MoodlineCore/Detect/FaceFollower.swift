import MoodlineMedia

/// Finds a video's faces frame by frame the `follow` way (`DetectionScheme.follow`): an interview has the same one
/// or two faces in nearly the same place for minutes, so they are followed rather than searched for in every frame.
///
/// The whole frame is searched with the pipeline's detector at the first frame, in every whole multiple of
/// `searchIntervalSeconds` of the video's time (so new faces are found), after a gap in time, at a shot cut, when
/// more faces are known than following saves time on, and whenever a known face is not found again. In between,
/// each known face is looked for in a square `followMargin` times its size around where its motion puts it, read by
/// a cheap detector at its own input size (BlazeFace short range: 128 px), and the best-overlapping face found there
/// replaces it.
///
/// Frames must come in time order, on one queue. Which frames are searched depends only on the frames, never on
/// timing, so two runs give the same faces.
public struct FaceFollower: Sendable {
    /// A face being followed: where it was last found, how fast its centre moved (pixels per second), and how the
    /// finder's box for it becomes the searcher's.
    struct Followed: Sendable {
        var face: DetectedFace
        var velocity = Point(x: 0, y: 0)
        var correction: BoxCorrection
    }

    /// How one detector's box and landmarks for a face become another's: the two networks draw boxes by different
    /// conventions (BlazeFace short range's about 10% smaller and lower than full range's) and may name other
    /// landmarks, so each followed face learns the difference where both saw it, and its followed faces stay in the
    /// searcher's convention with the searcher's landmarks.
    struct BoxCorrection: Sendable {
        /// Width and height ratios, and the centre's shift in the finder box's width and height.
        var width = 1.0, height = 1.0, shiftX = 0.0, shiftY = 0.0
        /// The shift of each landmark both detectors give, in the finder box's width and height.
        var landmarkShifts: [DetectedFace.Landmark: Point] = [:]
        /// Where each landmark only the searcher gives lies in its box (0 to 1 across and down), kept there.
        var landmarksInBox: [DetectedFace.Landmark: Point] = [:]

        /// No change.
        static let none = BoxCorrection()

        private init() {}

        /// The correction that turns `found` into `wanted`.
        init(from found: DetectedFace, to wanted: DetectedFace) {
            self.init(from: found.box, to: wanted.box)
            guard found.box.width > 0, found.box.height > 0, wanted.box.width > 0, wanted.box.height > 0 else {
                return
            }
            for (name, point) in wanted.landmarks {
                if let seen = found[name] {
                    landmarkShifts[name] = Point(
                        x: (point.x - seen.x) / found.box.width, y: (point.y - seen.y) / found.box.height)
                } else {
                    landmarksInBox[name] = Point(
                        x: (point.x - wanted.box.x) / wanted.box.width, y: (point.y - wanted.box.y) / wanted.box.height)
                }
            }
        }

        init(from found: Box, to wanted: Box) {
            guard found.width > 0, found.height > 0 else { return }
            width = wanted.width / found.width
            height = wanted.height / found.height
            shiftX = (wanted.centre.x - found.centre.x) / found.width
            shiftY = (wanted.centre.y - found.centre.y) / found.height
        }

        /// The finder's face in the searcher's convention: its box corrected, and exactly the landmarks the
        /// searcher gave (an unlearnt correction, `none`, keeps the finder's own).
        func apply(_ face: DetectedFace) -> DetectedFace {
            let (found, box) = (face.box, apply(face.box))
            guard !landmarkShifts.isEmpty else { return face.moved(to: box) }
            var points: [DetectedFace.Landmark: Point] = [:]
            for (name, shift) in landmarkShifts {
                guard let point = face[name] else { continue }
                points[name] = Point(x: point.x + shift.x * found.width, y: point.y + shift.y * found.height)
            }
            for (name, place) in landmarksInBox {
                points[name] = Point(x: box.x + place.x * box.width, y: box.y + place.y * box.height)
            }
            guard let right = points[.rightEye], let left = points[.leftEye] else { return face.moved(to: box) }
            return DetectedFace(box: box, score: face.score, rightEye: right, leftEye: left, others: points)
        }

        func apply(_ box: Box) -> Box {
            let (w, h) = (box.width * width, box.height * height)
            let centre = Point(x: box.centre.x + shiftX * box.width, y: box.centre.y + shiftY * box.height)
            return Box(x: centre.x - w / 2, y: centre.y - h / 2, width: w, height: h)
        }
    }

    /// What finding a frame's faces did.
    public enum Step: Sendable, Equatable {
        /// The whole frame was searched.
        case searched
        /// Every known face was found again near where it was.
        case followed
    }

    /// The most faces followed at once; beyond it a frame is searched, since one search then costs less than
    /// following each face (at 5 fps, following n faces costs about a search plus 5n short-range reads a second,
    /// searching every frame five searches, and the `auto` detector costs as much as about five short-range reads).
    public static let maximumFollowed = 3
    /// The least overlap (IoU) with where a face was expected for a face found near it to count as that face: high
    /// enough that a neighbour's face in the square is not taken for it (a face that moved further is searched for).
    static let minimumOverlap = 0.3
    /// A frame this close before an interval's start counts in it, so frame times' rounding does not delay a
    /// search by a frame.
    static let timeTolerance = 1e-3

    /// The network that finds known faces again: BlazeFace short range, read at its own 128 px on the square
    /// around each face, is the cheapest that finds a face filling half the square.
    public static let finderVariant = BlazeFaceVariant.shortRange

    private let searcher: any FaceDetecting
    private let finder: any RegionFaceDetecting
    private let settings: DetectorSettings
    private let minimumFaceSizePixels: Double
    private var cuts: ShotCutDetector
    private var known: [Followed] = []
    /// The interval (`searchIntervalSeconds` long, counted from time 0) of the last search.
    private var lastSearchSlot: Double?
    private var lastTime: Double?

    /// Frames searched whole and frames whose faces were followed, so far.
    public private(set) var searches = 0, follows = 0

    /// `searcher`: the pipeline's detector, for whole frames; `finder`: the cheap one for the squares around known
    /// faces. `minimumFaceSizePixels`: faces smaller than this in source pixels are neither returned nor followed.
    /// `cutSettings`: the thresholds for the shot cuts at which the frame is searched.
    public init(
        searcher: any FaceDetecting, finder: any RegionFaceDetecting, settings: DetectorSettings,
        minimumFaceSizePixels: Double, cutSettings: TrackSettings
    ) {
        self.searcher = searcher
        self.finder = finder
        self.settings = settings
        self.minimumFaceSizePixels = minimumFaceSizePixels
        cuts = ShotCutDetector(settings: cutSettings)
    }

    /// The faces of the next frame (`pixels`, shown at `time` seconds, `scale` source pixels per pixel, with its
    /// `signature`), in its pixels, highest score first, as the searcher orders them.
    ///
    /// - Throws: `ModelOutputError` when a model's numbers are not finite.
    public mutating func faces(
        in pixels: PixelBuffer, scale: Double, at time: Double, signature: FrameSignature
    ) throws -> (faces: [DetectedFace], step: Step) {
        let cut = cuts.isCut(before: signature)
        let elapsed = lastTime.map { time - $0 }
        defer { lastTime = time }
        // Searches fall on whole intervals of the video's own time, not on intervals from wherever the analysis
        // began: a part of the video (`--start`) searches where a run over the whole of it does, and as a search
        // leaves nothing of the frames before it (no motion is kept), the two give the same rows from there on
        // (unless the part's cut detector, with less history, sees a cut the whole run's does not).
        let slot =
            settings.searchIntervalSeconds > 0
            ? (time / settings.searchIntervalSeconds + Self.timeTolerance).rounded(.down) : nil
        let searchDue = slot == nil || slot != lastSearchSlot
        let gap = elapsed.map { $0 < 0 || $0 > settings.searchIntervalSeconds } ?? true
        if !(searchDue || gap || cut), !known.isEmpty,
            let found = try follow(in: pixels, scale: scale, after: elapsed ?? 0)
        {
            known = found
            follows += 1
            return (found.map(\.face).highestScoreFirst(), .followed)
        }
        let faces = try searcher.detect(in: pixels).filter { $0.isAtLeast(minimumFaceSizePixels, scale: scale) }
        // With no interval every frame is searched, and nothing is learnt for following.
        known = slot == nil ? [] : try matched(faces, in: pixels) ?? []
        lastSearchSlot = slot
        searches += 1
        return (faces, .searched)
    }

    /// Each known face found again near where its motion puts it, or nil when one of them is not.
    private func follow(in pixels: PixelBuffer, scale: Double, after elapsed: Double) throws -> [Followed]? {
        var found: [Followed] = []
        for old in known {
            let expected = old.face.box.shifted(by: old.velocity, over: elapsed)
            guard let seen = try find(near: expected, in: pixels, correction: old.correction) else { return nil }
            let face = old.correction.apply(seen)
            guard face.isAtLeast(minimumFaceSizePixels, scale: scale) else { return nil }
            found.append(
                Followed(
                    face: face, velocity: Self.velocity(from: old, to: face, after: elapsed),
                    correction: old.correction))
        }
        // Two known faces that now find the same face: one of them was not found again, so the frame is searched.
        for (i, a) in found.enumerated() {
            for b in found[(i + 1)...]
            where a.face.box.intersectionOverUnion(with: b.face.box) > settings.nmsIoUThreshold {
                return nil
            }
        }
        return found
    }

    /// The finder's face in the square around `expected` (a box in the searcher's convention) that overlaps it
    /// most, its box still in the finder's convention; nil when none overlaps it enough.
    private func find(near expected: Box, in pixels: PixelBuffer, correction: BoxCorrection) throws -> DetectedFace? {
        // On whole pixels: the finder's answer moves with the square, and a prediction that differs in its last
        // digits (a stream's timestamps against the file's, another BLAS kernel) must read the same square.
        let side = (settings.followMargin * max(expected.width, expected.height)).rounded()
        let region = Box(
            x: (expected.centre.x - side / 2).rounded(), y: (expected.centre.y - side / 2).rounded(), width: side,
            height: side)
        return try finder.detect(in: pixels, region: region)
            .map { ($0, correction.apply($0.box).intersectionOverUnion(with: expected)) }
            .filter { $0.1 >= Self.minimumOverlap }
            .max { $0.1 < $1.1 }?.0
    }

    /// A search's faces to follow, each with the finder's convention learnt on it, and no motion yet. A face the
    /// finder does not see cannot be followed: then the next frame is searched again.
    private func matched(_ faces: [DetectedFace], in pixels: PixelBuffer) throws -> [Followed]? {
        guard !faces.isEmpty, faces.count <= Self.maximumFollowed else { return nil }
        var followed: [Followed] = []
        for face in faces {
            guard let seen = try find(near: face.box, in: pixels, correction: .none) else { return nil }
            followed.append(Followed(face: face, correction: BoxCorrection(from: seen, to: face)))
        }
        return followed
    }

    /// The centre's speed, smoothed over the frames (half the last step's, half the earlier estimate).
    static func velocity(from old: Followed, to face: DetectedFace, after elapsed: Double) -> Point {
        guard elapsed > 0 else { return old.velocity }
        let step = Point(
            x: (face.box.centre.x - old.face.box.centre.x) / elapsed,
            y: (face.box.centre.y - old.face.box.centre.y) / elapsed)
        return Point(x: (old.velocity.x + step.x) / 2, y: (old.velocity.y + step.y) / 2)
    }
}

extension Box {
    /// The box moved by `velocity` (pixels per second) for `seconds`.
    func shifted(by velocity: Point, over seconds: Double) -> Box {
        Box(x: x + velocity.x * seconds, y: y + velocity.y * seconds, width: width, height: height)
    }
}
