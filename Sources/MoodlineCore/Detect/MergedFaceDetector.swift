import MoodlineMedia

/// Runs several detectors on each frame, each filling in what those before it missed: BlazeFace full range finds
/// small and mid-sized faces in a scene but few that fill the picture, short range the reverse.
///
/// A later detector's face is added where it touches no face already found (overlap at most `overlapLimit`, and
/// neither box holds the other's centre). Where it does touch, the earlier faces stand, unless the later face is
/// large in the picture (its longer side at least `largeFraction` of the picture's): short range's boxes for
/// faces far from the camera are poor, full range's for faces that fill the picture.
public struct MergedFaceDetector: FaceDetecting {
    public let detectors: [any FaceDetecting]
    /// Intersection over union above which a later face counts as one already found.
    public let overlapLimit: Double

    /// The share of the picture's longer side from which a later detector's face replaces earlier ones it touches.
    public let largeFraction: Double

    public init(detectors: [any FaceDetecting], overlapLimit: Double = 0.1, largeFraction: Double = 0.4) {
        self.detectors = detectors
        self.overlapLimit = overlapLimit
        self.largeFraction = largeFraction
    }

    public func detect(in frame: PixelBuffer) throws -> [DetectedFace] {
        var faces: [DetectedFace] = []
        let large = largeFraction * Double(max(frame.width, frame.height))
        for (index, detector) in detectors.enumerated() {
            let found = faces
            for face in try detector.detect(in: frame) {
                guard index > 0 else { faces.append(face); continue }
                let touched = found.filter { Self.touch($0.box, face.box, limit: overlapLimit) }
                if touched.isEmpty {
                    faces.append(face)
                } else if face.isAtLeast(large) {
                    faces.removeAll { earlier in touched.contains { $0.box == earlier.box } }
                    faces.append(face)
                }
            }
        }
        // As every detector orders its faces (ties keep the detectors' order).
        return faces.highestScoreFirst()
    }

    static func touch(_ a: Box, _ b: Box, limit: Double) -> Bool {
        a.intersectionOverUnion(with: b) > limit || a.contains(b.centre) || b.contains(a.centre)
    }
}

extension FaceDetectorEntry {
    /// Both BlazeFace networks, their faces merged: small faces in a scene and faces that fill the frame. The
    /// default; it costs the two networks together.
    public static let auto = FaceDetectorEntry(
        name: "auto", summary: "both BlazeFace networks: small and close-up faces",
        weights: BlazeFaceVariant.allCases.map(\.weightsName)
    ) { store, settings in
        MergedFaceDetector(detectors: try BlazeFaceVariant.allCases.map { try store.blazeFace($0, settings) })
    }
}
