import CFFmpeg
import Foundation

/// Opens one media file, reports its facts and decodes its frames upright into Swift pixel buffers.
///
/// A reader is confined to the queue that uses it; it is not Sendable. Every FFmpeg object it holds is freed
/// when it is released.
public final class MediaReader {
    /// The file being read.
    public let path: String
    /// The file's media facts.
    public let info: MediaInfo
    private let options: DecoderOptions

    private let format: FormatContext
    private let codec: CodecContext
    private let streamIndex: Int32
    private let timeBase: AVRational
    private let startPts: Int64
    private let orientation: Orientation
    /// The video stream's own duration from its header, when it gives one.
    private let streamDurationSeconds: Double?

    /// Opens `path`.
    ///
    /// - Throws: `MediaError` naming the path: missing, empty, not a regular file, not media, no video,
    ///   unsupported codec, image too large, or an FFmpeg failure.
    public init(path: String, options: DecoderOptions = DecoderOptions()) throws {
        self.path = path
        self.options = options
        moodline_av_log_quiet()
        try Self.checkRegularFile(path)

        format = try FormatContext(path: path)
        try checkFFmpeg(avformat_find_stream_info(format.pointer, nil), "avformat_find_stream_info", path: path,
                        errorCode: .unrecognisedFormat)
        var decoder: UnsafePointer<AVCodec>?
        let best = av_find_best_stream(format.pointer, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        if best == AVERROR_DECODER_NOT_FOUND_CODE {
            throw MediaError(code: .unsupportedCodec, path: path, function: "av_find_best_stream",
                             message: "no decoder for this file's video codec")
        }
        guard best >= 0, let decoder, let stream = format.pointer.pointee.streams[Int(best)] else {
            throw MediaError(code: .noVideoStream, path: path, function: "av_find_best_stream",
                             message: "no video stream or image in this file")
        }
        streamIndex = best
        timeBase = stream.pointee.time_base
        let parameters = stream.pointee.codecpar!

        let codedWidth = Int(parameters.pointee.width), codedHeight = Int(parameters.pointee.height)
        guard codedWidth > 0, codedHeight > 0 else {
            throw MediaError(code: .unrecognisedFormat, path: path, function: "avformat_find_stream_info",
                             message: "the video stream has no picture size; the file is damaged or not media")
        }
        guard codedWidth * codedHeight <= options.maxPixels else {
            throw MediaError(code: .imageTooLarge, path: path,
                             message: "picture of \(codedWidth)x\(codedHeight) is over the limit of \(options.maxPixels) pixels")
        }

        codec = try CodecContext(codec: decoder, path: path)
        try checkFFmpeg(avcodec_parameters_to_context(codec.pointer, parameters), "avcodec_parameters_to_context", path: path)
        codec.pointer.pointee.thread_count = Int32(options.threads)
        codec.pointer.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        if options.keyFramesOnly { codec.pointer.pointee.skip_frame = AVDISCARD_NONKEY }
        try checkFFmpeg(avcodec_open2(codec.pointer, decoder, nil), "avcodec_open2", path: path, errorCode: .unsupportedCodec)

        let start = stream.pointee.start_time
        startPts = start == moodline_av_nopts_value() ? 0 : start
        orientation = Self.streamOrientation(stream)
        streamDurationSeconds = stream.pointee.duration > 0 && timeBase.num > 0 && timeBase.den > 0
            ? Double(stream.pointee.duration) * Double(timeBase.num) / Double(timeBase.den) : nil

        let formatName = String(cString: format.pointer.pointee.iformat.pointee.name)
        let isStill = Self.isStillImageFormat(formatName)
        let displayed = orientation.displayedSize(width: codedWidth, height: codedHeight)
        let durationSeconds = Self.duration(format: format.pointer, stream: stream)
        let frameCount = stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil
        var hasAudio = false
        for i in 0..<Int(format.pointer.pointee.nb_streams) {
            if format.pointer.pointee.streams[i]?.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO { hasAudio = true }
        }
        info = MediaInfo(
            container: formatName,
            codec: String(cString: avcodec_get_name(parameters.pointee.codec_id)),
            pixelFormat: pixelFormatName(parameters.pointee.format),
            width: displayed.width, height: displayed.height,
            codedWidth: codedWidth, codedHeight: codedHeight,
            rotationDegrees: orientation.clockwiseDegrees, mirrored: orientation.mirrored,
            durationSeconds: isStill ? nil : durationSeconds,
            averageFrameRate: isStill ? nil : Self.rate(stream.pointee.avg_frame_rate),
            realFrameRate: isStill ? nil : Self.rate(stream.pointee.r_frame_rate),
            frameCount: isStill ? 1 : frameCount,
            hasAudio: hasAudio,
            isStillImage: isStill)
    }

    /// Decodes frames in presentation order.
    ///
    /// `select` sees each frame's timing before its pixels are converted; only frames it accepts are converted
    /// to `options.layout`, turned upright and passed to `body`. A still image yields its first frame, at time 0.
    /// Damage in the stream (a bad packet, a file that ends early) does not throw: it is recorded in the
    /// summary's `problems` with the frame index where it happened, and decoding goes on where it can.
    ///
    /// - Throws: what `body` throws, and `MediaError` for failures that stop decoding before any frame.
    public func decodeFrames(select: (FrameTiming) -> Bool = { _ in true },
                             _ body: (DecodedFrame) throws -> Void) throws -> DecodeSummary {
        let packet = try Packet(path: path)
        let frame = try Frame(path: path)
        let converter = PixelConverter()
        var summary = DecodeSummary()
        var lastPts: Int64? = nil
        var lastDuration: Int64 = 0
        var readFailure: Int32? = nil
        var unlisted = 0
        var lastTimeSeconds: Double? = nil

        // Records damage; a badly broken stream can fail on every packet, so only the first few are listed.
        func note(_ problem: MediaError) {
            if summary.problems.count < Self.maximumListedProblems { summary.problems.append(problem) } else { unlisted += 1 }
        }

        // Hands every frame the decoder has ready to `select` and `body`; returns false when done early.
        func drain() throws -> Bool {
            while true {
                switch FFmpegStatus(avcodec_receive_frame(codec.pointer, frame.pointer)) {
                case .ok:
                    break
                case .needsMoreInput, .endOfStream:
                    return true
                case .failed(let code):
                    // A picture that cannot be decoded: note where, and go on with the next packet.
                    note(MediaError(code: .damagedStream, path: path, function: "avcodec_receive_frame",
                                    message: "damaged data: \(ffmpegErrorText(code))", frameIndex: summary.framesDecoded))
                    return true
                }
                defer { av_frame_unref(frame.pointer) }
                var pts = frame.pointer.pointee.best_effort_timestamp
                if pts == moodline_av_nopts_value() {
                    // Timestamps come from the file: a crafted one may sit next to Int64's limits, so saturate.
                    pts = (lastPts ?? startPts).saturatingAdding(lastPts == nil ? 0 : max(lastDuration, 1))
                }
                let frameDuration = moodline_frame_duration(frame.pointer)
                lastDuration = frameDuration > 0 ? frameDuration : (lastPts.map { pts.saturatingSubtracting($0) } ?? 0)
                lastPts = pts
                let timing = frameTiming(pts: pts, decodedCount: summary.framesDecoded, frame: frame.pointer)
                lastTimeSeconds = timing.timeSeconds
                summary.framesDecoded += 1
                if select(timing) {
                    let (stored, scale) = try converter.convert(frame.pointer, layout: options.layout, maximumSide: options.maximumSide,
                                                                  path: path, index: timing.index)
                    let pixels = frameOrientation(frame.pointer).apply(to: stored)
                    summary.framesDelivered += 1
                    try body(DecodedFrame(timing: timing, pixels: pixels, scaleToSource: scale))
                }
                if info.isStillImage { return false }
            }
        }

        reading: while true {
            let code = av_read_frame(format.pointer, packet.pointer)
            if code < 0 {
                if code != moodline_averror_eof() { readFailure = code }
                break reading
            }
            defer { av_packet_unref(packet.pointer) }
            guard packet.pointer.pointee.stream_index == streamIndex else { continue }
            var sent = false
            while !sent {
                switch FFmpegStatus(avcodec_send_packet(codec.pointer, packet.pointer)) {
                case .needsMoreInput:
                    // The decoder is full: take its frames out, then send this packet again.
                    guard try drain() else { return summary }
                    continue
                case .failed(let code):
                    // A damaged packet: note it and go on with the next one.
                    note(MediaError(code: .damagedStream, path: path, function: "avcodec_send_packet",
                                    message: "damaged data: \(ffmpegErrorText(code))", frameIndex: summary.framesDecoded))
                case .ok, .endOfStream:
                    break
                }
                sent = true
            }
            guard try drain() else { return summary }
        }
        // Flush the decoder: frames it still holds come out now.
        _ = avcodec_send_packet(codec.pointer, nil)
        _ = try drain()
        if unlisted > 0 {
            summary.problems.append(MediaError(code: .damagedStream, path: path,
                                               message: "\(unlisted) more damaged packets or pictures (not listed)",
                                               frameIndex: summary.framesDecoded))
        }

        if let readFailure {
            summary.problems.append(MediaError(code: .damagedStream, path: path, function: "av_read_frame",
                                               message: "reading stopped early: \(ffmpegErrorText(readFailure))",
                                               frameIndex: summary.framesDecoded))
        } else if let expectedEnd = streamDurationSeconds, !info.isStillImage, !options.keyFramesOnly,
                  let lastSeconds = lastTimeSeconds, lastSeconds.isFinite,
                  lastSeconds < expectedEnd - max(1.0, expectedEnd * 0.02) {
            // The stream stopped well short of the duration its header gives: the file is truncated or damaged.
            // (The header's frame count is no guide: an edit list cuts frames that it still counts.)
            summary.problems.append(MediaError(code: .damagedStream, path: path,
                                               message: "the stream ended at \(Self.secondsText(lastSeconds)) of \(Self.secondsText(expectedEnd)); the file is truncated or damaged",
                                               frameIndex: summary.framesDecoded))
        }
        if summary.framesDecoded == 0 && summary.problems.isEmpty {
            summary.problems.append(MediaError(code: .damagedStream, path: path,
                                               message: "no frame could be decoded"))
        }
        return summary
    }

    /// Damage reports listed one by one before the rest are only counted.
    static let maximumListedProblems = 20

    // MARK: - Decoding helpers

    private func frameTiming(pts: Int64, decodedCount: Int, frame: UnsafeMutablePointer<AVFrame>) -> FrameTiming {
        if info.isStillImage { return FrameTiming(index: 0, timeSeconds: 0, isKeyFrame: true) }
        // In Double: pts and start come from the file and their difference can overflow Int64.
        let seconds = (Double(pts) - Double(startPts)) * Double(timeBase.num) / Double(timeBase.den)
        // With key frames only, the decoder skips the rest, so the index comes from time and frame rate.
        let index = options.keyFramesOnly
            ? Int(saturating: (seconds * (info.averageFrameRate ?? info.realFrameRate ?? 0)).rounded())
            : decodedCount
        return FrameTiming(index: index, timeSeconds: seconds, isKeyFrame: moodline_frame_is_key(frame) != 0)
    }

    /// A photo's EXIF orientation (in the frame's metadata) wins; else the stream's display matrix.
    private func frameOrientation(_ frame: UnsafeMutablePointer<AVFrame>) -> Orientation {
        if let entry = av_dict_get(frame.pointee.metadata, "Orientation", nil, 0),
           let value = Int(String(cString: entry.pointee.value)),
           let exif = Orientation(exifValue: value) {
            return exif
        }
        if let matrix = moodline_frame_display_matrix(frame) {
            return Self.orientation(displayMatrix: matrix)
        }
        return orientation
    }

    // MARK: - Opening helpers

    /// Only a regular file (after following links) is opened: a FIFO, socket or device would block inside FFmpeg
    /// or never end.
    private static func checkRegularFile(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno
            if reason == ENOENT {
                var link = stat()
                if lstat(path, &link) == 0 {
                    throw MediaError(code: .fileNotFound, path: path, message: "is a broken symbolic link (its target does not exist)")
                }
                throw MediaError(code: .fileNotFound, path: path, message: "no such file")
            }
            if reason == ELOOP {
                throw MediaError(code: .notAFile, path: path, message: "is a loop of symbolic links")
            }
            throw MediaError(code: .notAFile, path: path, message: "cannot be read (\(String(cString: strerror(reason))))")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            throw MediaError(code: .notAFile, path: path, message: "is a folder, not a media file")
        case S_IFIFO:
            throw MediaError(code: .notAFile, path: path, message: "is a FIFO (named pipe), not a regular file")
        default:
            throw MediaError(code: .notAFile, path: path, message: "is not a regular file (a device or socket)")
        }
        if status.st_size == 0 {
            throw MediaError(code: .emptyFile, path: path, message: "the file is empty (0 bytes)")
        }
    }

