import MoodlineMedia

/// A face cut out of its frame, eyes level and at fixed places, ready for the classifier.
public struct AlignedFace: Sendable {
    /// The grey crop, `geometry.sizePixels` square.
    public let crop: PixelBuffer
    /// Maps crop pixels to source pixels, so results can be drawn back on the frame.
    public let cropToSource: AffineTransform
}

/// Registers faces by their eyes: a similarity transform (rotation, uniform scale, translation) takes the two
/// eye keypoints to the geometry's eye positions, and the crop is sampled bilinearly from the frame.
public struct FaceAligner: Sendable {
    public let geometry: CropGeometry

    public init(geometry: CropGeometry = .standard) {
        self.geometry = geometry
    }

    /// The crop-to-source transform for a face.
    ///
    /// Uses the eyes; when they coincide (a degenerate detection), falls back to fitting the box.
    public func transform(for face: DetectedFace) -> AffineTransform {
        let side = Double(geometry.sizePixels)
        let right = face.rightEye, left = face.leftEye
        let dx = left.x - right.x, dy = left.y - right.y
        let eyeDistance = (dx * dx + dy * dy).squareRoot()
        let targetDistance = geometry.eyeDistance * side
        guard eyeDistance > 1e-3, targetDistance > 0 else {
            let scale = max(face.box.width, face.box.height) / side
            let centre = face.box.centre
            return AffineTransform(
                a: scale, b: 0, c: 0, d: scale, tx: centre.x - scale * side / 2, ty: centre.y - scale * side / 2)
        }
        // Crop point p maps to source: s·R(θ)·(p − eyeMidCrop) + eyeMidSource, θ being the eye line's angle.
        let scale = eyeDistance / targetDistance
        let cosine = dx / eyeDistance * scale, sine = dy / eyeDistance * scale
        let cropMid = Point(x: side / 2, y: geometry.eyeLineY * side)
        let sourceMid = Point(x: (left.x + right.x) / 2, y: (left.y + right.y) / 2)
        return AffineTransform(
            a: cosine, b: -sine, c: sine, d: cosine,
            tx: sourceMid.x - (cosine * cropMid.x - sine * cropMid.y),
            ty: sourceMid.y - (sine * cropMid.x + cosine * cropMid.y))
    }

    /// The aligned grey crop of a face in an RGB or grey frame.
    public func align(_ face: DetectedFace, in frame: PixelBuffer) -> AlignedFace {
        let map = transform(for: face)
        let crop = BilinearSampler.sampleGrey(
            frame, width: geometry.sizePixels, height: geometry.sizePixels,
            outputToSource: map, fill: 0)
        return AlignedFace(crop: crop, cropToSource: map)
    }
}
