import Foundation
import MoodlineNN

/// The converted weights in one folder, and the models built from them through `ModelRegistry`, each file
/// checked against the manifest. Where that folder is (a flag, the environment, the installation) is the
/// program's to decide, not the library's.
public struct ModelStore: Sendable {
    public let manifest: WeightsManifest

    /// Opens the weights in `folder` (its `MANIFEST.json`).
    ///
    /// - Throws: `WeightError.manifest` when the manifest is missing or malformed.
    public init(folder: String) throws {
        manifest = try WeightsManifest(folder: folder)
    }

    /// The face detector these settings choose.
    public func faceDetector(_ settings: DetectorSettings = DetectorSettings()) throws -> any FaceDetecting {
        try settings.model.entry.make(self, settings)
    }

    /// One BlazeFace network with these settings.
    public func blazeFace(
        _ variant: BlazeFaceVariant, _ settings: DetectorSettings = DetectorSettings()
    ) throws -> BlazeFaceDetector {
        try BlazeFaceDetector(weights: manifest.open(variant.weightsName), variant: variant, settings: settings)
    }

    /// The emotion classifier these settings choose, with the temperature its training fitted.
    ///
    /// - Throws: `WeightError` for a file that is missing, altered (shipped weights are checked against the
    ///   manifest) or not a network this version can run.
    public func emotionClassifier(_ settings: ClassifierSettings = ClassifierSettings()) throws -> EmotionClassifier {
        let built: (network: any EmotionNetwork, temperature: Double)
        if let path = settings.weightsFile {
            // A network trained with train.py: Moodline's architecture, described by the file's metadata.
            let file = try SafeTensorsFile(path: path)
            built = (try EmotionVGG(weights: file), try Self.temperature(in: file))
        } else {
            built = try settings.model.entry.make(self)
        }
        return EmotionClassifier(
            network: built.network, temperature: built.temperature, flipAverage: settings.flipAverage)
    }

    /// A face embedder, dlib's ResNet unless another registered entry is given.
    ///
    /// - Throws: `WeightError` for a file that is missing, altered (checked against the manifest) or not the
    ///   network the entry builds.
    public func faceEmbedder(_ entry: FaceEmbedderEntry = .dlibResNet) throws -> any FaceEmbedding {
        try entry.make(self)
    }

    /// What a run record would say of an embedder's weights: each file with its sha256, licence and source.
    ///
    /// - Throws: `WeightError.manifest` when the manifest does not name a file the entry loads.
    public func weightRecords(embedder: FaceEmbedderEntry) throws -> [ModelRecord] {
        try embedder.weights.map(record)
    }

    /// What `run.json` records of the weights a pipeline's models load, and what a rerun compares: the
    /// detector's and the classifier's files with their sha256 and licences (a user's own classifier by its content).
    ///
    /// - Throws: `WeightError` when a file the manifest names, or the user's classifier, cannot be read.
    public func weightRecords(detector: DetectorSettings, classifier: ClassifierSettings) throws -> [ModelRecord] {
        var weights = detector.model.entry.weights
        // Following faces finds them again with another network.
        let finder = FaceFollower.finderVariant.weightsName
        if detector.followsFaces, !weights.contains(finder) {
            weights.append(finder)
        }
        var records = try weights.map(record)
        if let path = classifier.weightsFile {
            // A user's own network: identified by its content, so a retrained file counts as a change.
            guard let data = FileManager.default.contents(atPath: path) else {
                throw WeightError.unreadable(file: path, reason: "no such file, or it cannot be read")
            }
            records.append(
                ModelRecord(
                    name: "emotion classifier (--classifier-weights)", file: path,
                    sha256: SHA256.hexDigest([UInt8](data)),
                    licence: "the user's own", source: path))
        } else {
            records += try classifier.model.entry.weights.map(record)
        }
        return records
    }

    private func record(_ name: String) throws -> ModelRecord {
        let entry = try manifest.model(name)
        return ModelRecord(
            name: name, file: entry.file, sha256: entry.sha256, licence: entry.licence,
            source: "\(entry.sourcePackage): \(entry.sourceFile)")
    }

    /// The softmax temperature `train.py` fitted on held-back data (1 when the file records none).
    static func temperature(in file: SafeTensorsFile) throws -> Double {
        guard let text = file.metadata["temperature"] else { return 1 }
        guard let value = Double(text), value.isFinite, value > 0.05, value < 20 else {
            throw WeightError.malformedHeader(
                file: file.name, detail: "metadata 'temperature' must be a number between 0.05 and 20 (got \(text))")
        }
        return value
    }
}
