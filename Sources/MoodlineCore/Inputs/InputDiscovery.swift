import Foundation

/// Kinds of file Moodline treats as media when it walks a folder.
public enum MediaKind: String, Sendable, Codable {
    case video
    case photo

    static let videoExtensions: Set<String> = [
        "mp4", "m4v", "mov", "mkv", "webm", "avi", "wmv", "flv", "mpg", "mpeg", "ts", "mts", "m2ts", "3gp", "ogv", "mxf",
    ]
    static let photoExtensions: Set<String> = [
        "jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp", "gif", "jfif", "pgm", "ppm",
    ]

    /// The kind a file name suggests, from its extension; nil when it suggests neither.
    public init?(fileName: String) {
        let ext = (fileName as NSString).pathExtension.lowercased()
        if Self.videoExtensions.contains(ext) { self = .video }
        else if Self.photoExtensions.contains(ext) { self = .photo }
        else { return nil }
    }
}

/// One file to analyse, and where it came from.
public struct InputFile: Sendable, Equatable {
    /// The file's path as it will be reported.
    public let path: String
    /// The folder given on the command line that this file was found in, or nil if it was named itself.
    public let folder: String?
    /// The kind its extension suggests (a file named directly may have none; FFmpeg decides).
    public let kind: MediaKind?
}

/// A path that was given or found but will not be analysed, and why.
public struct SkippedPath: Sendable, Equatable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The reason given for a path that does not exist.
    public static let missingReason = "no such file or folder"

    /// Whether the path does not exist (rather than being a file that is not media).
    public var isMissing: Bool { reason == Self.missingReason }
}

/// The result of walking the paths given on the command line.
public struct DiscoveredInputs: Sendable, Equatable {
    /// Files to analyse, in the order given, each folder's files in sorted order.
    public var files: [InputFile] = []
    /// Paths that do not exist, or files in folders that are not media.
    public var skipped: [SkippedPath] = []
}

/// Turns command-line paths into the list of files to analyse.
///
/// Files named directly are always kept (FFmpeg decides whether it can read them). Folders are walked
/// recursively in a stable order (paths compared byte by byte), hidden files and folders are left out, and files
/// whose extension is not a known media type are listed as skipped with the reason.
public enum InputDiscovery {
    public static func discover(_ paths: [String]) -> DiscoveredInputs {
        var result = DiscoveredInputs()
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                result.skipped.append(SkippedPath(path: path, reason: SkippedPath.missingReason))
                continue
            }
            if !isFolder.boolValue {
                result.files.append(InputFile(path: path, folder: nil, kind: MediaKind(fileName: path)))
                continue
            }
            for relative in walk(folder: path) {
                let full = (path as NSString).appendingPathComponent(relative)
                if let kind = MediaKind(fileName: relative) {
                    result.files.append(InputFile(path: full, folder: path, kind: kind))
                } else {
                    result.skipped.append(SkippedPath(path: full, reason: "not a video or image file extension"))
                }
            }
        }
        return result
    }

    /// Regular files under `folder`, relative to it, hidden entries left out, sorted byte-wise.
    static func walk(folder: String) -> [String] {
        var found: [String] = []
        var pending = [""]
        let manager = FileManager.default
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? folder : (folder as NSString).appendingPathComponent(relative)
            guard let names = try? manager.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : (relative as NSString).appendingPathComponent(name)
                var isFolder: ObjCBool = false
                guard manager.fileExists(atPath: (folder as NSString).appendingPathComponent(child), isDirectory: &isFolder) else { continue }
                if isFolder.boolValue { pending.append(child) } else { found.append(child) }
            }
        }
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
