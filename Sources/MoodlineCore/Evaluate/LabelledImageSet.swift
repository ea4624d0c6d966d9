import Foundation

/// A class-folder data set: `DIR/<label>/*.jpg`, folder names being the emotion labels.
public struct LabelledImageSet: Sendable {
    public struct Item: Sendable, Equatable {
        public let path: String
        public let emotion: Emotion
    }

    public let items: [Item]

    /// Lists `folder`'s images by class, in sorted order.
    ///
    /// - Throws: `EvaluationError` when the folder is missing, has no class folders, or a folder's name is not an
    ///   emotion label.
    public init(folder: String) throws {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
            throw EvaluationError(message: "\(folder): no such folder")
        }
        var items: [Item] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let classFolder = (folder as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: classFolder, isDirectory: &isFolder), isFolder.boolValue else { continue }
            guard let emotion = Emotion(rawValue: name.lowercased()) else {
                throw EvaluationError(
                    message: "\(classFolder): '\(name)' is not one of the labels "
                        + Emotion.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let files = InputDiscovery.walk(folder: classFolder).filter { MediaKind(fileName: $0) == .photo }
            items += files.map { Item(path: (classFolder as NSString).appendingPathComponent($0), emotion: emotion) }
        }
        guard !items.isEmpty else {
            throw EvaluationError(
                message: "\(folder): no class folders with images (expected \(folder)/happy/*.jpg and so on)")
        }
        self.items = items
    }
}

/// An evaluation that cannot run.
public struct EvaluationError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}
