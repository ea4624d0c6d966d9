import Foundation

/// A photo set's accounting, kept beside its checkpoint: the photos finished, their digest, and what reading them
/// took (frames decoded and sampled, photos read, problems), carried over from the checkpoint when resumed.
///
/// The ordered stages hand it each photo as it arrives (`count`) and tell it when the photo's rows are written
/// (`photoWritten`), and it saves the checkpoint. The outcome's photo-set counts come from here alone, not from the
/// decode stage's, so each count has one path.
struct PhotoSetProgress {
    /// What must match for the checkpoint to apply (`RunRecord.checkpointKey`).
    let key: String
    let list: FileList
    let folder: String

    /// Photos of the set finished, from the first in sorted order.
    private(set) var filesDone = 0
    /// Faces found in the photos finished, when the checkpoint was taken over.
    private(set) var resumedFaces = 0
    private var framesDecoded = 0
    private var framesSampled = 0
    /// Photos read (with a picture), this run and any it resumed.
    private(set) var filesRead = 0
    private var problems: [InputProblem] = []
    /// The digest of the photos finished so far, extended as each one finishes.
    private var doneDigest: FileListDigest

    init(key: String, list: FileList, folder: String) {
        self.key = key
        self.list = list
        self.folder = folder
        doneDigest = FileListDigest(root: list.root)
    }

    /// Takes over where `checkpoint` left the set.
    mutating func resume(from checkpoint: PhotoSetCheckpoint) {
        filesDone = checkpoint.filesDone
        doneDigest = FileListDigest(root: list.root, hex: checkpoint.doneDigest, count: checkpoint.filesDone)
        resumedFaces = checkpoint.faces
        framesDecoded = checkpoint.framesDecoded
        framesSampled = checkpoint.framesSampled
        filesRead = checkpoint.filesRead
        problems = checkpoint.problems.map {
            InputProblem(
                file: $0.file, frame: $0.frame, code: InputProblem.Code(rawValue: $0.code), message: $0.message)
        }
    }

    /// Counts what reading `frame`'s photo took (before its rows are written, so a failure still counts it).
    mutating func count(_ frame: AnalysedFrame) {
        problems += frame.problems
        framesDecoded += frame.framesDecoded
        if frame.hasPicture {
            framesSampled += 1
            filesRead += 1
        }
    }

    /// The photo at `fileIndex` has its rows written: saves the checkpoint (`faces`: the set's faces so far).
    mutating func photoWritten(
        _ fileIndex: Int, faces: Int, sinks: [(format: OutputFormat, sink: any FrameSink)],
        identities: PhotoFaceIdentities? = nil
    ) throws {
        filesDone = fileIndex + 1
        try save(faces: faces, sinks: sinks, identities: identities)
    }

    /// Flushes the sinks' rows so far (and the faces' embeddings, under `PhotoFaceIdentities.spillName`) and records
    /// how far the set has got.
    mutating func save(
        faces: Int, sinks: [(format: OutputFormat, sink: any FrameSink)], identities: PhotoFaceIdentities? = nil
    ) throws {
        while doneDigest.count < filesDone { doneDigest.add(list.files[doneDigest.count]) }
        var partial: [String: PhotoSetCheckpoint.PartialFile] = [:]
        // The checkpoint knows the sinks' files by format.
        for (format, sink) in sinks {
            if let checkpointed = sink as? any CheckpointedSink {
                partial[format.rawValue] = try checkpointed.flushForCheckpoint()
            }
        }
        if let identities { partial[PhotoFaceIdentities.spillName] = try identities.flushForCheckpoint() }
        let checkpoint = PhotoSetCheckpoint(
            key: key, filesDone: filesDone, doneDigest: doneDigest.hex,
            partialFiles: partial, faces: faces, framesDecoded: framesDecoded, framesSampled: framesSampled,
            filesRead: filesRead,
            problems: problems.map {
                .init(file: $0.file, frame: $0.frame, code: $0.code.rawValue, message: $0.message)
            })
        try checkpoint.save(in: folder)
    }

    /// The set's counts and the problems met reading its photos, this run and any it resumed.
    func fill(_ outcome: inout InputOutcome) {
        outcome.framesDecoded = framesDecoded
        outcome.framesSampled = framesSampled
        outcome.filesRead = filesRead
        outcome.problems = problems + outcome.problems
    }
}
