import Foundation

/// `run.json`: what was analysed, how, with which models, what came of it, and every error with the file and frame
/// it concerns. The one type that writes the file and the one that every reader (a rerun, `merge`, the batch
/// index) decodes.
struct RunManifest: Codable, Equatable {
    /// The program that wrote the file.
    struct Tool: Codable, Equatable {
        var name = "moodline"
        var version = MoodlineVersion.string
    }

    /// How the run was made, for a rerun to decide whether it may skip or must refuse the folder.
    struct Record: Codable, Equatable {
        var inputPath: String
        /// The input's fingerprint; nil (written as null) for an input that has none, such as a stream.
        var fingerprint: String?
        var toolVersion: String

        enum CodingKeys: String, CodingKey {
            case inputPath = "input_path", fingerprint, toolVersion = "tool_version"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(inputPath, forKey: .inputPath)
            try container.encode(fingerprint, forKey: .fingerprint)
            try container.encode(toolVersion, forKey: .toolVersion)
        }
    }

    /// What was read: a video or stream with its media facts, or a photo set with its files.
    struct Input: Codable, Equatable {
        /// A file of a photo folder that was not read, and why.
        struct Skipped: Codable, Equatable {
            var file: String
            var reason: String
        }

        /// The input as it was given (a file, a folder, a URL).
        var path: String
        /// `video`, `stream` or `photos`.
        var kind: String
        /// The file's size, or the photos' sizes added up; none for a stream.
        var sizeBytes: Int?
        /// The media probe's facts (snake-case keys), for a video or stream.
        var media: JSONValue?
        /// Photos in the set.
        var files: Int?
        var skipped: [Skipped]?

        enum CodingKeys: String, CodingKey {
            case path, kind, sizeBytes = "size_bytes", media, files, skipped
        }
    }

    /// One model's weights, as `ModelRecord` holds them.
    struct Model: Codable, Equatable {
        var name: String
        var file: String
        var sha256: String
        var licence: String
        var source: String
    }

    /// What the analysis counted.
    struct Counts: Codable, Equatable {
        var framesDecoded, framesSkipped, framesSampled, faces, tracks, filesRead, errors: Int
        /// Persons the tracks were grouped into, and faces the embedder read to do so.
        var persons, facesEmbedded: Int
        /// Frames whose whole picture was searched for faces: every analysed frame, unless faces were followed
        /// between searches (`detector.scheme` `follow`).
        var framesSearched: Int

        enum CodingKeys: String, CodingKey {
            case framesDecoded = "frames_decoded", framesSkipped = "frames_skipped", framesSampled = "frames_sampled"
            case faces, tracks, filesRead = "files_read", errors, persons, facesEmbedded = "faces_embedded"
            case framesSearched = "frames_searched"
        }

        init(
            framesDecoded: Int = 0, framesSkipped: Int = 0, framesSampled: Int = 0, faces: Int = 0, tracks: Int = 0,
            filesRead: Int = 0,
            errors: Int = 0, persons: Int = 0, facesEmbedded: Int = 0, framesSearched: Int = 0
        ) {
            (self.framesDecoded, self.framesSkipped, self.framesSampled) = (framesDecoded, framesSkipped, framesSampled)
            (self.faces, self.tracks, self.filesRead, self.errors) = (faces, tracks, filesRead, errors)
            (self.persons, self.facesEmbedded, self.framesSearched) = (persons, facesEmbedded, framesSearched)
        }

