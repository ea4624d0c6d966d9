import Dispatch
import Foundation
import MoodlineCore
import MoodlineMedia

/// One live camera connection: decodes the pictures the page sends, analyses them with the shared analyser and
/// keeps the connection's tracks, so that a face keeps its number from frame to frame.
///
/// All mutable state is touched only on `queue`, one frame at a time; the analysis is CPU work that would block
/// Swift's cooperative pool, so it runs there rather than in the WebSocket's task.
final class LiveSession: @unchecked Sendable {
    private let queue = DispatchQueue(label: "moodline.serve.live")
    private let analyzer: FrameAnalyzer
    private let decoder: StillImageDecoder
    private var tracks: TrackAssigner
    private var cuts: ShotCutDetector
    private let started = ContinuousClock.now
    private var sequence = 0
    private let pictures: PictureMemoryBudget

    init(analyzer: FrameAnalyzer, tracking: TrackSettings, maximumSide: Int, pictures: PictureMemoryBudget) throws {
        self.analyzer = analyzer
        self.pictures = pictures
        decoder = try StillImageDecoder(maximumSide: maximumSide, name: "live frame")
        tracks = TrackAssigner(settings: tracking)
        cuts = ShotCutDetector(settings: tracking)
    }

    /// The faces in one picture (JPEG or PNG bytes); a picture that cannot be decoded comes back with `error`.
    func analyse(_ bytes: [UInt8], dropped: Int) async -> LiveFrameResult {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                continuation.resume(returning: analyseNow(bytes, dropped: dropped))
            }
        }
    }

    private func analyseNow(_ bytes: [UInt8], dropped: Int) -> LiveFrameResult {
        let clock = ContinuousClock()
        let arrived = clock.now
        let seconds = ((arrived - started).seconds * 1000).rounded() / 1000
        let number = sequence
        sequence += 1
        // Judged by its header first: a frame over the size limit, or one that does not fit in the picture memory
        // now, is answered without a pixel decoded.
        let header = DeclaredPictureSize.read(from: bytes)
        if let header {
            guard max(header.width, header.height) <= decoder.maximumSide else {
                return LiveFrameResult(
                    frame: number, seconds: seconds, dropped: dropped,
                    error:
                        "frame \(number): \(header.width)x\(header.height) is larger than \(decoder.maximumSide) pixels a side"
                )
            }
            guard pictures.tryReserve(header.decodedByteCount) else {
                return LiveFrameResult(
                    frame: number, seconds: seconds, dropped: dropped,
                    error: "frame \(number): dropped: the server is busy decoding other pictures")
            }
        }
        defer { if let header { pictures.release(header.decodedByteCount) } }
        let pixels: PixelBuffer
        do {
            pixels = try decoder.decode(bytes)
        } catch let error as MediaError {
            return LiveFrameResult(
                frame: number, seconds: seconds, dropped: dropped, error: "frame \(number): \(error.message)")
        } catch {
            return LiveFrameResult(
                frame: number, seconds: seconds, dropped: dropped, error: "frame \(number): \(error)")
        }
        let sampled = SampledFrame(
            stamp: FrameStamp(sequence: number, index: number, timeSeconds: seconds), pixels: pixels, scaleToSource: 1)
        let analysed = analyzer.analyse(sampled)
        if let failure = analysed.failure {
            return LiveFrameResult(
                frame: number, seconds: seconds, dropped: dropped, error: "frame \(number): \(failure)")
        }
        // The camera turned to another scene: as in a video, no face keeps its number across the cut.
        if tracks.settings.endAtCuts, let signature = analysed.signature, cuts.isCut(before: signature) {
            tracks.endAllTracks()
        }
        // Nothing here summarises ended tracks; forgetting them keeps a long session's memory flat.
        _ = tracks.takeEnded()
        let ids = tracks.assign(analysed.faces.map(\.detection.box), at: seconds)
        let faces = zip(ids, analysed.faces).map { id, face in LiveFrameResult.Face(track: id, face: face) }
        var result = LiveFrameResult(frame: number, seconds: seconds, dropped: dropped, error: nil)
        result.width = pixels.width
        result.height = pixels.height
        result.faces = faces
        result.analysisMilliseconds = ((clock.now - arrived).seconds * 10_000).rounded() / 10
        return result
    }
}
