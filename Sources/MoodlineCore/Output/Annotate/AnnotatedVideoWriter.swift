import Foundation
import MoodlineMedia

/// Writes `annotated.mp4` (`--annotate`): the input video with each face's box, track, label and confidence drawn
/// on it (uncertain readings dashed grey; with `--annotate-bars` the seven probabilities beside each face), a colour
/// legend and the source time on every frame, the audio copied through, at the source's timestamps and upright.
///
/// The sampled frames' results are kept (boxes and labels only) as they come; at the finish the video is decoded
/// again in full and every frame is drawn with the results of the latest sampled frame at or before it, held for
/// at most `holdSeconds`, then encoded (`MediaReader.writeCopy`). This second pass costs a full decode and an
/// encode, so it is opt-in.
final class AnnotatedVideoWriter: FrameSink {
    /// How long a sampled frame's marks stay on screen when no later sample replaces them.
    static let holdSeconds = 1.0

    private let folder: String
    private let source: any InputSource
    private let decode: DecodeSettings
    /// Whether each face gets its seven probabilities as bars (`outputs.annotate_bars`).
    private let bars: Bool
    private var samples: [(seconds: Double, marks: [FrameAnnotator.Mark])] = []
    var fileName: String { "annotated.mp4" }
    /// A video that cannot be written again (an odd stream, a full disk) leaves the tables and the report standing.
    var isOptional: Bool { true }

    init(context: SinkContext) {
        folder = context.folder
        source = context.input.source
        decode = context.definition.decode
        bars = context.definition.outputs.annotateBars
    }

    func consume(_ frame: TrackedFrame) throws {
        guard frame.frame.hasPicture else { return }
        samples.append((frame.frame.stamp.timeSeconds, FrameAnnotator.marks(frame, bars: bars)))
    }

    func discard() {}

    func finish(_ event: FinishEvent) throws {
        let reader = try source.openAgain(
            DecoderOptions(layout: .rgb, startSeconds: decode.startSeconds, endSeconds: decode.effectiveEndSeconds))
        // The partial file is created here (exclusively, never through a link); the encoder then writes into it.
        let file = try AtomicOutputFile(folder: folder, name: fileName)
        do {
            var next = 0
            _ = try reader.writeCopy(to: file.partialPath) { picture, timing in
                while next < samples.count && samples[next].seconds <= timing.timeSeconds + 1e-6 { next += 1 }
                let held = next > 0 && timing.timeSeconds - samples[next - 1].seconds <= Self.holdSeconds
                // Every frame gets the legend and its time; the marks where a sample is recent enough.
                FrameAnnotator.draw(held ? samples[next - 1].marks : [], on: &picture, seconds: timing.timeSeconds)
            }
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}
