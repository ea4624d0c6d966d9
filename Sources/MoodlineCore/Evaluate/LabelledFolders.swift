import Foundation

/// The pictures of a labelled folder, `DIR/<label>/*`: each photo below a label folder with the folder's name, in
/// sorted order (hidden folders and loose files skipped). `LabelledImageSet` and `LabelledPersonSet` read their
/// labels from it.
enum LabelledFolders {
    /// Every photo below `folder`'s label folders, with its label.
    ///
    /// - Throws: `EvaluationError` when the folder is missing.
    static func photos(in folder: String) throws -> [(label: String, path: String)] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
            throw EvaluationError(message: "\(folder): no such folder")
        }
        var photos: [(label: String, path: String)] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let labelFolder = (folder as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: labelFolder, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let files = InputDiscovery.walk(folder: labelFolder).filter { MediaKind(fileName: $0) == .photo }
            photos += files.map { (name, (labelFolder as NSString).appendingPathComponent($0)) }
        }
        return photos
    }
}
