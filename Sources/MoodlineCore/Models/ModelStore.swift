import Foundation
import MoodlineNN

/// Finds the converted weights and builds the models from them, each file checked against the manifest.
public struct ModelStore: Sendable {
    public let manifest: WeightsManifest

    /// Opens the weights in `folder`, or the first of: `$MOODLINE_WEIGHTS`, a `Weights/` folder beside or above the
    /// running executable (a checkout's `.build/release/moodline`), `./Weights`, `/usr/local/share/moodline/Weights`.
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
            var folder = executable.deletingLastPathComponent()
            for _ in 0..<5 {
                folders.append(folder.appendingPathComponent("Weights").path)
                folder = folder.deletingLastPathComponent()
            }
        }
        folders.append((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("Weights"))
        folders.append("/usr/local/share/moodline/Weights")
        return folders
    }

    /// The face detector with these settings.
    public func faceDetector(_ settings: DetectorSettings = DetectorSettings()) throws -> FaceDetector {
        try FaceDetector(weights: manifest.open(settings.model.weightsName), settings: settings)
    }

    /// The emotion classifier.
    public func emotionClassifier() throws -> EmotionClassifier {
        try EmotionClassifier(weights: manifest.open("emotion_mini_xception"))
    }
}
