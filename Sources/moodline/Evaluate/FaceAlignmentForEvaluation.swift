import Foundation
import MoodlineCore
import MoodlineMedia

/// For `evaluate --align`: finds the face in a data set's crop and aligns it as `analyze` would, and measures
/// where the eyes sit in the data set's own crops (the evidence for the default crop geometry).
final class FaceAlignmentForEvaluation {
    private let detector: BlazeFaceDetector
    private let aligner: FaceAligner
    private var detected = 0, missed = 0
    private var eyeDistances: [Double] = [], eyeHeights: [Double] = []

    init(store: ModelStore, geometry: CropGeometry) throws {
        detector = try store.faceDetector(DetectorSettings(model: .fullRange, minimumScore: 0.3))
        aligner = FaceAligner(geometry: geometry)
    }

    /// The aligned crop, or nil when no face is found (the caller then resizes the whole image).
    func crop(_ grey: PixelBuffer) -> PixelBuffer? {
        // The crops are tight: give the detector a margin by placing the face, upscaled 4x, on a canvas twice its
        // size (grey border), since BlazeFace's anchors expect some context around a face.
        let scale = 4.0
        let side = Int(Double(max(grey.width, grey.height)) * scale * 2)
        let offset = Double(side) / 2 - Double(grey.width) * scale / 2
        let toSource = AffineTransform.scaleThenTranslate(scale: 1 / scale, tx: -offset / scale, ty: -(Double(side) / 2 - Double(grey.height) * scale / 2) / scale)
        let canvas = BilinearSampler.sample(grey, width: side, height: side, outputToSource: toSource, fill: 128)
        let rgb = PixelBuffer(width: side, height: side, layout: .rgb, bytes: canvas.bytes.flatMap { [$0, $0, $0] })
        guard let face = try? detector.detect(in: rgb).first else {
            missed += 1
            return nil
        }
        detected += 1
        // Eye positions back in the original crop's coordinates, as fractions of its side.
        let right = toSource.apply(face.rightEye), left = toSource.apply(face.leftEye)
        let w = Double(grey.width)
        eyeDistances.append(((left.x - right.x) * (left.x - right.x) + (left.y - right.y) * (left.y - right.y)).squareRoot() / w)
        eyeHeights.append((left.y + right.y) / 2 / Double(grey.height))
        return aligner.align(face, in: rgb).crop
    }

    var summary: String {
        func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }
        return String(format: "aligned %d faces, %d not found (resized whole); in the data set's crops the eyes are %.3f of the side apart (median) at %.3f from the top",
                      detected, missed, median(eyeDistances), median(eyeHeights))
    }
}
