import Foundation
import MoodlineMedia

/// Makes a `WorkPlan`, and tells whether one still matches its inputs.
public enum WorkPlanner {
    /// Lists the batch as an unsharded run would, costs every unit, and places the units on `shards` shards.
    ///
    /// Each photo folder is cut into `shards` slices, slice K on shard K. Videos and single photos are then placed
    /// largest first, each on the shard with the least work so far (the lowest numbered on a tie); units of equal
    /// cost go in path order. The same inputs therefore give the same plan.
    ///
    /// - Throws: `WorkPlan.Problem` for an input that is not a file or folder (a stream, standard input, an image
    ///   sequence), which no plan can cost or cut.
    public static func plan(
        _ paths: [String], shards: Int, options: InputOptions = InputOptions(),
        probe: (String) -> MediaInfo? = { try? MediaReader(path: $0).info }
    ) throws -> (plan: WorkPlan, problems: [SkippedPath]) {
        if let stream = paths.first(where: { InputSources.claim($0, options: options) != nil }) {
            throw WorkPlan.Problem(
                description:
                    "\(stream): a plan is made of video files, photos and folders; a stream or an image sequence cannot be costed or cut"
            )
        }
        precondition(shards >= 1, "a plan needs at least one shard")
        // Made absolute as `run.json` records input paths, so every task reads the same files from any folder.
        let absolute = paths.map(PlannedInput.absolutePath)
        let batch = InputPlanner.plan(absolute, options: options)
        var units: [WorkPlan.Unit] = []
        for input in batch.inputs {
            let fingerprint = input.source.fingerprint()?.text
            if let list = input.source.fileList, list.root != nil {
                for index in 1...shards {
                    let part = list.files[ShardOrigin.range(files: list.files.count, index: index, count: shards)]
                    let bytes = part.reduce(0) { $0 + fileSize($1) }
                    units.append(
                        WorkPlan.Unit(
                            kind: .photos, path: input.path,
                            output: input.outputName + Shard(index: index, count: shards).folderSuffix, shard: index,
                            costSeconds: rounded(WorkCost.photos(count: part.count, bytes: bytes)),
                            photos: part.count, fingerprint: fingerprint))
                }
            } else if input.source.fileList != nil {
                units.append(
                    WorkPlan.Unit(
                        kind: .photo, path: input.path, output: input.outputName, shard: 0,
                        costSeconds: rounded(WorkCost.photos(count: 1, bytes: fileSize(input.path))),
                        fingerprint: fingerprint))
            } else if input.source is VideoFileInput {
                let info = probe(input.path)
                let cost = WorkCost.video(
                    seconds: info?.durationSeconds, frameRate: info?.averageFrameRate ?? info?.realFrameRate,
                    width: info?.width ?? 0, height: info?.height ?? 0)
                units.append(
                    WorkPlan.Unit(
                        kind: .video, path: input.path, output: input.outputName, shard: 0,
                        costSeconds: rounded(cost), durationSeconds: info?.durationSeconds.map(rounded),
                        fingerprint: fingerprint))
            } else {
                throw WorkPlan.Problem(description: "\(input.path): cannot be part of a plan")
            }
        }
        let loads = place(&units, shards: shards)
        let plan = WorkPlan(
            schemaVersion: WorkPlan.currentSchema, tool: "moodline \(MoodlineVersion.string)", shards: shards,
            inputs: absolute, costModel: WorkCost.description, shardCostSeconds: loads.map(rounded), units: units)
        return (plan, batch.problems)
    }

    /// Places the units not yet on a shard (shard 0) largest first on the least loaded shard; returns the loads.
    static func place(_ units: inout [WorkPlan.Unit], shards: Int) -> [Double] {
        var loads = [Double](repeating: 0, count: shards)
        for unit in units where unit.shard > 0 { loads[unit.shard - 1] += unit.costSeconds }
        let order = units.indices.filter { units[$0].shard == 0 }.sorted {
            (units[$0].costSeconds, units[$1].path) > (units[$1].costSeconds, units[$0].path)
        }
        for i in order {
            // min(by:) keeps the first of equal loads: the lowest numbered shard.
            let target = loads.indices.min { loads[$0] < loads[$1] }!
            units[i].shard = target + 1
            loads[target] += units[i].costSeconds
        }
        return loads
    }

    /// Checks that `plan` describes `batch`, the inputs as they are now listed (unsharded): the same videos, photos
    /// and folders, with the same fingerprints and output folders.
    ///
    /// - Throws: `WorkPlan.Problem` naming what was added, removed or changed since the plan was made.
    public static func check(_ plan: WorkPlan, against batch: BatchPlan) throws {
        var planned: [String: WorkPlan.Unit] = [:]
        for unit in plan.units where planned[unit.path] == nil { planned[unit.path] = unit }
        var changes: [String] = []
        var seen: Set<String> = []
        for input in batch.inputs {
            seen.insert(input.path)
            guard let unit = planned[input.path] else {
                changes.append("\(input.path) is new")
                continue
            }
            let output =
                unit.kind == .photos
                ? input.outputName + Shard(index: unit.shard, count: plan.shards).folderSuffix : input.outputName
            if unit.fingerprint != input.source.fingerprint()?.text {
                changes.append(
                    unit.kind == .photos ? "\(input.path) has other photos" : "\(input.path) has changed")
            } else if unit.output != output {
                changes.append("\(input.path) would be written to another folder")
            }
        }
        for unit in plan.units where !seen.contains(unit.path) {
            seen.insert(unit.path)
            changes.append("\(unit.path) is gone")
        }
        guard changes.isEmpty else {
            let shown = changes.prefix(5).joined(separator: "; ")
            let more = changes.count > 5 ? " (and \(changes.count - 5) more)" : ""
            throw WorkPlan.Problem(
                description:
                    "the plan no longer matches its inputs: \(shown)\(more). Make it again with `moodline plan`, and run every task with the new plan"
            )
        }
    }

    private static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    private static func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
