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
    /// A photo's capture time from its EXIF, in ISO 8601 (nil for video, or a photo that does not say).
    public let takenAt: String?
    let options: DecoderOptions

    let format: FormatContext
    let codec: CodecContext
    let streamIndex: Int32
    let timeBase: AVRational
    let startPts: Int64
    let orientation: Orientation
    /// The video stream's own duration from its header, when it gives one.
    let streamDurationSeconds: Double?
    /// For a live input: what ends its blocking reads (nil for a file).
    let interrupt: StreamInterrupt?
    /// Halvings a photo is decoded at (FFmpeg's `lowres`): 0 at full size.
    let reducedResolution: Int
    /// What this reader holds of `PictureMemoryBudget.shared` (a still picture's declared size), given back in deinit.
    private var reservedPictureBytes = 0

    deinit { PictureMemoryBudget.shared.release(reservedPictureBytes) }

    /// Opens `path`.
    ///
    /// - Throws: `MediaError` naming the path: missing, empty, not a regular file, not media, no video,
    ///   unsupported codec, image too large, or an FFmpeg failure.
    public convenience init(path: String, options: DecoderOptions = DecoderOptions()) throws {
        moodline_av_log_quiet()
        try Self.checkRegularFile(path)
        let header = DeclaredPictureSize.leadingBytes(ofFile: path)
        let declared = try Self.checkDeclaredSize(header, path: path, options: options)
        // Reserved before FFmpeg opens the file (its probing decodes the picture), given back when this reader goes.
        let reserved = declared.map { PictureMemoryBudget.shared.reserve(Int($0.decodedBytes)) } ?? 0
        do {
            try self.init(
                path: path, format: FormatContext(path: path), options: options, interrupt: nil,
                exif: ExifTags.read(fromJPEG: header))
        } catch {
            PictureMemoryBudget.shared.release(reserved)
            throw error
        }
        reservedPictureBytes = reserved
    }

    /// Opens a live input (a network stream or standard input). It has no known duration and cannot seek;
    /// decoding ends at the stream's end, when `shouldStop` says so (asked whenever a read waits, and by the
    /// consumer between frames), or when no data has come for `stallSeconds` (0: never), which is reported as a
    /// problem.
    ///
    /// - Throws: `MediaError` naming the address when it cannot be opened (no such host, refused, a protocol this
    ///   FFmpeg lacks, no data before the stall time).
    public convenience init(
        stream: StreamAddress, options: DecoderOptions = DecoderOptions(), stallSeconds: Double,
        shouldStop: @escaping @Sendable () -> Bool
    ) throws {
        moodline_av_log_quiet()
        let interrupt = StreamInterrupt(stallSeconds: stallSeconds, shouldStop: shouldStop)
        try self.init(
            path: stream.text, format: FormatContext(stream: stream, interrupt: interrupt), options: options,
            interrupt: interrupt)
    }

    /// `exif`: a photo's EXIF tags read from its header, for its facts (the frame's own orientation tag, which
    /// FFmpeg gives once it is decoded, turns the picture).
    init(
        path: String, format: FormatContext, options: DecoderOptions, interrupt: StreamInterrupt?,
        exif: ExifTags? = nil, isSequence: Bool = false
    ) throws {
        self.path = path
        self.options = options
        self.format = format
        self.interrupt = interrupt
        try Self.findStreamInfo(format.pointer, maxPixels: options.maxPixels, path: path)
        var decoder: UnsafePointer<AVCodec>?
        let best = av_find_best_stream(format.pointer, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        if best == AVERROR_DECODER_NOT_FOUND_CODE {
            throw MediaError(
                code: .unsupportedCodec, path: path, function: "av_find_best_stream",
                message: "no decoder for this file's video codec")
        }
        guard best >= 0, let decoder, let stream = format.pointer.pointee.streams[Int(best)] else {
            throw MediaError(
                code: .noVideoStream, path: path, function: "av_find_best_stream",
                message: "no video stream or image in this file")
        }
        streamIndex = best
        timeBase = stream.pointee.time_base
        let parameters = stream.pointee.codecpar!

        let codedWidth = Int(parameters.pointee.width), codedHeight = Int(parameters.pointee.height)
        guard codedWidth > 0, codedHeight > 0 else {
            throw MediaError(
                code: .unrecognisedFormat, path: path, function: "avformat_find_stream_info",
                message: "the video stream has no picture size; the file is damaged or not media")
        }
        guard codedWidth * codedHeight <= options.maxPixels else {
            throw MediaError(
                code: .imageTooLarge, path: path,
                message: "picture of \(codedWidth)x\(codedHeight) is over the limit of \(options.maxPixels) pixels")
        }

        codec = try CodecContext(codec: decoder, path: path)
        try checkFFmpeg(
            avcodec_parameters_to_context(codec.pointer, parameters), "avcodec_parameters_to_context", path: path)
        codec.pointer.pointee.max_pixels = Int64(options.maxPixels)
        codec.pointer.pointee.thread_count = Int32(options.threads)
        codec.pointer.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        if options.keyFramesOnly { codec.pointer.pointee.skip_frame = AVDISCARD_NONKEY }
        let formatName = String(cString: format.pointer.pointee.iformat.pointee.name)
        let isStill = !isSequence && Self.isStillImageFormat(formatName)
        let lowres =
            isStill && options.decodesPhotosReduced
            ? Self.reducedResolutionLevel(
                width: codedWidth, height: codedHeight,
                maximumSide: options.maximumSide, decoderLimit: Int(decoder.pointee.max_lowres)) : 0
        codec.pointer.pointee.lowres = Int32(lowres)
        reducedResolution = lowres
        try checkFFmpeg(
            avcodec_open2(codec.pointer, decoder, nil), "avcodec_open2", path: path, errorCode: .unsupportedCodec)

        let start = stream.pointee.start_time
        startPts = start == moodline_av_nopts_value() ? 0 : start
        orientation = isStill ? exif?.orientation ?? Self.streamOrientation(stream) : Self.streamOrientation(stream)
        takenAt = isStill ? exif?.takenAt : nil
        streamDurationSeconds =
            stream.pointee.duration > 0 && timeBase.num > 0 && timeBase.den > 0
            ? Double(stream.pointee.duration) * Double(timeBase.num) / Double(timeBase.den) : nil

        let displayed = orientation.displayedSize(width: codedWidth, height: codedHeight)
        let durationSeconds = Self.duration(format: format.pointer, stream: stream)
        let frameCount = stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil
        var hasAudio = false
        for i in 0..<Int(format.pointer.pointee.nb_streams) {
            if format.pointer.pointee.streams[i]?.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO {
                hasAudio = true
            }
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

    /// How many halvings (FFmpeg's `lowres`) a photo can be decoded at and still have its longer side cover
    /// `maximumSide`: a JPEG decoder then does a fraction of the work (it scales in its inverse DCT), and the
    /// converter scales the rest. 0 at full size, or when the decoder cannot.
    static func reducedResolutionLevel(width: Int, height: Int, maximumSide: Int?, decoderLimit: Int) -> Int {
        guard let maximumSide, maximumSide > 0 else { return 0 }
        var level = 0
        // FFmpeg rounds a reduced side up: AV_CEIL_RSHIFT(side, lowres).
        while level < min(decoderLimit, 3), (max(width, height) + (1 << (level + 1)) - 1) >> (level + 1) >= maximumSide
        {
            level += 1
        }
        return level
    }

    /// Whether this is a live input (a stream or standard input) rather than a file.
    public var isLive: Bool { interrupt != nil }

    /// A photo's EXIF orientation (in the frame's metadata) wins; else the stream's display matrix.
    func frameOrientation(_ frame: UnsafeMutablePointer<AVFrame>) -> Orientation {
        if let entry = av_dict_get(frame.pointee.metadata, "Orientation", nil, 0),
            let value = Int(String(cString: entry.pointee.value)),
            let exif = Orientation(exifValue: value)
        {
            return exif
        }
        if let matrix = moodline_frame_display_matrix(frame) {
            return Self.orientation(displayMatrix: matrix)
        }
        return orientation
    }

    // MARK: - Opening helpers

    /// The declared size of a still picture, after refusing one whose header declares more decoded bytes than `options.maxPictureBytes`, or more
    /// pixels than `options.maxPixels`, before FFmpeg opens it (its probing decodes the first picture in full).
    static func checkDeclaredSize(
        _ header: [UInt8], path: String, options: DecoderOptions
    ) throws -> DeclaredPictureSize? {
        guard let declared = DeclaredPictureSize.read(from: header) else { return nil }
        try declared.check(path: path, options: options)
        return declared
    }

    /// FFmpeg's probing, with the decoders it opens held to `maxPixels` a picture: they refuse a larger picture
    /// before allocating it, where the header was not one `DeclaredPictureSize` reads (TIFF, a video's first frame).
    private static func findStreamInfo(
        _ format: UnsafeMutablePointer<AVFormatContext>, maxPixels: Int, path: String
    ) throws {
        let streams = Int(format.pointee.nb_streams)
        var dictionaries = [OpaquePointer?](repeating: nil, count: max(streams, 1))
        for index in 0..<streams { av_dict_set(&dictionaries[index], "max_pixels", "\(maxPixels)", 0) }
        defer { for index in dictionaries.indices { av_dict_free(&dictionaries[index]) } }
        let result = dictionaries.withUnsafeMutableBufferPointer { avformat_find_stream_info(format, $0.baseAddress) }
        try checkFFmpeg(result, "avformat_find_stream_info", path: path, errorCode: .unrecognisedFormat)
    }

    /// Only a regular file (after following links) is opened: a FIFO, socket or device would block inside FFmpeg
    /// or never end.
    private static func checkRegularFile(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno
            if reason == ENOENT {
                var link = stat()
                if lstat(path, &link) == 0 {
                    throw MediaError(
                        code: .fileNotFound, path: path,
                        message: "is a broken symbolic link (its target does not exist)")
                }
                throw MediaError(code: .fileNotFound, path: path, message: "no such file")
            }
            if reason == ELOOP {
                throw MediaError(code: .notAFile, path: path, message: "is a loop of symbolic links")
            }
            throw MediaError(
                code: .notAFile, path: path, message: "cannot be read (\(String(cString: strerror(reason))))")
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

    private static func isStillImageFormat(_ name: String) -> Bool {
        name == "image2" || name.hasSuffix("_pipe") || name == "gif" || name == "webp" || name == "apng"
    }

    static func secondsText(_ seconds: Double) -> String {
        seconds < 1e9 ? String(format: "%.2f s", seconds) : "\(seconds) s"
    }

    private static func rate(_ rational: AVRational) -> Double? {
        guard rational.num > 0, rational.den > 0 else { return nil }
        return Double(rational.num) / Double(rational.den)
    }

    private static func duration(
        format: UnsafeMutablePointer<AVFormatContext>, stream: UnsafeMutablePointer<AVStream>
    ) -> Double? {
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
    let tag =
        UInt32(0xF8) | UInt32(Character("D").asciiValue!) << 8 | UInt32(Character("E").asciiValue!) << 16
        | UInt32(Character("C").asciiValue!) << 24
    return -Int32(bitPattern: tag)
}()
