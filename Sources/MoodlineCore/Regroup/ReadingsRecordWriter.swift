import Foundation

/// Writes `readings.bin` (`ReadingsRecord`) for a recorded video with tracks, so `moodline regroup` can write its
/// outputs again for another grouping into persons. About 2.5 KB a face (its aligned crop, for the report's
/// thumbnails, is most of it).
final class ReadingsRecordWriter: FrameSink {
    private let file: AtomicOutputFile
    var fileName: String { ReadingsRecord.fileName }

    init(context: SinkContext) throws {
        file = try AtomicOutputFile(folder: context.folder, name: ReadingsRecord.fileName)
        try file.write(bytes: ReadingsRecord.magic)
    }

    func consume(_ frame: TrackedFrame) throws {
        try file.write(bytes: ReadingsRecord.framed(ReadingsRecord.frameTag, ReadingsRecord.encode(frame)))
    }

    func finish(_ event: FinishEvent) throws {
        let o = event.outcome
        let end = ReadingsRecord.End(
            sightings: event.persons.sightings, framesSampled: o.framesSampled, faces: o.faces,
            facesEmbedded: o.facesEmbedded, problems: o.problems, media: o.media, shotCuts: o.shotCuts)
        try file.write(bytes: ReadingsRecord.framed(ReadingsRecord.endTag, ReadingsRecord.encode(end)))
        try file.commit()
    }

    func discard() { file.discard() }
}
