import Foundation

/// `moodline regroup`: writes a recorded video's outputs again for another grouping of its tracks into persons (a
/// photo set's for another grouping of its faces: `PhotoRegrouping`), from
/// what its run kept (`readings.bin`, `run.json`, and `face_embeddings.jsonl` where written), without decoding or
/// running a network. The frames are fed through the same `ReadingsTail` and sinks as in the analysis, so the
/// folder ends as a rerun with that grouping would leave it. `annotated.mp4` (which names tracks, not persons) and
/// `readings.bin` stay as they are.
///
/// While the outputs are rewritten the folder has no `run.json` (so it does not look complete): it waits aside as
/// `.run.json.regrouping`, from which an interrupted regroup starts again, and the new one is written last.
public enum Regrouping {
    /// What regrouping one folder came to.
    public struct Outcome: Sendable {
        public let folder: String
        public let personsBefore: Int
        public let persons: Int
        /// The main subject's person ID (nil when the rule is `all`).
        public let subject: Int?
        /// The subject's (or longest-seen person's) leading emotion and its share of their time.
        public let subjectReading: (emotion: Emotion, share: Double)?
    }

    /// Where `run.json` waits while a regroup replaces the outputs.
    static let manifestAside = ".run.json.regrouping"

    /// Regroups the input whose outputs are in `folder` by `grouping` (nil: the folder's own `persons.csv`, as the
    /// user edited it).
    ///
    /// - Throws: `RegroupError` (or the output error) naming the file at fault; the folder is left as it was
    ///   unless the outputs were being replaced.
    public static func regroup(folder: String, by grouping: PersonGrouping? = nil) throws -> Outcome {
        let file = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        let aside = file(Self.manifestAside)
        guard
            let manifest = RunManifest.read(folder: folder)
                ?? FileManager.default.contents(atPath: aside).flatMap({
                    try? JSONDecoder().decode(RunManifest.self, from: $0)
                })
        else {
            throw RegroupError(
                path: file(OutputFolder.manifestName),
                message: "is missing or unreadable: this folder holds no finished analysis to regroup")
        }
        if let shard = manifest.shard {
            throw RegroupError(
                path: folder,
                message:
                    "is shard \(shard.index) of \(shard.count) of a photo set: merge the shards (moodline merge), then regroup the merged folder"
            )
        }
        if manifest.input.kind == "photos" {
            return try PhotoRegrouping.regroup(
                folder: folder, manifest: manifest, grouping: grouping ?? .table(path: file(PersonsCSVWriter.fileName)),
                aside: aside)
        }
        guard manifest.input.kind == "video" else {
            throw RegroupError(
                path: folder,
                message:
                    "regroup works on a recorded video's or a photo set's outputs (this is a \(manifest.input.kind)); run the analysis again with --same-person-distance"
            )
        }
        guard manifest.outputs.contains(ReadingsRecord.fileName),
            FileManager.default.fileExists(atPath: file(ReadingsRecord.fileName))
        else {
            throw RegroupError(
                path: file(ReadingsRecord.fileName),
                message:
                    "is missing: this run kept no readings to regroup (an earlier version, or --formats without readings); run the analysis again"
            )
        }
        var definition = try PipelineFile.parse(
            try JSONEncoder().encode(manifest.pipeline), source: file(OutputFolder.manifestName))
        guard definition.tracking.enabled else {
            throw RegroupError(path: folder, message: "this run did not track faces, so has no persons to regroup")
        }
        let grouping = grouping ?? .table(path: file(PersonsCSVWriter.fileName))
        let embeddingsPath = file(FaceEmbeddingsWriter.fileName)
        let embeddings =
            FileManager.default.fileExists(atPath: embeddingsPath) ? try readEmbeddings(embeddingsPath) : nil
        var table: [Int: Int]?
        switch grouping {
        case .table(let path):
            table = try PersonGrouping.readTable(path)
        case .distance(let distance):
            guard embeddings != nil else {
                throw RegroupError(
                    path: embeddingsPath,
                    message: "is missing: grouping at another distance needs the run's embeddings (--write-embeddings)")
            }
            definition.persons.samePersonDistance = distance
            try definition.validate(source: "--same-person-distance")
        }

        let input = PlannedInput(
            source: VideoFileInput(path: manifest.input.path), path: manifest.input.path,
            outputName: (folder as NSString).lastPathComponent)
        var tail = ReadingsTail(input: input, definition: definition, folder: folder)
        tail.sinks = try sinks(
            for: definition, input: input, folder: folder, manifest: manifest, embeddings: embeddings)
        do {
            let end = try ReadingsRecordFile(path: file(ReadingsRecord.fileName)).read { tracked in
                if tracked.frame.hasPicture {
                    guard tracked.trackIDs.allSatisfy({ $0 != nil }) else {
                        throw RegroupError(
                            path: file(ReadingsRecord.fileName), message: "is damaged: a face without its track")
                    }
                    tail.countPicture(at: tracked.frame.stamp.timeSeconds)
                    tail.addReadings(of: tracked.frame, trackIDs: tracked.trackIDs.map { $0 ?? 0 })
                }
                try tail.deliver(tracked)
            }
            var outcome = InputOutcome(outputFolder: folder)
            outcome.status = manifest.status
            outcome.media = end.media
            outcome.framesDecoded = manifest.counts.framesDecoded
            outcome.framesSkipped = manifest.counts.framesSkipped
            outcome.framesSampled = end.framesSampled
            outcome.faces = end.faces
            outcome.facesEmbedded = end.facesEmbedded
            outcome.framesSearched = manifest.counts.framesSearched
            outcome.problems = end.problems
            outcome.shotCuts = end.shotCuts
            outcome.analysedSeconds = tail.analysedSeconds
            outcome.analysedFrames = tail.framesWithPicture
            _ = try tail.finish(into: &outcome) { tracks, facesOfTrack in
                let persons = try group(
                    tracks, table: table, grouping: grouping, embeddings: embeddings, settings: definition.persons,
                    sightings: end.sightings, facesOfTrack: facesOfTrack)
                // The grouping stands: from here the outputs are replaced one by one, and the folder must not look
                // complete until the new run.json says so (the old one waits aside, for a retry).
                if rename(file(OutputFolder.manifestName), aside) != 0 && errno != ENOENT {
                    throw OutputError(
                        path: file(OutputFolder.manifestName),
                        message: "cannot be set aside: \(String(cString: strerror(errno)))")
                }
                return persons
            }
            var updated = manifest
            updated.pipeline = PipelineFile.json(definition)
            updated.counts.persons = outcome.persons
            updated.subjectReading = outcome.subjectReading.map {
                SubjectReading(emotion: $0.emotion.rawValue, share: $0.share)
            }
            updated.outputs = outcome.outputs + [OutputFolder.manifestName]
            updated.outputBytes = RunManifest.outputBytes(outcome.outputs, folder: folder)
            updated.regroupedBy = grouping.description(in: folder)
            try updated.write(folder: folder)
            unlink(aside)
            return Outcome(
                folder: folder, personsBefore: manifest.counts.persons, persons: outcome.persons,
                subject: outcome.subject, subjectReading: outcome.subjectReading)
        } catch {
            tail.discardSinks()
            throw error
        }
    }

