import Foundation
import MoodlineMedia
import MoodlineNN

/// One unit of a batch: a video, or a set of photos that share one set of output files.
public struct PlannedInput: Sendable, Equatable {
    /// What the input is and how it is read: a video file, a photo set, a stream, an image sequence.
    public let source: any InputSource
    /// The path as given on the command line.
    public let path: String
    /// The output folder's name under the output directory: safe (never `.`, `..`, hidden or with control
    /// characters), unique in the batch, and the same whatever the order of the inputs.
    public let outputName: String
    /// For a shard of a photo set (`--shard K/N`): the part it is and the whole set it was cut from.
    public let shardOf: ShardOrigin?
    /// What a person knows the input by where that is not its path (an upload's name, not where the server stored
    /// it): what reports show. Nil: the path.
    public let shownPath: String?

    public init(
        source: some InputSource, path: String, outputName: String, shardOf: ShardOrigin? = nil,
        shownPath: String? = nil
    ) {
        self.init(anySource: source, path: path, outputName: outputName, shardOf: shardOf, shownPath: shownPath)
    }

    /// An input whose kind is known only at run time (a planner's list of several kinds).
    public init(
        anySource source: any InputSource, path: String, outputName: String, shardOf: ShardOrigin? = nil,
        shownPath: String? = nil
    ) {
        self.source = source
        self.path = path
        self.outputName = outputName
        self.shardOf = shardOf
        self.shownPath = shownPath
    }

    /// The input as reports show it: `shownPath`, else the path.
    public var shown: String { shownPath ?? path }

    /// A path made absolute against the working folder and standardised: what identifies an input across runs and
    /// what exports link to.
    public static func absolutePath(_ path: String) -> String {
        let absolute =
            path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (absolute as NSString).standardizingPath
    }

    /// What the input is: live, readable twice, a photo set.
    public var traits: SourceTraits { source.traits }

    public static func == (a: PlannedInput, b: PlannedInput) -> Bool {
        a.path == b.path && a.outputName == b.outputName && a.shardOf == b.shardOf && a.shownPath == b.shownPath
            && a.source.isEqual(to: b.source)
    }
}

/// A part of a batch for one of several processes: `index` of `count`, counting from 1.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Parses `K/N` with 1 ≤ K ≤ N; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 100_000, (1...n).contains(k)
        else { return nil }
        self.init(index: k, count: n)
    }

    /// Shard `index` of `count` (1 ≤ index ≤ count), as a plan names it.
    init(index: Int, count: Int) {
        precondition((1...max(count, 1)).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }
    /// The suffix a shard's photo-set folder carries, e.g. `.shard-2-of-3`.
    public var folderSuffix: String { ".shard-\(index)-of-\(count)" }
}

/// What the planner made of the command line.
public struct BatchPlan: Sendable {
    public var inputs: [PlannedInput]
    /// Paths given or found that cannot be analysed and must be reported: missing, broken links, loops, names
    /// that are not UTF-8.
    public var problems: [SkippedPath]

    public init(inputs: [PlannedInput], problems: [SkippedPath] = []) {
        self.inputs = inputs
        self.problems = problems
    }
}

