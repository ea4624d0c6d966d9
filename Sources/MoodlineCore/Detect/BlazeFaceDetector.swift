import Foundation
import MoodlineMedia
import MoodlineNN

/// BlazeFace (full or short range): finds faces in an upright RGB frame, with boxes, scores and six landmarks (eyes,
/// nose, mouth, ears) in source pixels.
///
/// The frame is letterboxed to the model's square input (aspect kept, black borders), the network gives a box
/// and keypoints per anchor, and overlapping boxes are merged by weighted non-maximum suppression.
/// Immutable once built, so one detector serves many queues.
public struct BlazeFaceDetector: RegionFaceDetecting {
    public let variant: BlazeFaceVariant
    public let settings: DetectorSettings
    private let network: LayerGraph
    private let anchors: [Point]

    /// Builds the detector from its weights file.
    ///
    /// - Throws: `WeightError` if the weights do not describe the expected network.
    public init(weights: SafeTensorsFile, variant: BlazeFaceVariant, settings: DetectorSettings) throws {
        let network = try LayerGraph(file: weights)
        let size = variant.inputSize
        guard network.inputShape == [1, size, size, 3] else {
            throw WeightError.shapeMismatch(
                file: weights.name, tensor: "graph input", expected: [1, size, size, 3], actual: network.inputShape)
        }
        guard network.outputs["regressors"] != nil, network.outputs["classificators"] != nil else {
            throw WeightError.malformedHeader(
                file: weights.name, detail: "graph lacks 'regressors' or 'classificators' outputs")
        }
        self.variant = variant
        self.settings = settings
        self.network = network
        self.anchors = variant.anchors
    }

    /// The letterbox for a frame: the model's input pixel `p` samples the frame at `inputToSource(p)`.
    public func letterbox(width: Int, height: Int) -> AffineTransform {
        let size = Double(variant.inputSize)
        let scale = size / Double(max(width, height))
        let offsetX = (size - Double(width) * scale) / 2, offsetY = (size - Double(height) * scale) / 2
        return AffineTransform.scaleThenTranslate(scale: 1 / scale, tx: -offsetX / scale, ty: -offsetY / scale)
    }

    /// The network's input for a frame: letterboxed, RGB scaled to [-1, 1], borders -1.
    public func inputTensor(for frame: PixelBuffer) -> Tensor {
        inputTensor(for: frame, inputToSource: letterbox(width: frame.width, height: frame.height))
    }

    /// The network's input sampling the frame through `inputToSource`; outside the frame -1 (black).
    func inputTensor(for frame: PixelBuffer, inputToSource: AffineTransform) -> Tensor {
        precondition(frame.layout == .rgb, "the detector needs RGB frames")
        let size = variant.inputSize
        let values = BilinearSampler.sampleFloats(
            frame, width: size, height: size, outputToSource: inputToSource, scale: 1 / 127.5, offset: -1, fill: -1)
        return Tensor(shape: [1, size, size, 3], data: values)
    }

    /// Raw network outputs for an input tensor: regressors `[1, anchors, 16]`, classificators `[1, anchors, 1]`.
    public func rawOutputs(_ input: Tensor) -> (regressors: Tensor, logits: Tensor) {
        let outputs = network(input)
        return (outputs["regressors"]!, outputs["classificators"]!)
    }

    /// The faces in an upright RGB frame, highest score first.
    ///
    /// - Throws: `ModelOutputError` if the network's outputs are not finite (a NaN score would otherwise just
    ///   read as "no face").
    /// - Complexity: one network pass (about 0.5 GFLOP for full range) plus O(candidates²) merging.
    public func detect(in frame: PixelBuffer) throws -> [DetectedFace] {
        try detect(in: frame, inputToSource: letterbox(width: frame.width, height: frame.height))
    }

    /// The faces in a square part of the frame, read at the network's own input size (the part may reach past the
    /// frame's edges, which read as black).
    public func detect(in frame: PixelBuffer, region: Box) throws -> [DetectedFace] {
        let scale = max(region.width, region.height) / Double(variant.inputSize)
        return try detect(
            in: frame, inputToSource: .scaleThenTranslate(scale: scale, tx: region.x, ty: region.y))
    }

    /// The faces the network finds in the picture `inputToSource` samples (a scale and a shift).
    private func detect(in frame: PixelBuffer, inputToSource toSource: AffineTransform) throws -> [DetectedFace] {
        let (regressors, logits) = rawOutputs(inputTensor(for: frame, inputToSource: toSource))
        guard logits.data.allSatisfy(\.isFinite), regressors.data.allSatisfy(\.isFinite) else {
            throw ModelOutputError(model: "face detector")
        }
        let size = Double(variant.inputSize)
        var candidates: [DetectedFace] = []
        for (i, anchor) in anchors.enumerated() {
            let logit = Double(min(max(logits.data[i], -80), 80))
            let score = 1 / (1 + exp(-logit))
            guard score >= settings.minimumScore else { continue }
            let r = regressors.data[(i * 16)..<(i * 16 + 16)].map { Double($0) / size }
            // Centre and size in [0, 1] input coordinates, then to source pixels.
            let cx = r[0] + anchor.x, cy = r[1] + anchor.y
            let w = r[2], h = r[3]
            let corner = toSource.apply(Point(x: (cx - w / 2) * size, y: (cy - h / 2) * size))
            let box = Box(x: corner.x, y: corner.y, width: w * size * toSource.a, height: h * size * toSource.d)
            // BlazeFace's six keypoints, in its order: right eye, left eye, nose tip, mouth, right ear, left ear.
            let points = (0..<6).map { k in
                toSource.apply(Point(x: (r[4 + 2 * k] + anchor.x) * size, y: (r[5 + 2 * k] + anchor.y) * size))
            }
            candidates.append(
                DetectedFace(
                    box: box, score: score, rightEye: points[0], leftEye: points[1],
                    others: [.nose: points[2], .mouth: points[3], .rightEar: points[4], .leftEar: points[5]]))
        }
        // The minimum face size is applied by the analyser, in source pixels (this frame may be scaled down).
        return WeightedNonMaximumSuppression.merge(candidates, iouThreshold: settings.nmsIoUThreshold)
    }
}

extension FaceDetectorEntry {
    /// BlazeFace full range alone: small and mid-sized faces (group photos, wide shots).
    public static let fullRange = blazeFace(.fullRange, summary: "small and mid-sized faces in a scene")
    /// BlazeFace short range alone: close-ups and faces that fill the picture; faster.
    public static let shortRange = blazeFace(.shortRange, summary: "close-ups, faster")

    private static func blazeFace(_ variant: BlazeFaceVariant, summary: String) -> FaceDetectorEntry {
        FaceDetectorEntry(name: variant.rawValue, summary: summary, weights: [variant.weightsName]) { store, settings in
            try store.blazeFace(variant, settings)
        }
    }
}
