import Foundation

/// The server's lines about its jobs, on its standard error: each job's start (what it analyses) and end (its
/// status, time, frames and problems), so whoever runs the server sees what it is doing and what came of it.
enum JobLog {
    /// Logs that `job` has started.
    static func started(_ job: AnalysisJob) {
        let names = job.inputs.map(\.name)
        let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
        write("job \(job.id) started: \(shown)")
    }

    /// Logs how `job` ended, `seconds` after it started.
    static func ended(_ job: AnalysisJob, seconds: Double) {
        let state = job.snapshot
        var line = "job \(job.id) \(state.status.rawValue) in \(String(format: "%.1f", seconds)) s: "
        line += "\(state.inputs.count) input(s), \(state.framesDone) frame(s), \(state.problems.count) problem(s)"
        if let error = state.error { line += "; \(error)" }
        write(line)
    }

    private static func write(_ text: String) {
        // A name comes from a browser or a request: no control character reaches the terminal.
        let line = String(
            String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        let clock = ISO8601DateFormatter.string(
            from: Date(), timeZone: .current, formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime])
        FileHandle.standardError.write(Data("\(clock.replacingOccurrences(of: "T", with: " "))  \(line)\n".utf8))
    }
}
