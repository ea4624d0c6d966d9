import Foundation

/// One input's folder under the output directory, held for the length of its analysis.
///
/// Opening it refuses anything but a real folder at `OUTPUT/NAME` (a symbolic link there is never followed) and
/// takes an exclusive lock on it, so two processes never analyse into one folder at once: the second waits, then
/// finds the first one's results. The lock goes with the process, however it ends.
final class OutputFolder {
    /// The folder's path.
    let path: String
    private let lockDescriptor: Int32

    /// The files a run writes, besides the temporary and checkpoint files.
    static var resultNames: [String] { OutputSinks.fileNames }
    static let manifestName = "run.json"
    static let lockName = ".moodline.lock"

    /// Creates (if needed) and locks `directory/name`.
    ///
    /// - Throws: `OutputError` naming the folder: the output directory cannot be made, the name is taken by a file
    ///   or link, or the folder cannot be written, or the name would not be a folder of its own inside `directory`.
    init(directory: String, name: String) throws {
        // Names come from file names, so a bad one is an error to report, never a trap.
        guard !name.isEmpty, !name.contains("/"), !name.contains("\0"), name != ".", name != ".." else {
            throw OutputError(path: directory, message: "\(name.debugDescription) cannot be an output folder's name")
        }
        path = (directory as NSString).appendingPathComponent(name)
        var status = stat()
        if lstat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                let what = (status.st_mode & S_IFMT) == S_IFLNK ? "a symbolic link" : "a file"
                throw OutputError(
                    path: path,
                    message:
                        "is \(what), not a folder; Moodline does not write through it (move it away or choose another --output)"
                )
            }
        } else if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw OutputError(
                path: path, message: "cannot create the output folder: \(String(cString: strerror(errno)))")
        }
        let lockPath = (path as NSString).appendingPathComponent(Self.lockName)
        lockDescriptor = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else {
            throw OutputError(
                path: path, message: "cannot write in the output folder: \(String(cString: strerror(errno)))")
        }
        while flock(lockDescriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(lockDescriptor)
                throw OutputError(
                    path: path, message: "cannot lock the output folder: \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    /// The hidden files a photo set keeps beside its results for merge and regroup: its report's fragments and its
    /// tables' rows. They go with the results.
    static let keptNames =
        [PhotoReportWriter.fragmentsFileName]
        + PersonColumnRows.unknownCells.keys.sorted().map(PersonColumnRows.keptRowsName)

    /// The path of a file in the folder.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The last run's manifest, if a complete one this version can read is there.
    func previousManifest() -> RunManifest? { RunManifest.read(folder: path) }

    /// The input whose results the folder holds, as its `run.json` records it, read on its own: a manifest this
    /// version cannot read whole (a newer build's, or one edited by hand) still says whose the folder is, so another
    /// input of the same name never clears it.
    func previousOwner() -> String? {
        guard let data = FileManager.default.contents(atPath: file(Self.manifestName)) else { return nil }
        return (try? JSONDecoder().decode(ManifestOwner.self, from: data))?.runRecord.inputPath
    }

    /// Removes what an earlier run left: its manifest first (so a kill from here on leaves no `run.json` beside
    /// mixed files), then its results and any temporary files, except those in `keeping`.
    func clearEarlierRun(keeping: Set<String> = []) {
        unlink(file(Self.manifestName))
        unlink(file(Regrouping.manifestAside))
        for name in Self.resultNames { unlink(file(name)) }
        for name in Self.keptNames { unlink(file(name)) }
        PhotoReportPages.removePages(after: 1, in: path)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where AtomicOutputFile.isPartialName(name) && !keeping.contains(name) {
            unlink(file(name))
        }
    }
}

@available(*, unavailable)
extension OutputFolder: Sendable {}

/// Just the part of `run.json` that names the input it belongs to.
private struct ManifestOwner: Decodable {
    struct Record: Decodable {
        let inputPath: String

        enum CodingKeys: String, CodingKey { case inputPath = "input_path" }
    }

    let runRecord: Record

    enum CodingKeys: String, CodingKey { case runRecord = "run_record" }
}
