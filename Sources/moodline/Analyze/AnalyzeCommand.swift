import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN

/// `moodline analyze`: the main job.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find faces, read their emotions and write per-frame and per-track timelines.",
        discussion: """
            Each input gets a folder OUTPUT/NAME/ with frames.csv (one row per face per sampled frame), frames.jsonl \
            (one object per sampled frame), tracks.json (per-track summaries and smoothed timelines) and run.json \
            (what was run, with which models, and every error). The interview pipeline adds report.html (open it in a \
            browser to check the readings by eye), episodes.csv, timeline.csv and seconds.csv (per track, for a \
            spreadsheet), and episodes.eaf, episodes.vtt and episodes.srt (for ELAN, BORIS and video players); the \
            photos pipeline adds report.html and photos.csv. OUTPUT/index.html links every input's report. Choose \
            outputs with --formats. Files appear under their final names only when complete.

            Videos use Pipelines/interview.json and photos Pipelines/photos.json unless --pipeline names another; \
            the flags below override the pipeline's settings. A folder is searched recursively: its photos share one \
            set of outputs (with a `file` column), and each video in it gets its own.

            Live inputs: `-` reads standard input (e.g. `ffmpeg ... -f mpegts - | moodline analyze - -o out`), \
            rtsp://, http(s)://, udp://, rtp://, srt://, rtmp:// and tcp:// URLs are read as streams (only through \
            those protocols, never the file system), and /dev/video0 is a V4L2 camera. A live input has no known \
            length: it is sampled by timestamp, frames.csv and frames.jsonl are written under their final names as \
            frames are done (follow them with `tail -f`), tracks.jsonl gets each track as it ends, and it ends at the \
            stream's end, after --duration, on Ctrl-C (outputs complete, status stopped) or after --stall-timeout \
            seconds without data (reported). A network stream or camera that stalls or drops is opened again (--reconnect \
            times in a row, 5 by default) and its times go on by the time it was away. Its folder is named stdin, after the camera \
            (video0), or after the host and path.

            Image sequences: a path with a printf-style number in its file name, like 'frames/%05d.png' (five digits \
            with leading zeros) or 'shot-%d.jpg', is read as one video of numbered pictures at --sequence-rate frames \
            per second (25 by default): frame n is at n / rate seconds, and it gets a video's outputs and pipeline. The \
            numbers start at 0 to 4 and go on without a gap. Quote the path so the shell leaves the % alone.

            Rerunning the same command skips inputs whose results are complete and whose file (size, time, and a \
            hash of its first and last MiB), pipeline and models are unchanged; changed ones are redone, a photo \
            folder that was interrupted resumes after its last checkpoint, and --overwrite redoes everything. \
            Ctrl-C (SIGINT) or SIGTERM stops cleanly: no half-written file is left, and a rerun finishes the rest; a \
            second Ctrl-C stops at once.

            Split a large batch over several processes or machines with --shard K/N (K = 1..N), or --shard auto in \
            a Slurm, Kubernetes or AWS Batch array job: each takes its part of the sorted inputs, a photo folder's \
            part going to NAME.shard-K-of-N/, which `moodline merge` joins. To balance the shards by work rather \
            than by count (a 2-hour video beside 2-minute ones), make a plan once with `moodline plan` and run every \
            task with --plan plan.json --shard auto.

            For a study: --segments FILE adds segments.csv, a row per segment (question, utterance, stimulus) and \
            person with face coverage, mean probabilities, valence and arousal, and the episodes in it. FILE is an \
            .srt or .vtt transcript, an ELAN .eaf (--segment-tiers picks tiers) or a CSV of start,end,label[,speaker]; \
            --segments auto takes each video's own (interview.srt beside interview.mp4). `moodline agree` compares \
            the readings with a human coder's.

            The last line for each input says what was found: faces, tracks, and the main subject's (or longest \
            track's) leading emotion and its share of the time, or a warning when no face was found.

            Exit status, for people and schedulers: 0 when every input succeeded and had faces; 1 when inputs were \
            bad (damaged, unreadable or missing: each is named in its run.json and on the console, the others \
            finished; a retry fails the same way); 3 when nothing failed but there was nothing to read: no video or \
            photo among the inputs (an empty folder), or an input in which no face was found; 75 when this process \
            failed at its own work (an output it could not write, a full disk, missing or damaged weights: retry it, \
            and it resumes); 64 for bad usage; 130 after SIGINT and 143 after SIGTERM (a rerun resumes); 137 when \
            the system killed it (out of memory).

            Examples:
              moodline analyze Samples/WolfgangLanger_Pexels.mp4 --output results
              moodline analyze interviews/ --output results --fps 2 --detector short_range
              moodline analyze event-photos/ -o results --pipeline photos --jobs 2
              moodline analyze event-photos/ -o results --shard 2/8
              moodline analyze event-photos/ -o results --shard auto      (in a Slurm array task)
              moodline analyze --plan plan.json -o results --shard auto   (the inputs and N from the plan)
              ffmpeg -i camera.mp4 -c copy -f mpegts - | moodline analyze - -o results
              moodline analyze rtsp://camera.local/stream1 -o results --duration 1:00:00
              moodline analyze 'frames/%05d.png' -o results --sequence-rate 30
              moodline analyze interview.mp4 -o results --segments interview.srt
            """,
        aliases: ["analyse"]
    )

    @Argument(
        help:
            "Videos, photos, folders, image sequences ('frames/%05d.png'), or live streams (a URL, or - for standard input) to analyse."
    )
    var inputs: [String] = []

    @Option(name: [.short, .long], help: "Folder to write results into (created if needed).")
    var output: String?

    @OptionGroup(title: "Pipeline")
    var pipeline: PipelineOptions

    @Option(help: "Frames per second of an image sequence ('frames/%05d.png'): frame n is at n / rate seconds.")
    var sequenceRate = 25.0

    @Option(help: "Inputs analysed at the same time.")
    var jobs = 1

    @Option(
        help: ArgumentHelp(
            "This process's part of the batch, K of N (e.g. 2/8), for array jobs; see `moodline merge`.",
            discussion:
                "auto reads it from the array task's environment: Slurm's SLURM_ARRAY_TASK_ID (from 1: --array=1-N; give auto/N to rerun some tasks), Kubernetes' JOB_COMPLETION_INDEX or AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX (from 0; give the number of tasks as auto/N).",
            valueName: "K/N|auto|auto/N"))
    var shard: String?

    @Option(
        help: ArgumentHelp(
            "A plan made by `moodline plan`: its inputs, placed on shards by their cost; needs --shard.",
            discussion:
                "Give no inputs beside it. Every task must use the same plan; one whose inputs have changed since it was made is refused (exit 64). Each task lists and fingerprints the whole batch to check this (a stat of every photo, the ends of every video).",
            valueName: "FILE"))
    var plan: String?

    @Flag(help: "Analyse every input again, even those whose results are complete and unchanged.")
    var overwrite = false

    @OptionGroup var modelWeights: WeightsOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if plan != nil {
            guard inputs.isEmpty else {
                throw ValidationError("Give the inputs or --plan, not both: the plan names its inputs.")
            }
            guard shard != nil else {
                throw ValidationError("--plan needs --shard: K/N, or auto in an array task.")
            }
        } else if inputs.isEmpty {
            throw ValidationError("Give at least one video, photo, folder or stream (- for standard input) to analyse.")
        }
        guard output != nil else { throw ValidationError("Missing --output DIR: where to write the results.") }
        guard sequenceRate.isFinite, sequenceRate > 0, sequenceRate <= 1000 else {
            throw ValidationError("--sequence-rate must be more than 0 and at most 1000 frames per second.")
        }
        guard (1...16).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 16.") }
        let plan = try loadedPlan()
        _ = try resolvedShard(plan)
        _ = try checkedInputs(plan)
        let (video, photos) = try pipeline.definitions()
        // A segments file for every input is read now, so a mistake in it stops the run before any work.
        if let segments = video.outputs.segments, segments != OutputSettings.sidecarSegments {
            do {
                _ = try RangeFile.read(segments, tiers: video.outputs.segmentTiers)
            } catch {
                throw ValidationError("--segments: \(error)")
            }
        }
        // Each input runs a decode queue and `width` analysis workers, all of which may block on full buffers.
        let threads = jobs * (max(video.concurrency.width, photos.concurrency.width) + 1)
        guard threads <= 64 else {
            throw ValidationError(
                "--jobs \(jobs) with \(max(video.concurrency.width, photos.concurrency.width)) frames at once per input needs \(threads) threads; keep --jobs × (--concurrency + 1) at 64 or less."
            )
        }
    }

    /// The exit status of a process that failed at its own work, not on a bad input (EX_TEMPFAIL: retry it).
    static let taskFailedStatus: Int32 = 75

    /// Runs `work`; an error it throws (weights that cannot be read, an output folder that cannot be made) is
    /// printed and ends the process with `taskFailedStatus`.
    private func failingTheTask<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(Self.taskFailedStatus)
        }
    }

    /// The shard `--shard` names: K/N as given, or read from the array task's environment (`auto`). With a plan,
    /// N is the plan's: a bare `auto` takes it, and any other N is refused.
    private func resolvedShard(_ plan: WorkPlan?) throws -> Shard? {
        guard var shard else { return nil }
        if let plan, shard == "auto" { shard = "auto/\(plan.shards)" }
        let parsed: Shard
        if ShardEnvironment.isAuto(shard) {
            do {
                parsed = try ShardEnvironment.shard(shard, environment: ProcessInfo.processInfo.environment)
            } catch {
                throw ValidationError("--shard \(shard): \(error)")
            }
        } else {
            guard let given = Shard(shard) else {
                throw ValidationError("--shard must be K/N with 1 <= K <= N (e.g. 2/8), or auto, got '\(shard)'.")
            }
            parsed = given
        }
        if let plan, parsed.count != plan.shards {
            throw ValidationError(
                "--shard \(parsed): the plan cuts the batch into \(plan.shards) shards, not \(parsed.count).")
        }
        return parsed
    }

    /// The plan `--plan` names, read; nil without one.
    private func loadedPlan() throws -> WorkPlan? {
        guard let plan else { return nil }
        do {
            return try WorkPlan.read(plan)
        } catch {
            throw ValidationError("--plan \(error)")
        }
    }

    /// The paths to analyse: those given, or the plan's after checking that they are still what it was made from.
    private func checkedInputs(_ plan: WorkPlan?) throws -> [String] {
        guard let plan else { return inputs }
        do {
            try WorkPlanner.check(plan, against: InputPlanner.plan(plan.inputs))
        } catch {
            throw ValidationError("--plan \(self.plan!): \(error)")
        }
        return plan.inputs
    }

    func run() throws {
        let (videoPipeline, photoPipeline) = try pipeline.definitions()
        // validate() checked the plan against the inputs as they are.
        let plan = try loadedPlan()
        let paths = plan?.inputs ?? inputs
        try refuseStartsPastTheEnd(videoPipeline.decode.startSeconds, paths: paths)
        let models = try failingTheTask { try modelWeights.store() }
        // Frames and inputs run in parallel already; one BLAS thread per product avoids oversubscribing the cores.
        BLAS.setThreads(1)
        let reporter = ProgressRenderer(quiet: quiet)
        let stop = StopRequest()
        let signals = StopSignals(stop: stop)
        defer { withExtendedLifetime(signals) {} }
        var batch = BatchAnalysis(
            videoPipeline: videoPipeline, photoPipeline: photoPipeline, models: models,
            outputDirectory: output!, jobs: jobs, shard: try resolvedShard(plan), overwrite: overwrite,
            stop: stop)
        batch.sequenceFramesPerSecond = sequenceRate
        batch.placement = plan?.placement
        warnOfMissingTranscripts(videoPipeline, paths: paths, shard: batch.shard, placement: batch.placement)
        let outcome = try failingTheTask { try batch.run(paths: paths, reporter: reporter) }
        reporter.summarise(outcome)
        if let signal = outcome.stoppedBy { throw ExitCode(128 + signal) }
        if outcome.taskFailed { throw ExitCode(Self.taskFailedStatus) }
        if !outcome.succeeded { throw ExitCode.failure }
        if outcome.foundNothing { throw ExitCode(3) }
    }

    /// With `--segments auto`, names each video of this task's part without a transcript beside it before any work,
    /// so a study does not find out at the end that a file was misnamed (that video gets no segments.csv; the
    /// others do). Not with --quiet, which prints only errors.
    private func warnOfMissingTranscripts(
        _ video: PipelineDefinition, paths: [String], shard: Shard?, placement: [String: Int]?
    ) {
        guard video.outputs.segments == OutputSettings.sidecarSegments, !quiet else { return }
        let missing = InputPlanner.plan(paths, shard: shard, placement: placement).inputs.filter {
            $0.source is VideoFileInput && RangeFile.sidecar(of: $0.path) == nil
        }
        let shown = 20
        for input in missing.prefix(shown) {
            let stem = ((input.path as NSString).lastPathComponent as NSString).deletingPathExtension
            let names = RangeFile.extensions.map { "\(stem).\($0)" }.joined(separator: ", ")
            let line =
                "warning: --segments auto: \(input.path) has no transcript beside it (\(names)); it gets no segments.csv"
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if missing.count > shown {
            FileHandle.standardError.write(
                Data("warning: --segments auto: \(missing.count - shown) more videos have no transcript\n".utf8))
        }
    }

    /// A `--start` at or after the end of a video named on the command line would analyse nothing: refused before
    /// any work (exit 64), naming the start and the duration. Videos inside folders are not opened for this.
    private func refuseStartsPastTheEnd(_ start: Double?, paths: [String]) throws {
        guard let start, start > 0 else { return }
        for input in paths where MediaKind(fileName: input) == .video {
            guard let reader = try? MediaReader(path: input), let duration = reader.info.durationSeconds,
                start >= duration
            else { continue }
            throw ValidationError(
                String(
                    format: "--start %.2f s is at or after the end of %@, which lasts %.2f s.", start, input, duration))
        }
    }
}
