import Foundation

/// A sink whose whole file comes from the finish event (track summaries, episodes, the outcome): it ignores the
/// frames and writes its file in one go under a temporary name, renamed into place when complete.
protocol SummarySink: FrameSink {
    /// The input's output folder.
    var folder: String { get }
    /// The file's contents.
    func contents(for event: FinishEvent) throws -> String
}

extension SummarySink {
    func consume(_ frame: TrackedFrame) throws {}
    func discard() {}

    func finish(_ event: FinishEvent) throws {
        try WholeFile.write(text: try contents(for: event), to: (folder as NSString).appendingPathComponent(fileName))
    }
}

extension FinishEvent {
    /// "1" for the subject's tracks, "0" for the others (the `subject` column of the per-track tables).
    func subjectFlag(_ trackID: Int) -> String { isSubject(track: trackID) ? "1" : "0" }

    /// Track `id`'s person as a table cell (empty for a track with none).
    func personCell(_ trackID: Int) -> String { person(ofTrack: trackID).map(String.init) ?? "" }
}
