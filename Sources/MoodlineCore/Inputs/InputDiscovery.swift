import Foundation

/// Kinds of file Moodline treats as media when it walks a folder.
public enum MediaKind: String, Sendable, Codable {
    case video
    case photo

    static let videoExtensions: Set<String> = [
        "mp4", "m4v", "mov", "mkv", "webm", "avi", "wmv", "flv", "mpg", "mpeg", "ts", "mts", "m2ts", "3gp", "ogv",
        "mxf",
    ]
    static let photoExtensions: Set<String> = [
        "jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp", "gif", "jfif", "pgm", "ppm",
    ]

    /// The kind a file name suggests, from its extension; nil when it suggests neither.
    public init?(fileName: String) {
        let ext = (fileName as NSString).pathExtension.lowercased()
        if Self.videoExtensions.contains(ext) {
            self = .video
        } else if Self.photoExtensions.contains(ext) {
            self = .photo
        } else {
            return nil
        }
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
    /// Whether this is an error the user must hear about (a missing path, a broken link, an unreadable name), as
    /// opposed to a file that is simply not media (a README beside the photos).
    public let isError: Bool

    public init(path: String, reason: String, isError: Bool = false) {
        self.path = path
        self.reason = reason
        self.isError = isError
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
    /// Paths that do not exist or cannot be read (errors), and files in folders that are not media.
    public var skipped: [SkippedPath] = []
}

/// Turns command-line paths into the list of files to analyse.
///
/// Files named directly are always kept (FFmpeg decides whether it can read them). Folders are walked
/// recursively in a stable order (paths compared byte by byte), hidden files and folders are left out, and files
/// whose extension is not a known media type are listed as skipped with the reason.
///
/// The walk is safe on hostile trees: a symbolic link to a folder is followed only to a folder not yet visited
/// (so loops and links to `..` end, and nothing is found twice), a file reached twice (through links) is analysed
/// once, and broken links and names that are not UTF-8 are reported as errors, never dropped in silence.
///
/// Confined to a folder (a server's `--allow-root`), every path and every file or folder the walk reaches must
/// resolve, with all links followed, inside that folder's real path; anything that leads out is reported as an
/// error and not analysed.
public enum InputDiscovery {
    /// The reason given for a path that leads out of the folder the walk is confined to.
    public static let outsideReason = "leads outside the allowed folder (through a link); not analysed"

    /// The files to analyse from the paths given, and what was skipped or could not be read.
    ///
    /// - Parameter root: when given, only paths whose real path lies inside this folder's real path are taken.
    public static func discover(_ paths: [String], confinedTo root: String? = nil) -> DiscoveredInputs {
        var result = DiscoveredInputs()
        // A root that cannot be resolved confines to nothing: every path is outside.
        let realRoot = root.map { realPath($0) ?? "/nonexistent-root/" }
        for path in paths {
            if let realRoot, !isInside(path, realRoot) {
                result.skipped.append(SkippedPath(path: path, reason: outsideReason, isError: true))
                continue
            }
            var status = stat()
            guard stat(path, &status) == 0 else {
                var link = stat()
                if lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK {
                    result.skipped.append(
                        SkippedPath(
                            path: path,
                            reason: errno == ELOOP
                                ? "is a loop of symbolic links"
                                : "is a broken symbolic link (its target does not exist)", isError: true))
                } else {
                    result.skipped.append(SkippedPath(path: path, reason: SkippedPath.missingReason, isError: true))
                }
                continue
            }
            if (status.st_mode & S_IFMT) != S_IFDIR {
                result.files.append(InputFile(path: path, folder: nil, kind: MediaKind(fileName: path)))
                continue
            }
            let walked = walkReportingProblems(folder: path, confinedTo: realRoot)
            for relative in walked.files {
                let full = (path as NSString).appendingPathComponent(relative)
                if let kind = MediaKind(fileName: relative) {
                    result.files.append(InputFile(path: full, folder: path, kind: kind))
                } else {
                    result.skipped.append(SkippedPath(path: full, reason: "not a video or image file extension"))
                }
            }
            result.skipped += walked.problems.map {
                SkippedPath(
                    path: (path as NSString).appendingPathComponent($0.path), reason: $0.reason, isError: $0.isError)
            }
        }
        return removingRepeats(result)
    }

    /// Keeps the first mention of each file (by device and inode): a file named twice, or named and also inside a
    /// folder given, is analysed once.
    static func removingRepeats(_ found: DiscoveredInputs) -> DiscoveredInputs {
        var result = DiscoveredInputs(files: [], skipped: found.skipped)
        var seen: [String: String] = [:]
        for file in found.files {
            var status = stat()
            guard stat(file.path, &status) == 0 else {
                result.files.append(file)
                continue
            }
            let key = "\(status.st_dev):\(status.st_ino)"
            if let first = seen[key] {
                result.skipped.append(SkippedPath(path: file.path, reason: "the same file as \(first); analysed once"))
            } else {
                seen[key] = file.path
                result.files.append(file)
            }
        }
        return result
    }

    /// Regular files under `folder`, relative to it, hidden entries left out, sorted byte-wise.
    static func walk(folder: String) -> [String] {
        walkReportingProblems(folder: folder).files
    }

    /// Whether `path`, every link followed, lies inside `realRoot` (a real path); false when it cannot be resolved.
    static func isInside(_ path: String, _ realRoot: String) -> Bool {
        guard let real = realPath(path) else { return false }
        return real == realRoot || real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// The walk, with what it could not take: broken links, unreadable folders, names that are not UTF-8, and
    /// files reached a second time (paths relative to `folder`); with `realRoot`, also entries that resolve outside it.
    static func walkReportingProblems(
        folder: String, confinedTo realRoot: String? = nil
    ) -> (files: [String], problems: [SkippedPath]) {
        struct Identity: Hashable { let device: UInt64, inode: UInt64 }
        func identity(_ status: stat) -> Identity {
            Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        }

        var files: [(relative: String, identity: Identity)] = []
        var problems: [SkippedPath] = []
        var visitedFolders: Set<Identity> = []
        var rootStatus = stat()
        guard stat(folder, &rootStatus) == 0 else {
            return ([], [SkippedPath(path: "", reason: "cannot be read", isError: true)])
        }
        visitedFolders.insert(identity(rootStatus))
        var pending = [""]
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? folder : (folder as NSString).appendingPathComponent(relative)
            guard let directory = opendir(absolute) else {
                problems.append(
                    SkippedPath(
                        path: relative, reason: "folder cannot be read (\(String(cString: strerror(errno))))",
                        isError: true))
                continue
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                // Only the name's own bytes: glibc's entries are as long as their names, so copying the whole
                // `d_name` array (256 bytes) would read past this entry (valgrind saw it as uninitialised).
                let nameStart = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
                let nameBytes = Array(
                    UnsafeRawBufferPointer(
                        start: nameStart, count: strlen(nameStart.assumingMemoryBound(to: CChar.self))))
                if nameBytes.first == UInt8(ascii: ".") { continue }
                guard let name = String(validating: nameBytes, as: UTF8.self) else {
                    let shown = relative.isEmpty ? escapedName(nameBytes) : relative + "/" + escapedName(nameBytes)
                    problems.append(
                        SkippedPath(
                            path: shown, reason: "the file name is not valid UTF-8; rename the file to analyse it",
                            isError: true))
                    continue
                }
                let child = relative.isEmpty ? name : relative + "/" + name
                let childPath = (folder as NSString).appendingPathComponent(child)
                var status = stat()
                guard stat(childPath, &status) == 0 else {
                    let reason =
                        errno == ELOOP
                        ? "is a loop of symbolic links" : "is a broken symbolic link (its target does not exist)"
                    problems.append(SkippedPath(path: child, reason: reason, isError: true))
                    continue
                }
                // Checked before a folder is entered, so nothing under a link that leads out is even listed.
                if let realRoot, !isInside(childPath, realRoot) {
                    problems.append(SkippedPath(path: child, reason: outsideReason, isError: true))
                    continue
                }
                if (status.st_mode & S_IFMT) == S_IFDIR {
                    // Each folder once: a link back up the tree (or two links to one folder) adds nothing new.
                    if visitedFolders.insert(identity(status)).inserted { pending.append(child) }
                } else {
                    files.append((child, identity(status)))
                }
            }
        }
        files.sort { $0.relative.utf8.lexicographicallyPrecedes($1.relative.utf8) }
        var seen: [Identity: String] = [:]
        var unique: [String] = []
        for file in files {
            if let first = seen[file.identity] {
                problems.append(
                    SkippedPath(path: file.relative, reason: "the same file as \(first) (a link); analysed once"))
            } else {
                seen[file.identity] = file.relative
                unique.append(file.relative)
            }
        }
        return (unique, problems)
    }

    /// A file name's bytes with anything that is not printable ASCII written as `\xNN`.
    static func escapedName(_ bytes: [UInt8]) -> String {
        bytes.map {
            $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\")
                ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0)
        }.joined()
    }
}