        // A count an earlier version did not keep (`frames_skipped` came later) reads as 0.
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let count = { (key: CodingKeys) in try c.decodeIfPresent(Int.self, forKey: key) ?? 0 }
            self.init(
                framesDecoded: try count(.framesDecoded), framesSkipped: try count(.framesSkipped),
                framesSampled: try count(.framesSampled),
                faces: try count(.faces), tracks: try count(.tracks), filesRead: try count(.filesRead),
                errors: try count(.errors), persons: try count(.persons), facesEmbedded: try count(.facesEmbedded),
                // Before faces were followed every sampled frame was searched.
                framesSearched: try c.decodeIfPresent(Int.self, forKey: .framesSearched) ?? count(.framesSampled))
        }

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(
                framesDecoded: a.framesDecoded + b.framesDecoded, framesSkipped: a.framesSkipped + b.framesSkipped,
                framesSampled: a.framesSampled + b.framesSampled, faces: a.faces + b.faces, tracks: a.tracks + b.tracks,
                filesRead: a.filesRead + b.filesRead, errors: a.errors + b.errors, persons: a.persons + b.persons,
                facesEmbedded: a.facesEmbedded + b.facesEmbedded, framesSearched: a.framesSearched + b.framesSearched)
        }
    }

    /// Seconds of wall time and of each stage, to the millisecond.
    struct Timing: Codable, Equatable {
        var wall = 0.0, decode = 0.0, detect = 0.0, register = 0.0, classify = 0.0, track = 0.0, write = 0.0
        /// The face embedder's seconds (absent from files of earlier versions: 0).
        var embed = 0.0

        init(
            wall: Double = 0, decode: Double = 0, detect: Double = 0, register: Double = 0, classify: Double = 0,
            track: Double = 0, write: Double = 0, embed: Double = 0
        ) {
            (self.wall, self.decode, self.detect, self.register) = (wall, decode, detect, register)
            (self.classify, self.track, self.write, self.embed) = (classify, track, write, embed)
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let time = { (key: CodingKeys) in try c.decodeIfPresent(Double.self, forKey: key) ?? 0 }
            self.init(
                wall: try time(.wall), decode: try time(.decode), detect: try time(.detect),
                register: try time(.register), classify: try time(.classify), track: try time(.track),
                write: try time(.write), embed: try time(.embed))
        }

        static func + (a: Timing, b: Timing) -> Timing {
            Timing(
                wall: a.wall + b.wall, decode: a.decode + b.decode, detect: a.detect + b.detect,
                register: a.register + b.register,
                classify: a.classify + b.classify, track: a.track + b.track, write: a.write + b.write,
                embed: a.embed + b.embed)
        }

        /// Each time rounded to the millisecond, as the file keeps them.
        var rounded: Timing {
            let ms = { (seconds: Double) in (seconds * 1000).rounded() / 1000 }
            return Timing(
                wall: ms(wall), decode: ms(decode), detect: ms(detect), register: ms(register), classify: ms(classify),
                track: ms(track), write: ms(write), embed: ms(embed))
        }
    }

    /// One error, with the file and (for a video) the frame it concerns.
    struct Problem: Codable, Equatable {
        var file: String
        var code: String
        var message: String
        /// Written as null when the error concerns no one frame.
        var frame: Int?

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
            try container.encode(frame, forKey: .frame)
        }
    }

    var schemaVersion = MoodlineVersion.schema
    var tool = Tool()
    var status: InputStatus
    var runRecord: Record
    var resumedAfterFiles: Int
    var input: Input
    /// The pipeline definition as used, in the pipeline file's form.
    var pipeline: JSONValue
    var models: [Model]
    var counts: Counts
    var timing: Timing
    var errors: [Problem]
    /// Every output written, `run.json` last.
    var outputs: [String]
    /// Each output's size, so a rerun can tell a complete folder from one whose files were since deleted or cut short.
    var outputBytes: [String: Int]
    /// Which part of a photo set this is, for a shard.
    var shard: ShardOrigin?
    var subjectReading: SubjectReading?
    /// Where one shot ends and the next begins, for a video or stream whose tracks end at cuts; left out otherwise.
    var shotCuts: [ShotCut]?
    /// How `moodline regroup` last grouped the tracks into persons (`table persons.csv`, `same_person_distance
    /// 0.700`); left out for a folder as the analysis wrote it.
    var regroupedBy: String?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", tool, status, runRecord = "run_record", resumedAfterFiles =
            "resumed_after_files"
        case input, pipeline, models, counts, timing = "timing_s", errors, outputs, outputBytes = "output_bytes", shard
        case subjectReading = "subject_reading", shotCuts = "shot_cuts", regroupedBy = "regrouped_by"
    }

    init(
        status: InputStatus, runRecord: Record, resumedAfterFiles: Int, input: Input, pipeline: JSONValue,
        models: [Model], counts: Counts,
        timing: Timing, errors: [Problem], outputs: [String], outputBytes: [String: Int], shard: ShardOrigin?,
        subjectReading: SubjectReading?, shotCuts: [ShotCut]? = nil
    ) {
        (self.status, self.runRecord, self.resumedAfterFiles, self.input, self.pipeline) = (
            status, runRecord, resumedAfterFiles, input, pipeline
        )
        (self.models, self.counts, self.timing, self.errors) = (models, counts, timing, errors)
        (self.outputs, self.outputBytes, self.shard, self.subjectReading) = (
            outputs, outputBytes, shard, subjectReading
        )
        self.shotCuts = shotCuts
    }

    // What earlier versions of schema 2 did not write yet reads as none: no resumed photos, no output sizes (so a
    // rerun analyses again), no shard, no reading.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        tool = try c.decode(Tool.self, forKey: .tool)
        status = try c.decode(InputStatus.self, forKey: .status)
        runRecord = try c.decode(Record.self, forKey: .runRecord)
        resumedAfterFiles = try c.decodeIfPresent(Int.self, forKey: .resumedAfterFiles) ?? 0
        input = try c.decode(Input.self, forKey: .input)
        pipeline = try c.decode(JSONValue.self, forKey: .pipeline)
        models = try c.decode([Model].self, forKey: .models)
        counts = try c.decode(Counts.self, forKey: .counts)
        timing = try c.decode(Timing.self, forKey: .timing)
        errors = try c.decode([Problem].self, forKey: .errors)
        outputs = try c.decode([String].self, forKey: .outputs)
        outputBytes = try c.decodeIfPresent([String: Int].self, forKey: .outputBytes) ?? [:]
        shard = try c.decodeIfPresent(ShardOrigin.self, forKey: .shard)
        subjectReading = try c.decodeIfPresent(SubjectReading.self, forKey: .subjectReading)
        shotCuts = try c.decodeIfPresent([ShotCut].self, forKey: .shotCuts)
        regroupedBy = try c.decodeIfPresent(String.self, forKey: .regroupedBy)
    }

    /// The manifest in `folder`, if a complete one that this version can read is there.
    static func read(folder: String) -> RunManifest? {
        guard
            let data = FileManager.default.contents(
                atPath: (folder as NSString).appendingPathComponent(OutputFolder.manifestName))
        else {
            return nil
        }
        return try? JSONDecoder().decode(RunManifest.self, from: data)
    }

    /// Writes the manifest as `folder/run.json` (pretty, sorted keys), atomically.
    func write(folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw OutputError(
                path: (folder as NSString).appendingPathComponent(OutputFolder.manifestName),
                message: "the manifest holds a value JSON cannot store")
        }
        let file = try AtomicOutputFile(folder: folder, name: OutputFolder.manifestName)
        do {
            try file.write(String(decoding: data, as: UTF8.self) + "\n")
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// Each finished output's size in `folder`; a file that is not there has none.
    static func outputBytes(_ names: [String], folder: String) -> [String: Int] {
        var sizes: [String: Int] = [:]
        for name in names { sizes[name] = size(ofFile: (folder as NSString).appendingPathComponent(name)) }
        return sizes
    }

    /// The size of the file at `path` (of a link itself, not what it points to); nil when there is none.
    static func size(ofFile path: String) -> Int? {
        var status = stat()
        return lstat(path, &status) == 0 ? Int(status.st_size) : nil
    }
}
