/// A frame's faces as the follow stage found them (`FaceFollower`), for the analysis to align and classify.
public struct FrameDetection: Sendable {
    /// The faces, in the analysed picture's pixels, highest score first (empty when `failure` is set).
    public var faces: [DetectedFace]
    /// Whether the whole frame was searched, or known faces were followed.
    public var step: FaceFollower.Step
    /// The frame's signature, made once for the follower's cut check and the ordered stages'.
    public var signature: FrameSignature
    /// Seconds of one core spent finding the faces.
    public var seconds: Double
    /// Why finding them failed (a model's numbers not finite); nil when it did not.
    public var failure: String?
}
