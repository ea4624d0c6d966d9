import Foundation

/// Where a photo set's analysis stands, written after every photo, so a run that is stopped or killed resumes
/// after the last photo whose rows are on disk instead of starting again.
///
/// The rows themselves stay in the partial output files; the checkpoint records their names and lengths at the
/// moment it was written, so rows written after it (by a run that then died) are cut off on resume.
struct PhotoSetCheckpoint: Codable, Equatable {
    static let fileName = ".checkpoint.json"

    /// What must match for the checkpoint to apply: tool, pipeline, models, and the input (path and file count).
    var key: String
    /// Photos of the set finished, from the first in sorted order.
    var filesDone: Int
    /// A digest of those photos' names, sizes and modification times: any change there means starting again.
    var doneDigest: String
    /// For each output being written, by format (e.g. "csv"), its partial file's name in the folder and length.
    var partialFiles: [String: PartialFile]
    var faces: Int
    var framesDecoded: Int
    var framesSampled: Int
    var filesRead: Int
    var problems: [CheckpointProblem]

    struct PartialFile: Codable, Equatable {
        var file: String
        var bytes: Int
    }

    struct CheckpointProblem: Codable, Equatable {
        var file: String
        var frame: Int?
        var code: String
        var message: String
    }

    /// Reads the checkpoint in `folder`; nil when there is none or it cannot be read.
    static func load(in folder: String) -> PhotoSetCheckpoint? {
        guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(fileName))
        else { return nil }
        return try? JSONDecoder().decode(PhotoSetCheckpoint.self, from: data)
    }

    /// Writes the checkpoint atomically (a temporary file renamed over the old one).
    func save(in folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        let temporary = (folder as NSString).appendingPathComponent(".checkpoint.\(getpid()).partial")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(path: path, message: "cannot write the checkpoint: \(String(cString: strerror(errno)))")
        }
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress!, $0.count) }
        close(descriptor)
        guard written == data.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw OutputError(path: path, message: "cannot write the checkpoint: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the checkpoint and the partial files it names.
    static func remove(in folder: String) {
        if let checkpoint = load(in: folder) {
            for partial in checkpoint.partialFiles.values {
                unlink((folder as NSString).appendingPathComponent(partial.file))
            }
        }
        unlink((folder as NSString).appendingPathComponent(fileName))
    }
}
