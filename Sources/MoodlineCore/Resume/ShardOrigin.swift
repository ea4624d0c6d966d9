/// What a shard of a photo set records about the whole set it was cut from, in its `run.json` under `"shard"`:
/// which part it is, and the listing of the folder at the time (file count and the fingerprint the unsharded input
/// would have). `moodline merge` joins only shards cut from one listing, and checks it against the folder as it is.
public struct ShardOrigin: Sendable, Equatable, Codable {
    /// This shard's number, from 1.
    public let index: Int
    /// How many shards the set was cut into.
    public let count: Int
    /// Photos in the whole set when this shard was planned.
    public let setFiles: Int
    /// The whole set's fingerprint (`InputFingerprint`), as an unsharded run of the folder would record it.
    public let setFingerprint: String

    public init(index: Int, count: Int, setFiles: Int, setFingerprint: String) {
        self.index = index
        self.count = count
        self.setFiles = setFiles
        self.setFingerprint = setFingerprint
    }

    enum CodingKeys: String, CodingKey {
        case index, count
        case setFiles = "set_files"
        case setFingerprint = "set_fingerprint"
    }

    /// The photos of a set of `files` that shard `index` of `count` takes: a contiguous run of the sorted list.
    static func range(files: Int, index: Int, count: Int) -> Range<Int> {
        (files * (index - 1) / count)..<(files * index / count)
    }
}
