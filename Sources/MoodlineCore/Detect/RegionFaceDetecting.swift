import MoodlineMedia

/// A detector that can also look in one part of a frame, read at its own input size: what following a known face
/// from frame to frame needs (`FaceFollower`), at a fraction of a whole frame's cost.
public protocol RegionFaceDetecting: FaceDetecting {
    /// The faces in the square `region` of an upright RGB frame, in the frame's pixels, highest score first. The
    /// region may reach past the frame's edges.
    ///
    /// - Throws: `ModelOutputError` when the model's numbers are not finite.
    func detect(in frame: PixelBuffer, region: Box) throws -> [DetectedFace]
}
