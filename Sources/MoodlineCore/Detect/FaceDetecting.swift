import MoodlineMedia

/// A face detector: boxes, a score and named landmarks for every face in a frame.
///
/// Registration needs only the two eyes, so any detector that finds them can drive the pipeline. Both BlazeFace
/// variants (`BlazeFaceDetector`) conform; a new detector family is one more conforming type, built by
/// `ModelStore`, with nothing else to change. Conformers are immutable and serve many queues at once.
public protocol FaceDetecting: Sendable {
    /// The faces in an upright RGB frame, in its pixels, highest score first.
    ///
    /// - Throws: `ModelOutputError` when the model's numbers are not finite.
    func detect(in frame: PixelBuffer) throws -> [DetectedFace]
}
