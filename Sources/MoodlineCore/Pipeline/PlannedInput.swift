import Foundation

/// One unit of a batch: a video, or a set of photos that share one set of output files.
public struct PlannedInput: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A video file.
        case video(path: String)
        /// Photos: `root` is the folder they were found in (nil for a photo named on its own); `files` are their
        /// paths; `skipped` lists files in the folder that are not images.
        case photos(root: String?, files: [String], skipped: [SkippedPath])
    }

    public let kind: Kind
    /// The path as given on the command line.
    public let path: String
    /// The output folder's name under the output directory: the input's name, made unique within the batch.
    public let outputName: String

    public var isVideo: Bool {
        if case .video = kind { return true }
        return false
    }
}

/// Turns command-line paths into the batch's inputs.
public enum InputPlanner {
    /// Each video is an input; the photos of each folder given are one input; a photo named on its own is one
    /// input. Paths that do not exist come back in `missing`.
    public static func plan(_ paths: [String]) -> (inputs: [PlannedInput], missing: [SkippedPath]) {
        let discovered = InputDiscovery.discover(paths)
        var kinds: [(PlannedInput.Kind, String, String)] = []  // kind, path, base name
        var photosByFolder: [String: [String]] = [:]
        var folderOrder: [String] = []
        for file in discovered.files {
            let stem = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
            switch (file.folder, file.kind) {
            case (let folder?, .photo?):
                if photosByFolder[folder] == nil {
                    folderOrder.append(folder)
                    // The folder's input takes its place where its first photo appears.
                    kinds.append((.photos(root: folder, files: [], skipped: []), folder, (folder as NSString).lastPathComponent))
                }
                photosByFolder[folder, default: []].append(file.path)
            case (nil, .photo?):
                kinds.append((.photos(root: nil, files: [file.path], skipped: []), file.path, stem))
            default:
                kinds.append((.video(path: file.path), file.path, stem))
            }
        }
        var used: [String: Int] = [:]
        var inputs: [PlannedInput] = []
        for (kind, path, base) in kinds {
            var resolved = kind
            if case .photos(let root?, _, _) = kind {
                let skipped = discovered.skipped.filter { $0.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
                resolved = .photos(root: root, files: photosByFolder[root] ?? [], skipped: skipped)
            }
            let name = base.isEmpty || base == "." || base == "/" ? "input" : base
            let count = used[name, default: 0] + 1
            used[name] = count
            inputs.append(PlannedInput(kind: resolved, path: path, outputName: count == 1 ? name : "\(name)-\(count)"))
        }
        let missing = discovered.skipped.filter(\.isMissing)
        return (inputs, missing)
    }
}
