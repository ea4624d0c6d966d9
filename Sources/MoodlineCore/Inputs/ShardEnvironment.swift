/// `--shard auto`: this task's shard, read from the array job's environment as Slurm, Kubernetes and AWS Batch set
/// it, so one command line serves every task of the array.
///
/// | engine | variables | base |
/// |---|---|---|
/// | Slurm job array | `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_COUNT` | the array's first index (`--array=1-8` or `0-7`): K = ID − MIN + 1 |
/// | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` | 0: K = index + 1; N from `auto/N` (Kubernetes does not set it) |
/// | AWS Batch array job | `AWS_BATCH_JOB_ARRAY_INDEX` | 0: K = index + 1; N from `auto/N` |
///
/// A missing variable, a number that is not one, an index outside the array, an array with steps (`--array=0-15:4`,
/// whose indices are not one shard each), or two engines' variables that disagree is an error, never a guess: two
/// tasks that took one shard would analyse it twice and leave another undone.
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
        func number(_ name: String) throws -> Int {
            guard let value = environment[name] else {
                throw Problem(description: "Slurm sets SLURM_ARRAY_TASK_ID but not \(name): is this an array task?")
            }
            guard let number = Int(value) else { throw Problem(description: "\(name)=\(value) is not a number") }
            return number
        }
        let id = try number("SLURM_ARRAY_TASK_ID"), minimum = try number("SLURM_ARRAY_TASK_MIN")
        let count = try number("SLURM_ARRAY_TASK_COUNT"), maximum = try number("SLURM_ARRAY_TASK_MAX")
        guard count >= 1, maximum - minimum + 1 == count else {
            throw Problem(
                description:
                    "the Slurm array \(minimum)-\(maximum) has \(count) tasks: its indices must run without steps or gaps (e.g. --array=1-\(count)) for each to be one shard"
            )
        }
        if let given, given != count {
            throw Problem(description: "--shard auto/\(given) disagrees with the Slurm array's \(count) tasks")
        }
        guard (minimum...maximum).contains(id), let shard = Shard("\(id - minimum + 1)/\(count)") else {
            throw Problem(description: "SLURM_ARRAY_TASK_ID=\(id) is outside the array \(minimum)-\(maximum)")
        }
        return shard
    }
}
