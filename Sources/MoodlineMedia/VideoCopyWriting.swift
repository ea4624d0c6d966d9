import CFFmpeg
import Foundation

/// What writing a copy of a video did.
public struct VideoCopySummary: Sendable {
    /// Frames encoded.
    public var framesWritten = 0
    /// Packets of the audio copied through.
    public var audioPackets = 0
    /// Frames left out: a timestamp not after the one before.
    public var framesSkipped = 0
    /// Frames whose size differed from the first frame's (the stream changed resolution), scaled to fit it.
    public var framesResized = 0
    /// Damage met while decoding (the copy goes on around it).
    public var problems: [MediaError] = []
}

extension MediaReader {
    /// Writes a copy of the video to `path` (a file the caller made, which is overwritten): every frame decoded at
    /// full size, upright, passed to `draw` with its timing, then encoded as H.264 (libx264; MPEG-4 part 2 where
    /// the build lacks it) in an MP4 at the source's timestamps. The first audio stream is copied through unchanged,
    /// so the copy plays in sync with its sound. With `options.startSeconds`/`endSeconds`, only that part is
    /// written (audio included). The reader must deliver RGB (`options.layout`).
    ///
    /// Sizes are cut to even numbers (4:2:0 needs them), dropping at most the last column and row. A frame whose
    /// size differs from the first one's (a resolution change mid-stream) is drawn on at its own size, then scaled
    /// to fit the copy's size, so the copy keeps every frame.
    ///
    /// - Throws: `MediaError` when the writer cannot be opened or a write fails; the file is then incomplete and
    ///   the caller removes it.
    public func writeCopy(to path: String, draw: (inout PixelBuffer, FrameTiming) -> Void) throws -> VideoCopySummary {
        precondition(options.layout == .rgb, "writeCopy needs RGB frames")
        var summary = VideoCopySummary()
        var writer: UnsafeMutablePointer<MoodlineVideoWriter>?
        defer { moodline_writer_free(writer) }
        let audioIndex = av_find_best_stream(format.pointer, AVMEDIA_TYPE_AUDIO, -1, streamIndex, nil, 0)
        let audio: UnsafeMutablePointer<AVStream>? =
            audioIndex >= 0 ? format.pointer.pointee.streams[Int(audioIndex)] : nil
        let videoStart = Double(startPts) * Double(timeBase.num) / Double(timeBase.den)
        var lastPts: Int64?
        var size = (width: 0, height: 0)
        let (partStart, partEnd) = (options.startSeconds, options.endSeconds)

        func check(_ code: Int32, _ function: String) throws {
            guard code >= 0 else {
                throw MediaError(
                    code: .ffmpeg, path: path, function: function,
                    message: "cannot write the video: \(ffmpegErrorText(code))")
            }
        }

        let decoded = try decode(
            select: { _ in true },
            otherPacket: { packet in
                guard let writer, let audio, packet.pointee.stream_index == audioIndex else { return }
                // With a part chosen, only the audio within it (times relative to the video's start, as frames are).
                let tb = audio.pointee.time_base
                let seconds = Double(packet.pointee.pts) * Double(tb.num) / Double(max(tb.den, 1)) - videoStart
                if let partStart, seconds < partStart { return }
                if let partEnd, seconds >= partEnd { return }
                try check(moodline_writer_copy_packet(writer, packet), "av_interleaved_write_frame")
                summary.audioPackets += 1
            }
        ) { frame in
            var pixels = frame.pixels
            if writer == nil {
                size = (pixels.width & ~1, pixels.height & ~1)
                guard size.width >= 2, size.height >= 2 else {
                    throw MediaError(
                        code: .ffmpeg, path: path,
                        message: "cannot write a video of \(pixels.width)x\(pixels.height) pixels")
                }
                let rate = self.format.pointer.pointee.streams[Int(streamIndex)]!.pointee.avg_frame_rate
                try check(
                    moodline_writer_open(&writer, path, Int32(size.width), Int32(size.height), timeBase, rate, audio),
                    "moodline_writer_open")
            }
            // Back to the stream's own timestamps: the time from the start, plus the start.
            let ticks = (frame.timing.timeSeconds * Double(timeBase.den) / Double(timeBase.num)).rounded()
            let pts = startPts.saturatingAdding(Int64(Swift.max(-9e18, Swift.min(9e18, ticks))))
            if let lastPts, pts <= lastPts {
                summary.framesSkipped += 1
                return
            }
            lastPts = pts
            draw(&pixels, frame.timing)
            if pixels.width & ~1 != size.width || pixels.height & ~1 != size.height {
                pixels = pixels.fitted(width: size.width, height: size.height)
                summary.framesResized += 1
            }
            try pixels.bytes.withUnsafeBufferPointer { rgb in
                try check(
                    moodline_writer_encode_rgb(writer, rgb.baseAddress, Int32(pixels.width * 3), pts),
                    "avcodec_send_frame")
            }
            summary.framesWritten += 1
        }
        summary.problems = decoded.problems
        guard let writer else {
            throw MediaError(
                code: .damagedStream, path: self.path, message: "no frame could be decoded to write a copy")
        }
        try check(moodline_writer_finish(writer), "av_write_trailer")
        return summary
    }
}
