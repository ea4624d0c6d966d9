/// Writes `tracks.jsonl` for a live input: one line per track, written (and flushed) as soon as the track ends,
/// so a stream that runs for hours reports each person as they leave. At the end of the run the tracks still on
/// screen follow, marked `"on_screen_at_end":true`. Each line is the track's summary as in `tracks.json`, without
/// the timeline and without `subject` (chosen only at the end).
final class TrackEndsWriter: FrameSink {
    private let file: AtomicOutputFile
    private var written: Set<Int> = []
    var fileName: String { file.name }

    init(context: SinkContext) throws {
        file = try AtomicOutputFile(folder: context.folder, name: "tracks.jsonl", live: true)
    }

    func consume(_ frame: TrackedFrame) throws {
        guard !frame.endedTracks.isEmpty else { return }
        for track in frame.endedTracks { try line(track, onScreenAtEnd: false, picture: nil) }
        try file.flush()
    }

    func finish(_ event: FinishEvent) throws {
        let picture = event.outcome.media?.pictureSize
        for track in event.tracks where !written.contains(track.id) {
            try line(track, onScreenAtEnd: true, picture: picture)
        }
        try file.commit()
    }

    func discard() { file.discard() }

    private func line(_ track: TrackSummary, onScreenAtEnd: Bool, picture: PictureSize?) throws {
        written.insert(track.id)
        try file.write(
            "{" + TracksJSONWriter.summaryFields(track, isSubject: nil, picture: picture)
                + ",\"on_screen_at_end\":\(onScreenAtEnd)}\n")
    }
}