    private static func streamOrientation(_ stream: UnsafeMutablePointer<AVStream>) -> Orientation {
        guard let matrix = moodline_stream_display_matrix(stream) else { return .upright }
        return orientation(displayMatrix: matrix)
    }

    /// FFmpeg's display matrix gives a counter-clockwise angle; a negative determinant means a mirror.
    static func orientation(displayMatrix matrix: UnsafePointer<Int32>) -> Orientation {
        let counterClockwise = av_display_rotation_get(matrix)
        guard counterClockwise.isFinite else { return .upright }
        let clockwise = Int((-counterClockwise / 90).rounded()) * 90
        // In Double: the matrix comes from the file, and the products of two Int32s can overflow Int64 when subtracted.
        let determinant = Double(matrix[0]) * Double(matrix[4]) - Double(matrix[1]) * Double(matrix[3])
        return Orientation(clockwiseDegrees: clockwise, mirrored: determinant < 0)
    }

    private static func isStillImageFormat(_ name: String) -> Bool {
        name == "image2" || name.hasSuffix("_pipe") || name == "gif" || name == "webp" || name == "apng"
    }

    private static func secondsText(_ seconds: Double) -> String {
        seconds < 1e9 ? String(format: "%.2f s", seconds) : "\(seconds) s"
    }

    private static func rate(_ rational: AVRational) -> Double? {
        guard rational.num > 0, rational.den > 0 else { return nil }
        return Double(rational.num) / Double(rational.den)
    }

    private static func duration(format: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>) -> Double? {
        let base = stream.pointee.time_base
        if stream.pointee.duration > 0, base.den > 0 {
            return Double(stream.pointee.duration) * Double(base.num) / Double(base.den)
        }
        if format.pointee.duration > 0 {
            return Double(format.pointee.duration) / Double(moodline_av_time_base())
        }
        return nil
    }
}

@available(*, unavailable)
extension MediaReader: Sendable {}

/// `AVERROR_DECODER_NOT_FOUND`, which Swift cannot import (a macro built from FFERRTAG).
private let AVERROR_DECODER_NOT_FOUND_CODE: Int32 = {
    let tag = UInt32(0xF8) | UInt32(Character("D").asciiValue!) << 8 | UInt32(Character("E").asciiValue!) << 16
        | UInt32(Character("C").asciiValue!) << 24
    return -Int32(bitPattern: tag)
}()
