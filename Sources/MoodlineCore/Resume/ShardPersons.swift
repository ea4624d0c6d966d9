import Foundation

/// The persons of a whole photo set whose shards each wrote their faces' embeddings (`--write-embeddings`): every
/// shard's `face_embeddings.jsonl` read in shard order, the faces renumbered as one run of the whole set numbers
/// them (a shard's face numbers counted on by the faces of the shards before it), and grouped as that run groups
/// them (`PersonTable(faces:settings:)`: two faces of one photo are never one person).
///
/// The vectors are read back from their six decimals, so a distance can differ from the unsharded run's in the
/// sixth decimal: only a pair that close to `same_person_distance` could be grouped otherwise.
struct ShardPersons {
    /// One embedded face of the set.
    struct Face {
        /// The photo, relative to the set's folder, and the face's position among its faces.
        let file: String
        let face: Int
        /// Its number among the whole set's faces.
        let number: Int
        /// The embedding as the shard wrote it (comma-separated numbers).
        let vector: Substring
    }

    let faces: [Face]
    /// The faces as grouped: each at its photo's position in the set, keyed by its number.
    let segments: [FaceSegment]
    /// The persons: by clustering, or as `grouped(as:)` gives them.
    private(set) var table: PersonTable
    /// What each shard adds to its own face numbers to make the set's, in shard order.
    let keyOffsets: [Int]
    /// The first line of the set's `face_embeddings.jsonl`.
    let header: String

    /// Whether every shard wrote its embeddings (else the set's persons cannot be grouped).
    static func available(_ shards: [ShardManifest]) -> Bool {
        shards.allSatisfy { $0.outputs.contains(FaceEmbeddingsWriter.fileName) }
    }

    /// Reads every shard's embeddings and groups the set's faces, at `distance` or else the distance they were
    /// written with. (`moodline regroup` reads one unsharded set's as a set of one shard.)
    ///
    /// - Throws: `OutputError` naming the file when one cannot be read, is damaged, or its settings differ.
    init(_ shards: [ShardManifest], in directory: String, inputPath: String, distance: Double? = nil) throws {
        var faces: [Face] = [], segments: [FaceSegment] = [], offsets: [Int] = []
        let requested = distance
        var distance: Double?, length: Int?
        var offset = 0, photo = -1
        for shard in shards {
            offsets.append(offset)
            let path = (directory as NSString).appendingPathComponent(
                "\(shard.folderName)/\(FaceEmbeddingsWriter.fileName)")
            var lastFile: String?
            var headerRead = false
            for (k, line) in TextFileLines(path: path).enumerated() {
                let damaged = OutputError(path: path, message: "line \(k + 1) is not a face embedding merge can read")
                guard let data = line.data(using: .utf8),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
                else { throw damaged }
                if k == 0 {
                    guard let shardDistance = object["same_person_distance"] as? Double,
                        let shardLength = object["length"] as? Int,
                        object["embedder"] as? String == FaceEmbeddingsWriter.embedderName
                    else { throw damaged }
                    if distance.map({ $0 != shardDistance }) ?? false {
                        throw OutputError(path: path, message: "was written with other persons settings than shard 1's")
                    }
                    distance = shardDistance
                    // A shard without an embedded face states length 0: only shards with faces must agree.
                    if shardLength > 0 {
                        if length.map({ $0 != shardLength }) ?? false {
                            throw OutputError(
                                path: path, message: "holds embeddings of another length than the other shards'")
                        }
                        length = shardLength
                    }
                    headerRead = true
                    continue
                }
                guard let file = object["file"] as? String, let face = object["face"] as? Int,
                    let number = object["face_number"] as? Int, number >= 1, number <= shard.manifest.counts.faces,
                    let numbers = object["embedding"] as? [Double], numbers.count == length,
                    let open = line.range(of: "\"embedding\":["), line.hasSuffix("]}")
                else { throw damaged }
                // A new photo starts where the file changes (a shard's lines come photo by photo, in order).
                if file != lastFile { photo += 1 }
                lastFile = file
                let vector = line[open.upperBound..<line.index(line.endIndex, offsetBy: -2)]
                faces.append(Face(file: file, face: face, number: offset + number, vector: vector))
                segments.append(
                    FaceSegment(
                        id: offset + number, span: Double(photo)...Double(photo), embedding: numbers.map(Float.init),
                        face: face))
            }
            guard headerRead else {
                throw OutputError(path: path, message: "cannot be read: merge needs every shard's face embeddings")
            }
            offset += shard.manifest.counts.faces
        }
        var settings = PersonSettings()
        settings.samePersonDistance = requested ?? distance ?? settings.samePersonDistance
        self.faces = faces
        keyOffsets = offsets
        self.segments = segments
        table = PersonTable(faces: segments, settings: settings)
        header = FaceEmbeddingsWriter.header(
            input: inputPath, length: length ?? 0, samePersonDistance: settings.samePersonDistance)
    }

    /// These faces with the persons `table` gives them (a grouping a user made).
    func grouped(as table: PersonTable) -> ShardPersons {
        var copy = self
        copy.table = table
        return copy
    }

    /// Each face's row of `persons.csv`.
    var personRows: [PhotoFacePerson] {
        faces.map {
            PhotoFacePerson(number: $0.number, file: $0.file, face: $0.face, person: table.person(ofTrack: $0.number))
        }
    }

    /// Writes the whole set's `face_embeddings.jsonl` into `folder`, as one run writes it (readable by its owner
    /// only).
    func writeEmbeddings(into folder: String) throws {
        let file = try AtomicOutputFile(folder: folder, name: FaceEmbeddingsWriter.fileName, mode: 0o600)
        defer { file.discard() }
        try file.write(header)
        for face in faces {
            try file.write(
                FaceEmbeddingsWriter.photoFaceLine(
                    file: face.file, face: face.face, number: face.number, person: table.person(ofTrack: face.number),
                    vector: String(face.vector)))
        }
        try file.commit()
    }

    /// A report fragment of shard `shard` with its faces' keys counted on to the set's.
    func fragment(_ line: String, shard: Int) -> String {
        guard line.hasPrefix("P"), let space = line.firstIndex(of: " ") else { return line }
        let rest = line[line.index(after: space)...]
        guard let end = rest.firstIndex(of: " ") else { return line }
        let keys = rest[..<end].split(separator: ",", omittingEmptySubsequences: false).map { key in
            Int(key).map { String($0 + keyOffsets[shard]) } ?? String(key)
        }
        return String(line[...space]) + keys.joined(separator: ",") + String(rest[end...])
    }
}
