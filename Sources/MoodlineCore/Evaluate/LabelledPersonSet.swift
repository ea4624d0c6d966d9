import Foundation

/// A folder of photos by person: `DIR/<person>/*.jpg`, folder names being the identities (any names).
public struct LabelledPersonSet: Sendable {
    public struct Item: Sendable, Equatable {
        public let path: String
        public let identity: String
    }

    public let items: [Item]

    /// Lists `folder`'s photos by person, in sorted order.
    ///
    /// - Throws: `EvaluationError` when the folder is missing or has no person folders with photos.
    public init(folder: String) throws {
        let items = try LabelledFolders.photos(in: folder).map { Item(path: $0.path, identity: $0.label) }
        guard !items.isEmpty else {
            throw EvaluationError(message: "\(folder): no person folders with photos (expected \(folder)/anna/*.jpg)")
        }
        self.items = items
    }
}
