import Foundation

/// `Weights/MANIFEST.json`: each model's file, its sha256, source and licence.
public struct WeightsManifest: Sendable {
    /// One model's entry.
    public struct Model: Sendable, Equatable {
        public let name: String
        public let file: String
        public let sha256: String
        public let licence: String
        public let sourcePackage: String
        public let sourceFile: String
        /// Class labels in output order, for classifiers.
        public let labels: [String]?
    }

    /// The folder holding the manifest and the weights.
    public let folder: String
    public let models: [String: Model]

    /// Reads `folder/MANIFEST.json`.
    public init(folder: String) throws {
        self.folder = folder
        let path = (folder as NSString).appendingPathComponent("MANIFEST.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WeightError.manifest(
                file: path, detail: "no weights manifest here; pass --weights DIR or set MOODLINE_WEIGHTS")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let models = json["models"] as? [String: [String: Any]]
        else {
            throw WeightError.manifest(file: path, detail: "not a weights manifest (expected an object with 'models')")
        }
        var parsed: [String: Model] = [:]
        for (name, entry) in models {
            guard let file = entry["file"] as? String, let sha = entry["sha256"] as? String else {
                throw WeightError.manifest(file: path, detail: "model '\(name)' needs 'file' and 'sha256'")
            }
            let source = entry["source"] as? [String: Any]
            parsed[name] = Model(
                name: name, file: file, sha256: sha, licence: entry["licence"] as? String ?? "unknown",
                sourcePackage: source?["package"] as? String ?? "unknown",
                sourceFile: source?["file"] as? String ?? "unknown",
                labels: entry["labels"] as? [String])
        }
        self.models = parsed
    }

    /// The model's entry.
    public func model(_ name: String) throws -> Model {
        guard let model = models[name] else {
            throw WeightError.manifest(
                file: (folder as NSString).appendingPathComponent("MANIFEST.json"),
                detail: "no model named '\(name)' (have: \(models.keys.sorted().joined(separator: ", ")))")
        }
        return model
    }

    /// Opens the model's weights after checking the file's sha256 against the manifest.
    ///
    /// - Throws: `WeightError.checksumMismatch` for a file that is not the one the manifest names, and any
    ///   `WeightError` the file's validation finds.
    public func open(_ name: String) throws -> SafeTensorsFile {
        let entry = try model(name)
        let path = (folder as NSString).appendingPathComponent(entry.file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WeightError.unreadable(file: path, reason: "no such file, or it cannot be read")
        }
        let bytes = [UInt8](data)
        let actual = SHA256.hexDigest(bytes)
        guard actual == entry.sha256 else {
            throw WeightError.checksumMismatch(file: path, expected: entry.sha256, actual: actual)
        }
        return try SafeTensorsFile(bytes: bytes, name: path)
    }
}
