import MoodlineMedia

/// Cuts the embedder's face chip out of a frame the way dlib's `get_face_chip(img, shape, size, padding)` does:
/// a similarity transform fitted (least squares) from the template's points, padded, to the face's landmarks, then
/// bilinear sampling, black outside the frame.
///
/// Landmarks are in the frame's continuous coordinates (pixel centres at `i + 0.5`, as `DetectedFace` gives them).
/// dlib's own chip differs in one respect: for a face more than about twice the chip's size it first halves the
/// frame with its Gaussian pyramid; this cutter samples the frame directly.
public struct FaceChipCutter: Sendable {
    /// The chip's side in pixels (150 for dlib's ResNet).
    public let size: Int
    /// The margin around the template's face square, as a fraction of its side on each side (dlib's 0.25).
    public let padding: Double

    public init(size: Int = 150, padding: Double = 0.25) {
        precondition(size >= 2 && padding >= 0, "a chip needs a size of at least 2 and a non-negative padding")
        self.size = size
        self.padding = padding
    }

    /// The chip of a face given dlib's 5-point shape (`FaceChipTemplate.dlibFivePoint`'s order).
    public func chip(from frame: PixelBuffer, dlibFivePoints points: [Point]) -> FaceChip {
        chip(from: frame, landmarks: points, template: .dlibFivePoint)
    }

    /// The chip of a detected face from its keypoints: eyes, nose tip and mouth centre on
    /// `FaceChipTemplate.blazeFace`, or the eyes alone when the detector gave no nose or mouth.
    public func chip(from frame: PixelBuffer, face: DetectedFace) -> FaceChip {
        if let nose = face[.nose], let mouth = face[.mouth] {
            return chip(from: frame, landmarks: [face.rightEye, face.leftEye, nose, mouth], template: .blazeFace)
        }
        let eyes = FaceChipTemplate(points: Array(FaceChipTemplate.blazeFace.points.prefix(2)))
        return chip(from: frame, landmarks: [face.rightEye, face.leftEye], template: eyes)
    }

    /// The chip of a face whose `landmarks` sit at `template`'s points, in order.
    ///
    /// - Complexity: O(size²).
    public func chip(from frame: PixelBuffer, landmarks: [Point], template: FaceChipTemplate) -> FaceChip {
        precondition(
            landmarks.count == template.points.count,
            "\(landmarks.count) landmarks for a template of \(template.points.count) points")
        let map = chipToFrameIndices(landmarks: landmarks, template: template)
        let pixels = sample(frame, map: map)
        // Index coordinates (dlib's: pixel centres at integers) to the continuous ones the rest of Moodline uses.
        let continuous = AffineTransform(
            a: map.a, b: map.b, c: map.c, d: map.d,
            tx: map.tx - 0.5 * (map.a + map.b) + 0.5, ty: map.ty - 0.5 * (map.c + map.d) + 0.5)
        return FaceChip(pixels: pixels, chipToSource: continuous)
    }

    /// dlib's chip geometry, in pixel-index coordinates on both sides: `chip_details(from, to, dims)` fits the
    /// similarity and keeps its angle, its scale and where the chip's centre lands; `extract_image_chips` then maps
    /// the chip's corner pixels to that rectangle's corners, whose sides `centered_drect` shortened by one pixel.
    func chipToFrameIndices(landmarks: [Point], template: FaceChipTemplate) -> AffineTransform {
        let side = Double(size)
        let chipPoints = template.points.map {
            Point(x: (padding + $0.x) / (2 * padding + 1) * side, y: (padding + $0.y) / (2 * padding + 1) * side)
        }
        let framePoints = landmarks.map { Point(x: $0.x - 0.5, y: $0.y - 0.5) }
        let fallback = {
            // Coinciding or non-finite landmarks (a degenerate detection): a chip of the frame around the first
            // finite one at scale 1 (at the origin when none is).
            let centre = framePoints.first { $0.x.isFinite && $0.y.isFinite } ?? Point(x: 0, y: 0)
            return AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: centre.x - side / 2, ty: centre.y - side / 2)
        }
        guard let fit = AffineTransform.leastSquaresSimilarity(from: chipPoints, to: framePoints) else {
            return fallback()
        }
        let scale = (fit.a * fit.a + fit.c * fit.c).squareRoot()
        guard scale.isFinite, scale > 1e-9, fit.tx.isFinite, fit.ty.isFinite else { return fallback() }
        let (cosine, sine) = (fit.a / scale, fit.c / scale)
        let centre = fit.apply(Point(x: side / 2, y: side / 2))
        let pitch = (side * scale - 1) / (side - 1)
        let half = (side - 1) / 2
        return AffineTransform(
            a: pitch * cosine, b: -pitch * sine, c: pitch * sine, d: pitch * cosine,
            tx: centre.x - pitch * (cosine * half - sine * half), ty: centre.y - pitch * (sine * half + cosine * half))
    }

    /// dlib's `interpolate_bilinear` through the map: the four pixels around the point, black where any of them
    /// is outside the frame, each channel truncated to a byte as dlib's pixel assignment does.
    private func sample(_ frame: PixelBuffer, map: AffineTransform) -> PixelBuffer {
        let channels = frame.layout.channels
        var out = [UInt8](repeating: 0, count: size * size * 3)
        frame.bytes.withUnsafeBufferPointer { source in
            for y in 0..<size {
                for x in 0..<size {
                    let p = map.apply(Point(x: Double(x), y: Double(y)))
                    // Outside the frame (or not a number): black, as dlib leaves it; never converted to Int.
                    guard p.x >= 0, p.y >= 0, p.x < Double(frame.width), p.y < Double(frame.height) else { continue }
                    let left = Int(p.x.rounded(.down)), top = Int(p.y.rounded(.down))
                    guard left >= 0, top >= 0, left + 1 < frame.width, top + 1 < frame.height else { continue }
                    let fx = p.x - Double(left), fy = p.y - Double(top)
                    let tl = (top * frame.width + left) * channels, bl = tl + frame.width * channels
                    for ch in 0..<3 {
                        let c = channels == 3 ? ch : 0
                        let upper = (1 - fx) * Double(source[tl + c]) + fx * Double(source[tl + channels + c])
                        let lower = (1 - fx) * Double(source[bl + c]) + fx * Double(source[bl + channels + c])
                        let value = (1 - fy) * upper + fy * lower
                        out[(y * size + x) * 3 + ch] = UInt8(min(max(value, 0), 255))
                    }
                }
            }
        }
        return PixelBuffer(width: size, height: size, layout: .rgb, bytes: out)
    }
}