    /// The run's sinks, in its order: made anew for every output but those that do not change with persons
    /// (`annotated.mp4`, `readings.bin`), which stay as they are (`KeptOutput`), and the embeddings where the file
    /// is gone.
    private static func sinks(
        for definition: PipelineDefinition, input: PlannedInput, folder: String, manifest: RunManifest,
        embeddings: [Int: [Float]]?
    ) throws -> [(format: OutputFormat, sink: any FrameSink)] {
        var sinks: [(format: OutputFormat, sink: any FrameSink)] = []
        do {
            for format in definition.outputs.formats {
                if format == .annotatedVideo || format.rawValue == "readings" {
                    for entry in OutputSinks.entries(format.rawValue, for: input.traits)
                    where manifest.outputs.contains(entry.file)
                        && FileManager.default.fileExists(
                            atPath: (folder as NSString).appendingPathComponent(entry.file))
                    {
                        sinks.append((format, KeptOutput(fileName: entry.file)))
                    }
                    continue
                }
                if format == .faceEmbeddings && embeddings == nil { continue }
                var one = definition
                one.outputs.formats = [format]
                sinks += try OutputSinks.make(for: one) { _ in
                    SinkContext(folder: folder, input: input, definition: definition)
                }
            }
        } catch {
            for entry in sinks { entry.sink.discard() }
            throw error
        }
        return sinks
    }

