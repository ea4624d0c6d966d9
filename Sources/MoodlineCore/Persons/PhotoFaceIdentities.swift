import Foundation
import MoodlineMedia

/// Who each face of a photo set is: every face with a chip is embedded as its photo comes, and kept as a point-like
/// `FaceSegment` (its photo's position in the set, so two faces of one photo are never one person) for grouping into
/// persons at the end.
///
/// The embeddings also go, as they come, to a hidden file in the output folder that the set's checkpoint records,
/// so a resumed set groups the faces of the photos done before it stopped too. The file is removed when the set
/// finishes or is discarded: embeddings are biometric data and are never left behind as results (`--write-embeddings`
/// writes them, on purpose, to `face_embeddings.jsonl`). Each record is the face's key (its number in the set) as a
/// 64-bit integer, its photo and its position among the photo's faces as 32-bit integers, then the embedding as
/// 32-bit floats, little endian. Confined to one queue.
struct PhotoFaceIdentities {
    static let spillName = "persons.embeddings"

    let embedder: any FaceEmbedding
    private(set) var segments: [FaceSegment] = []
    /// Faces of the set embedded: by this run, and by the run it resumes (each record of the spill file is one).
    private(set) var embedded = 0
    private let spill: AtomicOutputFile

    /// Starts the store in `folder`, taking over `resuming`'s embeddings (a checkpoint's spill file and length).
    ///
    /// - Throws: `OutputError` when the spill file cannot be made or read back.
    init(embedder: any FaceEmbedding, folder: String, resuming: (path: String, bytes: Int)? = nil) throws {
        self.embedder = embedder
        spill = try AtomicOutputFile(folder: folder, name: Self.spillName, resuming: resuming, mode: 0o600)
        if let resuming {
            segments = try Self.read(resuming: spill.partialPath, bytes: resuming.bytes, embedder)
            embedded = segments.count
        }
    }

    /// Keeps the embeddings of photo `photo`'s faces, whose keys are `firstKey`, `firstKey + 1`, ...: those the
    /// analysis made, and those of faces with only a chip, embedded here.
    mutating func add(_ faces: [AnalysedFace], firstKey: Int, photo: Int) throws {
        let chipped = faces.indices.filter { faces[$0].embedding == nil && faces[$0].chip != nil }
        var made = [Int: [Float]]()
        if !chipped.isEmpty {
            for (i, embedding) in zip(chipped, embedder.embed(chips: chipped.map { faces[$0].chip! })) {
                made[i] = embedding
            }
        }
        let embedded = faces.indices.compactMap { i in (faces[i].embedding ?? made[i]).map { (i, $0) } }
        self.embedded += embedded.count
        for (i, embedding) in embedded {
            let key = firstKey + i
            segments.append(FaceSegment(id: key, span: Double(photo)...Double(photo), embedding: embedding, face: i))
            var record: [UInt8] = []
            record.reserveCapacity(16 + 4 * embedding.count)
            withUnsafeBytes(of: Int64(key).littleEndian) { record += $0 }
            for value in [Int32(photo), Int32(i)] { withUnsafeBytes(of: value.littleEndian) { record += $0 } }
            for value in embedding { withUnsafeBytes(of: value.bitPattern.littleEndian) { record += $0 } }
            try spill.write(bytes: record)
        }
    }

    /// The spill file's state for the checkpoint.
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try spill.flushForCheckpoint() }

    /// Keeps the spill file under `path` for the next run (a stopped set).
    func setAside(as path: String) throws { try spill.setAside(as: path) }

    /// Removes the spill file (the set finished, or failed).
    func discard() { spill.discard() }

    /// The records of a resumed spill file, up to `bytes`.
    private static func read(resuming path: String, bytes: Int, _ embedder: any FaceEmbedding) throws -> [FaceSegment] {
        let recordBytes = 16 + 4 * embedder.descriptorLength
        guard let data = FileManager.default.contents(atPath: path), data.count >= bytes, bytes % recordBytes == 0
        else {
            throw OutputError(path: path, message: "the checkpointed face embeddings cannot be read back")
        }
        var segments: [FaceSegment] = []
        data.withUnsafeBytes { raw in
            for start in stride(from: 0, to: bytes, by: recordBytes) {
                func int64(_ offset: Int) -> Int64 {
                    Int64(littleEndian: raw.loadUnaligned(fromByteOffset: start + offset, as: Int64.self))
                }
                func int32(_ offset: Int) -> Int32 {
                    Int32(littleEndian: raw.loadUnaligned(fromByteOffset: start + offset, as: Int32.self))
                }
                let embedding = (0..<embedder.descriptorLength).map {
                    Float(
                        bitPattern: UInt32(
                            littleEndian: raw.loadUnaligned(fromByteOffset: start + 16 + 4 * $0, as: UInt32.self)))
                }
                let photo = Double(int32(8))
                segments.append(
                    FaceSegment(id: Int(int64(0)), span: photo...photo, embedding: embedding, face: Int(int32(12))))
            }
        }
        return segments
    }
}

extension PlannedInput {
    /// Whether this photo set's faces are grouped into persons: persons on, and the whole set, or a shard that
    /// writes its embeddings (`--write-embeddings`). A shard sees only its part of the set: its persons are its
    /// part's, and `merge` groups the whole set's faces again from every shard's `face_embeddings.jsonl` and fills
    /// the cells from the rows the shard kept (`PersonColumnRows.keptRowsName`). A shard without its embeddings
    /// written leaves its person cells empty, as merge could never join its persons with the others'.
    func groupsPhotoPersons(_ definition: PipelineDefinition) -> Bool {
        traits.isPhotoSet && definition.groupsPhotoPersons(sharded: shardOf != nil)
    }
}

extension PipelineDefinition {
    /// Whether photo sets analysed with this pipeline group their faces into persons: persons on, and, in a shard
    /// (`sharded`), the embeddings written for `merge`. The one rule both the analyser (whether to load the
    /// embedder) and each input (`PlannedInput.groupsPhotoPersons`) follow.
    func groupsPhotoPersons(sharded: Bool) -> Bool {
        persons.enabled && (!sharded || outputs.formats.contains(.faceEmbeddings))
    }
}