/// Turns command-line paths into the batch's inputs.
public enum InputPlanner {
    /// Each video is an input; the photos of each folder given are one input; a photo named on its own is one
    /// input.
    ///
    /// With a `shard`, videos and single photos are dealt out in turn (the i-th goes to shard i mod N), and each
    /// folder's sorted photos are cut into N contiguous runs, shard K's run written to `NAME.shard-K-of-N`, so
    /// `moodline merge` can join them in order.
    ///
    /// Paths a kind of input claims by their form (`InputSources`: `-` and stream URLs, `frames/%05d.png`) are
    /// those inputs, not files to look for.
    ///
    /// With `options.confinedTo`, files and folders are taken only where they resolve inside it (`InputDiscovery`).
    ///
    /// `placement` (a `WorkPlan`'s, by path) puts each video and single photo on its shard instead of in turn.
    public static func plan(
        _ paths: [String], shard: Shard? = nil, options: InputOptions = InputOptions(),
        placement: [String: Int]? = nil
    ) -> BatchPlan {
        let root = options.confinedTo
        var kinds: [(source: any InputSource, path: String, base: String)] = []
        var seen: Set<String> = []
        var claimedPaths: Set<String> = []
        for path in paths {
            guard let claimed = InputSources.claim(path, options: options) else { continue }
            claimedPaths.insert(path)
            if seen.insert(claimed.path).inserted { kinds.append((claimed.source, claimed.path, claimed.folderName)) }
        }
        let discovered = InputDiscovery.discover(paths.filter { !claimedPaths.contains($0) }, confinedTo: root)
        var photosByFolder: [String: [String]] = [:]
        for file in discovered.files {
            let stem = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
            switch (file.folder, file.kind) {
            case (let folder?, .photo?):
                if photosByFolder[folder] == nil {
                    // The folder's input takes its place where its first photo appears.
                    kinds.append(
                        (
                            PhotoSetInput.photos(root: folder, files: [], skipped: []), folder,
                            (folder as NSString).lastPathComponent
                        ))
                }
                photosByFolder[folder, default: []].append(file.path)
            case (nil, .photo?):
                kinds.append((PhotoSetInput.photos(root: nil, files: [file.path], skipped: []), file.path, stem))
            default:
                kinds.append((VideoFileInput.video(path: file.path), file.path, stem))
            }
        }
        // Names are given over the whole batch before it is dealt out, so every shard names a folder as the
        // unsharded run does, whatever else its part holds.
        let names = uniqueNames(kinds.map { ($0.path, $0.base) })
        var inputs: [PlannedInput] = []
        var dealt = 0
        for ((source, path, _), name) in zip(kinds, names) {
            guard let root = source.fileList?.root else {
                // A video or single photo: dealt to one shard.
                defer { dealt += 1 }
                if let shard, (placement?[path] ?? dealt % shard.count + 1) != shard.index { continue }
                inputs.append(PlannedInput(anySource: source, path: path, outputName: name))
                continue
            }
            let prefix = root.hasSuffix("/") ? root : root + "/"
            let skipped = discovered.skipped.filter { !$0.isError && $0.path.hasPrefix(prefix) }
            let files = photosByFolder[root] ?? []
            guard let shard else {
                inputs.append(
                    PlannedInput(
                        source: .photos(root: root, files: files, skipped: skipped), path: path, outputName: name))
                continue
            }
            // The whole listing is recorded, so merge can tell shards cut from different states of the folder.
            let whole = PlannedInput(
                source: .photos(root: root, files: files, skipped: []), path: path, outputName: name)
            let origin = ShardOrigin(
                index: shard.index, count: shard.count, setFiles: files.count,
                setFingerprint: whole.source.fingerprint()?.text ?? "")
            let part = Array(files[ShardOrigin.range(files: files.count, index: shard.index, count: shard.count)])
            inputs.append(
                PlannedInput(
                    source: .photos(root: root, files: part, skipped: shard.index == 1 ? skipped : []), path: path,
                    outputName: name + shard.folderSuffix, shardOf: origin))
        }
        return BatchPlan(inputs: inputs, problems: discovered.skipped.filter(\.isError))
    }

    /// Names for the inputs' folders. A name shared (ignoring case, for case-insensitive disks) by several
    /// inputs gets a suffix from a hash of each one's absolute path, so every input keeps the same folder
    /// whatever else is in the batch, in whatever order.
    public static func uniqueNames(_ inputs: [(path: String, base: String)]) -> [String] {
        let safe = inputs.map { safeName($0.base) }
        var counts: [String: Int] = [:]
        for name in safe { counts[name.lowercased(), default: 0] += 1 }
        var names = zip(inputs, safe).map { input, name in
            counts[name.lowercased(), default: 0] > 1 ? name + "-" + pathTag(input.path) : name
        }
        // A hashed name can only meet another input's plain name by design of a hostile batch; number those.
        var used: Set<String> = []
        for i in names.indices {
            var candidate = names[i], n = 2
            while !used.insert(candidate.lowercased()).inserted {
                candidate = names[i] + "-\(n)"
                n += 1
            }
            names[i] = candidate
        }
        return names
    }

    /// Eight hex digits of the SHA-256 of the absolute path.
    static func pathTag(_ path: String) -> String {
        String(SHA256.hexDigest(Array(PlannedInput.absolutePath(path).utf8)).prefix(8))
    }

    /// A folder name that stays inside the output folder and shows on any terminal: control characters become
    /// `_`, a name that is empty, `.`/`..` or hidden gets a leading `_`, and long names are cut to 200 bytes.
    public static func safeName(_ base: String) -> String {
        var name = String(
            String.UnicodeScalarView(
                base.unicodeScalars.map { scalar in
                    scalar.properties.generalCategory == .control || scalar == "/" || scalar == "\\" ? "_" : scalar
                }))
        if name.isEmpty || name.hasPrefix(".") { name = "_" + name }
        while name.utf8.count > 200 { name.removeLast() }
        return name
    }
}
