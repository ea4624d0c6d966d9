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
        var items: [Item] = []
        for (label, path) in try LabelledFolders.photos(in: folder) {
            guard let emotion = Emotion(rawValue: label.lowercased()) else {
                throw EvaluationError(
                    message:
                        "\((folder as NSString).appendingPathComponent(label)): '\(label)' is not one of the labels "
                        + Emotion.allCases.map(\.rawValue).joined(separator: ", "))
            }
            items.append(Item(path: path, emotion: emotion))
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