    /// The persons of `tracks`: as the table says, or clustered from the kept embeddings.
    private static func group(
        _ tracks: [TrackSummary], table: [Int: Int]?, grouping: PersonGrouping, embeddings: [Int: [Float]]?,
        settings: PersonSettings, sightings: [Int: FaceSighting], facesOfTrack: [Int: Int]
    ) throws -> PersonTable {
        let ordered = tracks.sorted { ($0.firstSeconds, $0.id) < ($1.firstSeconds, $1.id) }
        let segments = ordered.compactMap { track in
            embeddings?[track.id].map {
                FaceSegment(id: track.id, span: track.firstSeconds...track.lastSeconds, embedding: $0)
            }
        }
        var groupOfTrack: [Int: Int]
        if let table {
            if case .table(let path) = grouping { try PersonGrouping.check(table, tracks: tracks, path: path) }
            groupOfTrack = table
        } else {
            let groups = PersonClustering(threshold: Float(settings.samePersonDistance)).persons(of: segments)
            groupOfTrack = Dictionary(uniqueKeysWithValues: zip(segments.map(\.id), groups))
        }
        return PersonTable(
            tracks: tracks, groupOfTrack: groupOfTrack, sightings: sightings, facesOfTrack: facesOfTrack,
            segments: segments)
    }

    /// The tracks' embeddings in a `face_embeddings.jsonl`: every one of the length its first line states, and
    /// finite (the file may have been edited by hand).
    static func readEmbeddings(_ path: String) throws -> [Int: [Float]] {
        var embeddings: [Int: [Float]] = [:]
        var length: Int?
        for (number, line) in TextFileLines(path: path).enumerated() where !line.isEmpty {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if number == 0 {
                length = object?["length"] as? Int
                continue
            }
            guard let object, let track = object["track"] as? Int, let vector = object["embedding"] as? [Double],
                vector.count == length, vector.allSatisfy(\.isFinite)
            else {
                throw RegroupError(
                    path: path, message: "line \(number + 1) is not a track's embedding of \(length ?? 0) numbers")
            }
            embeddings[track] = vector.map { Float($0) }
        }
        return embeddings
    }
}

extension PersonGrouping {
    /// How `run.json` records the grouping a folder was regrouped by.
    func description(in folder: String) -> String {
        switch self {
        case .table(let path):
            let name = path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
            return "table \(name)"
        case .distance(let distance):
            return "same_person_distance \(FixedPoint.format(distance, decimals: 3))"
        }
    }
}

/// An output regrouping leaves as it is (it does not depend on persons): listed where the run listed it.
final class KeptOutput: FrameSink {
    let fileName: String

    init(fileName: String) { self.fileName = fileName }

    func consume(_ frame: TrackedFrame) throws {}
    func finish(_ event: FinishEvent) throws {}
    func discard() {}
}

extension Regrouping {
    /// The folders `regroup` works on for `path`: the folder itself when it is an input's (it has a `run.json`),
    /// else its subfolders that hold a run's readings, in name order.
    public static func inputFolders(in path: String) -> [String] {
        let file = { (folder: String, name: String) in (folder as NSString).appendingPathComponent(name) }
        let isInput = { (folder: String) in
            FileManager.default.fileExists(atPath: file(folder, OutputFolder.manifestName))
                || FileManager.default.fileExists(atPath: file(folder, manifestAside))
        }
        if isInput(path) { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        // A video's readings, or a photo set's kept rows.
        let kept =
            [ReadingsRecord.fileName] + PersonColumnRows.unknownCells.keys.sorted().map(PersonColumnRows.keptRowsName)
        // Shards are regrouped as the merged set, not one by one.
        return names.sorted().filter { ShardMerge.parse($0) == nil }.map { file(path, $0) }.filter { folder in
            kept.contains { FileManager.default.fileExists(atPath: file(folder, $0)) } && isInput(folder)
        }
    }

    /// Writes the batch's `index.html` in `directory` again, where there is one, so it shows the new readings.
    public static func refreshIndex(in directory: String) {
        guard FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("index.html"))
        else { return }
        try? BatchIndex.write(problems: [], outputDirectory: directory)
    }
}
