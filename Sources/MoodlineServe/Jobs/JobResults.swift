import Foundation
import MoodlineCore

/// What a finished batch gives a job: each input's result under the name the user knows it by, and the files
/// offered for download, taken from what the analysis reports it wrote rather than from a walk of the folder.
struct JobResults {
    let inputs: [JobState.InputResult]
    /// Paths inside the job's results folder.
    let files: [String]

    init(_ outcome: BatchOutcome, of job: AnalysisJob) {
        var offered: [String] = []
        var inputs: [JobState.InputResult] = []
        for (input, result) in outcome.results {
            let own = Self.written(result, in: input.outputName, resultsFolder: job.resultsFolder)
            offered += own
            let report = input.outputName + "/report.html"
            inputs.append(
                JobState.InputResult(
                    name: job.shownName(of: input.path), folder: input.outputName, status: result.status,
                    faces: result.faces, tracks: result.tracks,
                    report: own.contains(report) ? OutputFiles.address(job: job.id, file: report) : nil,
                    files: own.map { OutputFiles.address(job: job.id, file: $0) },
                    problems: result.problems.prefix(20).map { job.shown($0, of: input) }))
        }
        // The batch's index, beside the inputs' folders, when one was written.
        if OutputFiles.isRegularFile(job.resultsFolder + "/index.html") { offered.append("index.html") }
        self.inputs = inputs
        files = offered.sorted()
    }

    /// The files an input reports it wrote (its manifest too), as paths inside the results folder, sorted; a file
    /// that is not there as a regular file (removed, or a link) is left out.
    private static func written(_ outcome: InputOutcome, in folder: String, resultsFolder: String) -> [String] {
        Set(outcome.outputs + ["run.json"]).map { folder + "/" + $0 }
            .filter { OutputFiles.isRegularFile(resultsFolder + "/" + $0) }
            .sorted()
    }
}
