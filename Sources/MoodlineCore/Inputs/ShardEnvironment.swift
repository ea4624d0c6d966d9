/// `--shard auto`: this task's shard, read from the array job's environment as Slurm, Kubernetes and AWS Batch set
/// it, so one command line serves every task of the array.
///
/// | engine | variables | base |
/// |---|---|---|
/// | Slurm job array | `SLURM_ARRAY_TASK_ID` (and `_MIN`, `_MAX`, `_COUNT` for N) | 1: K = ID; N from `auto/N`, or the array's count when it is exactly `--array=1-N` |
/// | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` | 0: K = index + 1; N from `auto/N` (Kubernetes does not set it) |
/// | AWS Batch array job | `AWS_BATCH_JOB_ARRAY_INDEX` | 0: K = index + 1; N from `auto/N` |
///
/// Slurm's indices are the user's own, so they are read as shard numbers: a rerun of some tasks
/// (`--array=3,5` with `--shard auto/8`) takes shards 3 and 5 of 8. A missing variable, a number that is not one, an
/// index outside the array, N missing where the array does not give it, or two engines' variables that disagree is
/// an error, never a guess: two tasks that took one shard would analyse it twice and leave another undone.
public enum ShardEnvironment {
    /// Why the shard cannot be read from the environment.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Whether `text` asks for the environment's shard (`auto` or `auto/N`).
    public static func isAuto(_ text: String) -> Bool { text == "auto" || text.hasPrefix("auto/") }

    /// The shard `text` (`auto`, or `auto/N` with N the number of tasks) names in `environment`.
    ///
    /// - Throws: `Problem` saying which variable is missing or wrong.
    public static func shard(_ text: String, environment: [String: String]) throws -> Shard {
        var given: Int?
        if text != "auto" {
            guard let n = Int(text.dropFirst("auto/".count)), n >= 1, n <= 100_000 else {
                throw Problem(
                    description: "--shard auto/N needs N, the number of tasks, from 1 to 100000 (got '\(text)')")
            }
            given = n
        }
        var found: [(engine: String, shard: Shard)] = []
        if let id = environment["SLURM_ARRAY_TASK_ID"] {
            found.append(("Slurm", try slurm(id: id, environment, given: given)))
        }
        for (engine, variable) in [("Kubernetes", "JOB_COMPLETION_INDEX"), ("AWS Batch", "AWS_BATCH_JOB_ARRAY_INDEX")] {
            guard let value = environment[variable] else { continue }
            guard let index = Int(value), index >= 0 else {
                throw Problem(description: "\(variable)=\(value) is not an index of 0 or more")
            }
            guard let count = given else {
                throw Problem(
                    description:
                        "\(engine) sets \(variable) but not the number of tasks: give it as --shard auto/N (N = the job's completions or array size)"
                )
            }
            guard index < count, let shard = Shard("\(index + 1)/\(count)") else {
                throw Problem(
                    description:
                        "\(variable)=\(index) is outside an array of \(count) tasks (indices 0 to \(count - 1))")
            }
            found.append((engine, shard))
        }
        guard let first = found.first else {
            throw Problem(
                description:
                    "--shard auto found no array task in the environment (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX); run it as an array task, or give --shard K/N"
            )
        }
        if let other = found.first(where: { $0.shard != first.shard }) {
            throw Problem(
                description:
                    "the environment names two shards: \(first.engine) \(first.shard) and \(other.engine) \(other.shard); give --shard K/N"
            )
        }
        return first.shard
    }

    private static func slurm(id text: String, _ environment: [String: String], given: Int?) throws -> Shard {
        guard let id = Int(text) else {
            throw Problem(description: "SLURM_ARRAY_TASK_ID=\(text) is not a number")
        }
        let count: Int
        if let given {
            count = given
        } else {
            // The array's count is N only for a whole array numbered 1 to N.
            let numbers = ["SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT"].map {
                environment[$0].flatMap { Int($0) }
            }
            guard let minimum = numbers[0], let maximum = numbers[1], let total = numbers[2], minimum == 1,
                maximum == total
            else {
                throw Problem(
                    description:
                        "this Slurm array is not numbered 1 to N (--array=1-N), so it does not say how many shards there are: give --shard auto/N"
                )
            }
            count = total
        }
        guard (1...count).contains(id), let shard = Shard("\(id)/\(count)") else {
            throw Problem(
                description:
                    "SLURM_ARRAY_TASK_ID=\(id) is not a shard of \(count): number the array's tasks from 1 (--array=1-\(count))"
            )
        }
        return shard
    }
}
