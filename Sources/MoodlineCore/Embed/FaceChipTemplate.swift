/// Where a set of landmarks sits in a face chip: each point as a fraction of dlib's mean-face square (before the
/// chip's padding is added), the frame in which dlib defines its chips.
public struct FaceChipTemplate: Sendable, Equatable {
    /// The template points, `x` and `y` in `[0, 1]` of the unpadded face square.
    public let points: [Point]

    /// A template of `points` (at least two, for a similarity transform).
    public init(points: [Point]) {
        precondition(points.count >= 2, "a chip template needs at least two points")
        self.points = points
    }

    /// dlib's 5-point shape, in the order dlib's `shape_predictor_5_face_landmarks` gives it: the subject's left
    /// eye outer and inner corner, right eye outer and inner corner, the base of the nose (dlib's
    /// `get_face_chip_details`).
    public static let dlibFivePoint = FaceChipTemplate(points: [
        Point(x: 0.8595674595992, y: 0.2134981538014),
        Point(x: 0.6460604764104, y: 0.2289674387677),
        Point(x: 0.1205750620789, y: 0.2137274526848),
        Point(x: 0.3340850613712, y: 0.2290642403242),
        Point(x: 0.4901123135679, y: 0.6277975316475),
    ])

    /// BlazeFace's first four keypoints (right eye, left eye, nose tip, mouth centre), placed at the matching points
    /// of dlib's 68-point mean face in the same frame: the centres of points 36-41 and 42-47, point 30, and the
    /// centre of the inner lips (60-67). The ears are left out: they are hidden or misplaced as soon as the head
    /// turns.
    public static let blazeFace = FaceChipTemplate(points: [
        Point(x: 0.22549183, y: 0.21599033),
        Point(x: 0.75476133, y: 0.21599033),
        Point(x: 0.490127, y: 0.515625),
        Point(x: 0.49012675, y: 0.79907325),
    ])
}
