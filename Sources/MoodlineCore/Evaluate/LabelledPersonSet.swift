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
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
            throw EvaluationError(message: "\(folder): no such folder")
        }
        var items: [Item] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let personFolder = (folder as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: personFolder, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let files = InputDiscovery.walk(folder: personFolder).filter { MediaKind(fileName: $0) == .photo }
            items += files.map { Item(path: (personFolder as NSString).appendingPathComponent($0), identity: name) }
        }
        guard !items.isEmpty else {
            throw EvaluationError(message: "\(folder): no person folders with photos (expected \(folder)/anna/*.jpg)")
        }
        self.items = items
    }
}
