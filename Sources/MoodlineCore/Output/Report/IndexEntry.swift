import Foundation

/// The main subject's (or the longest track's) leading emotion and its share of that track's time, kept in
/// `run.json` so the batch index can show it for inputs analysed by earlier runs.
struct SubjectReading: Codable, Equatable {
    var emotion: String
    var share: Double
}

/// One input folder's row in `OUTPUT/index.html`, read from the folder's `run.json`: the few facts the index shows,
/// read leniently (unlike `RunManifest`), so that folders written by earlier versions are listed too.
struct IndexEntry: Decodable {
    struct Counts: Decodable {
        var faces: Int?
        var tracks: Int?
    }

    var tool: RunManifest.Tool
    var status: String
    var input: RunManifest.Input
    var counts: Counts?
    var subjectReading: SubjectReading?
    var shard: ShardOrigin?
    var outputs: [String]?

    enum CodingKeys: String, CodingKey {
        case tool, status, input, counts, shard, outputs
        case subjectReading = "subject_reading"
    }

    /// The entry for `folder`; nil for a folder no finished Moodline run wrote (no `run.json`, another tool's, or
    /// one being written now).
    static func read(folder: String) -> IndexEntry? {
        guard
            let data = FileManager.default.contents(
                atPath: (folder as NSString).appendingPathComponent(OutputFolder.manifestName)),
            let entry = try? JSONDecoder().decode(IndexEntry.self, from: data), entry.tool.name == "moodline"
        else { return nil }
        return entry
    }

    /// True for a video or stream, whose tracks the index counts.
    var isVideo: Bool { input.kind != "photos" }
}
