import Foundation
import MoodlineNN

/// Finds the converted weights and builds the models from them, each file checked against the manifest.
public struct ModelStore: Sendable {
    public let manifest: WeightsManifest

    /// Where weights are looked for, in order; `--help` and the README print this.
    public static let lookupOrderHelp = """
        Weights are looked up in this order: --weights DIR; $MOODLINE_WEIGHTS; the share/moodline/Weights folder \
        of the installation (PREFIX/share/moodline/Weights beside PREFIX/bin/moodline); the Weights/ folder of the \
        source checkout the binary was built in (.build*/.../moodline); /usr/local/share/moodline/Weights. The \
        working folder is never searched.
        """

    /// Opens the weights in `folder`, or else the first folder of `lookupOrderHelp` that holds a manifest.
    ///
    /// - Throws: `WeightError.manifest` naming where it looked.
    public init(folder: String? = nil) throws {
        if let folder {
            manifest = try WeightsManifest(folder: folder)
            return
        }
        let candidates = Self.candidateFolders()
        for candidate in candidates where FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("MANIFEST.json")) {
            manifest = try WeightsManifest(folder: candidate)
            return
        }
        throw WeightError.manifest(file: "Weights/MANIFEST.json",
                                   detail: "no weights found (looked in \(candidates.joined(separator: ", "))); pass --weights DIR or set MOODLINE_WEIGHTS")
    }

    static func candidateFolders() -> [String] {
        var folders: [String] = []
        if let env = ProcessInfo.processInfo.environment["MOODLINE_WEIGHTS"], !env.isEmpty { folders.append(env) }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let binFolder = executable.deletingLastPathComponent()
            // An installation: PREFIX/bin/moodline with PREFIX/share/moodline/Weights.
            folders.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/moodline/Weights").path)
            // A source checkout: CHECKOUT/.build/<config or triple>/.../moodline (or another scratch folder such as
            // .build-asan), with CHECKOUT/Package.swift.
            var folder = binFolder
            while folder.path != "/" {
                if folder.lastPathComponent.hasPrefix(".build") {
                    let checkout = folder.deletingLastPathComponent()
                    if FileManager.default.fileExists(atPath: checkout.appendingPathComponent("Package.swift").path) {
                        folders.append(checkout.appendingPathComponent("Weights").path)
                    }
                    break
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        folders.append("/usr/local/share/moodline/Weights")
        return folders
    }

    /// The face detector these settings choose.
    public func faceDetector(_ settings: DetectorSettings = DetectorSettings()) throws -> any FaceDetecting {
        let networks = try settings.model.variants.map { try blazeFace($0, settings) }
        switch settings.model {
        case .wholeImage: return WholeImageDetector()
        case .auto: return MergedFaceDetector(detectors: networks)
        case .fullRange, .shortRange: return networks[0]
        }
    }

    /// One BlazeFace network with these settings.
    public func blazeFace(_ variant: BlazeFaceVariant, _ settings: DetectorSettings = DetectorSettings()) throws -> BlazeFaceDetector {
        try BlazeFaceDetector(weights: manifest.open(variant.weightsName), variant: variant, settings: settings)
    }

    /// The emotion classifier these settings choose, with the temperature its training fitted.
    ///
    /// - Throws: `WeightError` for a file that is missing, altered (shipped weights are checked against the
    ///   manifest) or not a network this version can run.
    public func emotionClassifier(_ settings: ClassifierSettings = ClassifierSettings()) throws -> EmotionClassifier {
        let network: any EmotionNetwork
        var temperature = 1.0
        if let path = settings.weightsFile {
            let file = try SafeTensorsFile(path: path)
            network = try EmotionVGG(weights: file)
            temperature = try Self.temperature(in: file)
        } else {
            let file = try manifest.open(settings.model.weightsName)
            switch settings.model {
            case .moodline:
                network = try EmotionVGG(weights: file)
                temperature = try Self.temperature(in: file)
            case .miniXception:
                network = try MiniXception(weights: WeightLoader(file: file))
            }
        }
        return EmotionClassifier(network: network, temperature: temperature, flipAverage: settings.flipAverage)
    }

    /// The softmax temperature `train.py` fitted on held-back data (1 when the file records none).
    static func temperature(in file: SafeTensorsFile) throws -> Double {
        guard let text = file.metadata["temperature"] else { return 1 }
        guard let value = Double(text), value.isFinite, value > 0.05, value < 20 else {
            throw WeightError.malformedHeader(file: file.name, detail: "metadata 'temperature' must be a number between 0.05 and 20 (got \(text))")
        }
        return value
    }
}
