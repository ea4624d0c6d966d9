import Foundation

/// Writes `face_embeddings.jsonl` (`--write-embeddings`): the face embeddings the input's persons were grouped by, so
/// they can be grouped again or matched across runs. Never written unless asked for: an embedding is biometric data.
///
/// The first line says what the file is and how its vectors compare (the embedder, its length, the distance and the
/// run's `same_person_distance`). Then one line per grouped segment: in a video each embedded track, with its person,
/// span and mean embedding (of its first few clear faces); in a photo set each embedded face, with its file, its
/// position among the photo's faces (`face` in `frames.csv`), its number in the set (`face_number`) and its person. Tracks and faces never embedded (no
/// clear enough face to cut a chip from) have no line. The file is readable by its owner only.
final class FaceEmbeddingsWriter: FrameSink {
    static let fileName = "face_embeddings.jsonl"
    /// The embedder the vectors come from, named as the model registry names it.
    static let embedderName = FaceEmbedderEntry.dlibResNet.name

    private let folder: String
    private let files: FileList?
    var fileName: String { Self.fileName }

    init(context: SinkContext) {
        folder = context.folder
        files = context.input.source.fileList
    }

    func consume(_ frame: TrackedFrame) throws {}
    func discard() {}

    func finish(_ event: FinishEvent) throws {
        // Readable by its owner only, as biometric data should be.
        let file = try AtomicOutputFile(folder: folder, name: fileName, mode: 0o600)
        do {
            try file.write(
                Self.header(
                    input: event.input.path, length: event.persons.segments.first?.embedding.count ?? 0,
                    samePersonDistance: event.definition.persons.samePersonDistance))
            for segment in event.persons.segments {
                let vector = segment.embedding.map { FixedPoint.format($0, decimals: 6) }.joined(separator: ",")
                let person = event.persons.person(ofTrack: segment.id)
                if let files, let face = segment.face {
                    let photo = Int(segment.span.lowerBound)
                    let name =
                        files.files.indices.contains(photo) ? RelativePath.of(files.files[photo], in: files.root) : ""
                    try file.write(
                        Self.photoFaceLine(file: name, face: face, number: segment.id, person: person, vector: vector))
                } else {
                    try file.write(trackLine(segment, person: person, vector: vector))
                }
            }
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// The file's first line: what it is and how its vectors compare.
    static func header(input: String, length: Int, samePersonDistance: Double) -> String {
        "{\"schema_version\":\(MoodlineVersion.schema),\"content\":\"face embeddings\","
            + "\"biometric_data\":true,\"input\":\(JSONText.string(input)),"
            + "\"embedder\":\"\(embedderName)\",\"length\":\(length),\"distance\":\"euclidean\","
            + "\"same_person_distance\":\(FixedPoint.format(samePersonDistance, decimals: 3))}\n"
    }

    /// A photo face's line: its file, its position among the photo's faces (`face` in `frames.csv`), its number
    /// among all the set's faces (`face_number`, counted from 1 in the order found: merge joins shards by it), its
    /// person, and `vector` (the embedding's numbers, written).
    static func photoFaceLine(file: String, face: Int, number: Int, person: Int?, vector: String) -> String {
        "{\"file\":\(JSONText.string(file)),\"face\":\(face),\"face_number\":\(number),"
            + "\"person\":\(person.map(String.init) ?? "null"),\"embedding\":[\(vector)]}\n"
    }

    /// A track's line: the track, its span, its person and its mean embedding.
    private func trackLine(_ segment: FaceSegment, person: Int?, vector: String) -> String {
        let seconds: (Double) -> String = { FixedPoint.format($0, decimals: Precision.seconds) }
        return "{\"track\":\(segment.id),\"first_time_s\":\(seconds(segment.span.lowerBound)),"
            + "\"last_time_s\":\(seconds(segment.span.upperBound)),"
            + "\"person\":\(person.map(String.init) ?? "null"),\"embedding\":[\(vector)]}\n"
    }
}
