import Foundation

/// A batch cut into shards by cost (`moodline plan`): every unit of work, what it is expected to cost and the shard
/// that runs it. Each task of an array reads the same plan (`moodline analyze --plan plan.json --shard auto`), so
/// the shards are balanced by work rather than by count, and a plan made from other inputs than the task finds is
/// refused instead of silently mixed.
///
/// A unit is a video or a single photo, placed whole on one shard, or one of the N contiguous slices of a photo
/// folder (slice K on shard K, as `--shard K/N` cuts it, so `moodline merge` joins the slices as it always has).
public struct WorkPlan: Codable, Sendable, Equatable {
    /// The layout of plan.json; a task refuses a plan of another layout.
    public static let currentSchema = 1

    /// The layout of this plan (`currentSchema` when made by this Moodline).
    public var schemaVersion: Int
    /// The Moodline that made the plan.
    public var tool: String
    /// How many shards (array tasks) the batch is cut into.
    public var shards: Int
    /// The inputs, as absolute paths: every task analyses these, whatever its working directory.
    public var inputs: [String]
    /// What `costSeconds` estimates (`WorkCost.description`).
    public var costModel: String
    /// Each shard's estimated cost, shard 1 first.
    public var shardCostSeconds: [Double]
    /// Every unit, in the batch's order.
    public var units: [Unit]

    /// What a unit is.
    public enum UnitKind: String, Codable, Sendable {
        /// A video, placed whole on one shard.
        case video
        /// A photo named on its own, placed whole on one shard.
        case photo
        /// Slice K of a photo folder, on shard K.
        case photos
    }

    /// One unit of work.
    public struct Unit: Codable, Sendable, Equatable {
        public var kind: UnitKind
        /// The video's or photo's path, or the folder's.
        public var path: String
        /// The folder its results go to, under the output folder.
        public var output: String
        /// The shard that runs it, from 1.
        public var shard: Int
        /// Its estimated cost (`WorkPlan.costModel`).
        public var costSeconds: Double
        /// A video's duration, when its container gives one.
        public var durationSeconds: Double?
        /// A slice's photos.
        public var photos: Int?
        /// The input's fingerprint as run.json records it (a folder's: the whole set's), to tell a changed input.
        public var fingerprint: String?

        enum CodingKeys: String, CodingKey {
            case kind, path, output, shard, photos, fingerprint
            case costSeconds = "cost_s"
            case durationSeconds = "duration_s"
        }
    }

    enum CodingKeys: String, CodingKey {
        case tool, shards, inputs, units
        case schemaVersion = "schema_version"
        case costModel = "cost_model"
        case shardCostSeconds = "shard_cost_s"
    }

    /// The shard of each video and single photo, by path: what `InputPlanner` deals by in place of taking turns.
    public var placement: [String: Int] {
        var placed: [String: Int] = [:]
        for unit in units where unit.kind != .photos { placed[unit.path] = unit.shard }
        return placed
    }

    /// The plan as plan.json holds it: keys sorted, two-space indents, one file for the same inputs every time.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Reads plan.json.
    ///
    /// - Throws: `WorkPlan.Problem` when it cannot be read, is not a plan, or is of another layout.
    public static func read(_ path: String) throws -> WorkPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "\(path): cannot be read")
        }
        let plan: WorkPlan
        do {
            plan = try JSONDecoder().decode(WorkPlan.self, from: data)
        } catch {
            throw Problem(description: "\(path): not a plan made by `moodline plan` (\(error))")
        }
        guard plan.schemaVersion == currentSchema else {
            throw Problem(
                description:
                    "\(path): a plan of layout \(plan.schemaVersion), which this Moodline does not read; make it again")
        }
        guard plan.shards >= 1, plan.units.allSatisfy({ (1...plan.shards).contains($0.shard) }) else {
            throw Problem(description: "\(path): a unit's shard lies outside 1 to \(plan.shards)")
        }
        return plan
    }

    /// Why a plan cannot be made or used.
    public struct Problem: Error, CustomStringConvertible {
        /// What is wrong, naming the file or input.
        public let description: String
    }
}
