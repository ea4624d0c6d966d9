import Foundation
import MoodlineMedia

/// A video file, read by FFmpeg as exactly that file (or, through `open`, another single stream of frames in time,
/// like an image sequence).
struct VideoFileSource: FrameSource {
    let path: String
    let options: DecoderOptions
    /// Leave undecoded the frames that sampling cannot take and no other frame refers to.
    let skipsUnsampledFrames: Bool
    /// Opens the reader (the file at `path`, by default).
    private let opener: ((DecoderOptions) throws -> MediaReader)?
    private var reader: MediaReader?

    init(
        path: String, options: DecoderOptions, skipsUnsampledFrames: Bool,
        open: ((DecoderOptions) throws -> MediaReader)? = nil
    ) {
        self.path = path
        self.options = options
        self.skipsUnsampledFrames = skipsUnsampledFrames
        self.opener = open
    }

    mutating func open() throws -> SourceFacts {
        let reader = try opener?(options) ?? MediaReader(path: path, options: options)
        self.reader = reader
        var status = stat()
        return SourceFacts(media: reader.info, sizeBytes: stat(path, &status) == 0 ? Int(status.st_size) : nil)
    }

    func expectedFrames(_ sampling: SamplingMode) -> Int? {
        reader.flatMap { $0.info.expectedFrames(sampling, start: options.startSeconds, end: options.endSeconds) }
    }

    mutating func frames(sampler: inout FrameSampler, deliver: (SourceItem) -> Bool) -> SourceEnd {
        guard let reader else { return SourceEnd() }
        return Self.frames(
            of: reader, path: path, sampler: &sampler, skipsUnsampledFrames: skipsUnsampledFrames, deliver: deliver)
    }

    /// Decodes `reader`'s frames through the sampler, leaving undecoded those it cannot take (when asked), and
    /// hands each sampled one to `deliver` until it returns false. Shared with `StreamSource`.
    /// `retime` gives each frame the index and time the sampler and the consumer see (a reopened live stream's go
    /// on from the last connection's).
    static func frames(
        of reader: MediaReader, path: String, sampler: inout FrameSampler, skipsUnsampledFrames: Bool,
        retime: (FrameTiming) -> FrameTiming = { $0 }, deliver: (SourceItem) -> Bool
    ) -> SourceEnd {
        var end = SourceEnd()
        // The planner asks, packets ahead, what the sampler could take; the sampler's settings are all it needs.
        let planning = sampler
        do {
            let summary = try reader.decodeFrames(
                select: { sampler.accepts(retime($0)) },
                wants: skipsUnsampledFrames ? { planning.mayAccept($0) } : nil
            ) { frame in
                let item = SourceItem(
                    timing: retime(frame.timing), pixels: frame.pixels, scaleToSource: frame.scaleToSource,
                    file: nil, fileIndex: nil, framesDecoded: 1, problems: [])
                guard deliver(item) else { throw EndedByConsumer() }
            }
            end.framesDecoded = summary.framesDecoded
            end.framesSkipped = summary.framesSkipped
            end.problems = summary.problems.map { InputProblem.reading($0, file: path) }
            end.readFailed = summary.readFailed
        } catch is EndedByConsumer {
            // The consumer stopped (it knows why).
        } catch {
            end.problems.append(InputProblem.reading(error, file: path))
        }
        return end
    }

    private struct EndedByConsumer: Error {}
}
