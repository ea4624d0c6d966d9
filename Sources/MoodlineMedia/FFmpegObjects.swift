import CFFmpeg
import Foundation

// Each FFmpeg allocation is owned by exactly one of these classes, which frees it in `deinit`.
// They are used on one queue at a time (the decoder's), so none is Sendable.

/// Owns an `AVFormatContext` opened on exactly one local file.
///
/// FFmpeg would otherwise follow what a file says: an HLS playlist or concat list opens other files, `img%d.jpg`
/// reads an image sequence, and a name like `http:x.mp4` picks a protocol. Here the path is passed as a `file:`
/// URL, image patterns are off, and every open other than the named file is refused.
final class FormatContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    /// The guard `io_open` consults; it must outlive the context (files only).
    private let guardPointer: UnsafeMutablePointer<MoodlineInputGuard>?
    private let url: UnsafeMutablePointer<CChar>?
    /// What ends a live input's blocking reads; kept alive as long as the context (streams only).
    private let interrupt: StreamInterrupt?

    init(path: String) throws {
        let fileURL = strdup("file:" + path)
        let guarded = UnsafeMutablePointer<MoodlineInputGuard>.allocate(capacity: 1)
        guarded.initialize(to: MoodlineInputGuard(url: fileURL, refused: 0))
        var context: UnsafeMutablePointer<AVFormatContext>?
        let code = moodline_open_single_file(&context, guarded)
        guard code >= 0, let context else {
            let refused = guarded.pointee.refused > 0
            guarded.deallocate()
            free(fileURL)
            if refused {
                throw MediaError(
                    code: .unrecognisedFormat, path: path, function: "avformat_open_input",
                    message:
                        "refers to other files (a playlist, list or image sequence); Moodline reads only the file named"
                )
            }
            throw MediaError(
                code: .unrecognisedFormat, path: path, function: "avformat_open_input",
                message: "not a media file FFmpeg can read (\(ffmpegErrorText(code)))")
        }
        url = fileURL
        guardPointer = guarded
        pointer = context
        interrupt = nil
        FFmpegObjectCounter.allocated()
    }

    /// Opens a live input through only the protocols its address allows, with `interrupt` consulted whenever a
    /// read waits (to stop, or to give up on a stalled stream).
    init(stream address: StreamAddress, interrupt: StreamInterrupt) throws {
        guard let context = avformat_alloc_context() else {
            throw MediaError(
                code: .ffmpeg, path: address.text, function: "avformat_alloc_context", message: "out of memory")
        }
        context.pointee.interrupt_callback.callback = { opaque in
            guard let opaque else { return 0 }
            return Unmanaged<StreamInterrupt>.fromOpaque(opaque).takeUnretainedValue().shouldEndRead() ? 1 : 0
        }
        context.pointee.interrupt_callback.opaque = Unmanaged.passUnretained(interrupt).toOpaque()
        var options: OpaquePointer? = nil
        av_dict_set(&options, "protocol_whitelist", address.protocols, 0)
        // HTTP reconnects by itself after a dropped connection, even mid-stream.
        if address.protocols.hasPrefix("http") {
            av_dict_set(&options, "reconnect", "1", 0)
            av_dict_set(&options, "reconnect_streamed", "1", 0)
            av_dict_set(&options, "reconnect_delay_max", "4", 0)
        }
        if address.isStandardInput { StreamInterrupt.makeStandardInputPollable() }
        interrupt.touch()
        var format: UnsafePointer<AVInputFormat>? = nil
        if let name = address.format {
            avdevice_register_all()
            format = av_find_input_format(name)
            guard format != nil else {
                avformat_free_context(context)
                av_dict_free(&options)
                throw MediaError(
                    code: .unrecognisedFormat, path: address.text, message: "this FFmpeg cannot read \(name) devices")
            }
        }
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        let code = avformat_open_input(&opened, address.url, format, &options)
        av_dict_free(&options)
        guard code >= 0, let opened else {
            // avformat_open_input frees the context when it fails.
            let why =
                interrupt.stalled
                ? "no data for \(MediaReader.secondsText(interrupt.stallSeconds))" : ffmpegErrorText(code)
            throw MediaError(
                code: .unrecognisedFormat, path: address.text, function: "avformat_open_input",
                message: "cannot open the stream (\(why))")
        }
        pointer = opened
        guardPointer = nil
        url = nil
        self.interrupt = interrupt
        FFmpegObjectCounter.allocated()
    }

    /// Opens numbered pictures (`frames/%05d.png`) as one video at `framesPerSecond`, through FFmpeg's image2
    /// demuxer and only the `file` protocol.
    convenience init(sequence pattern: String, framesPerSecond: Double) throws {
        var options: OpaquePointer? = nil
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        av_dict_set(&options, "pattern_type", "sequence", 0)
        av_dict_set(&options, "framerate", String(framesPerSecond), 0)
        // image2 reads printf sequences in the whole path: a `%` in a folder's name is made literal.
        let folder = (pattern as NSString).deletingLastPathComponent
        let name = (pattern as NSString).lastPathComponent
        let escaped = folder.isEmpty ? name : folder.replacingOccurrences(of: "%", with: "%%") + "/" + name
        let fileURL = strdup("file:" + escaped)
        var opened: UnsafeMutablePointer<AVFormatContext>? = nil
        let code = avformat_open_input(&opened, fileURL, av_find_input_format("image2"), &options)
        av_dict_free(&options)
        guard code >= 0, let opened else {
            free(fileURL)
            throw MediaError(
                code: .unrecognisedFormat, path: pattern, function: "avformat_open_input",
                message:
                    "cannot open the image sequence (\(ffmpegErrorText(code))); its first file must be numbered 0 to 4")
        }
        self.init(opened: opened, url: fileURL)
    }

    /// Takes ownership of a context opened through FFmpeg's own file access (and of `url`, freed with it).
    private init(opened: UnsafeMutablePointer<AVFormatContext>, url: UnsafeMutablePointer<CChar>?) {
        pointer = opened
        self.url = url
        guardPointer = nil
        interrupt = nil
        FFmpegObjectCounter.allocated()
    }

    /// Whether FFmpeg tried to open a file other than the one named (and was refused).
    var refusedOtherFiles: Bool { (guardPointer?.pointee.refused ?? 0) > 0 }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&context)
        guardPointer?.deallocate()
        free(url)
        FFmpegObjectCounter.freed()
    }
}

@available(*, unavailable)
extension FormatContext: Sendable {}

/// Owns an `AVCodecContext`.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>, path: String) throws {
        guard let context = avcodec_alloc_context3(codec) else {
            throw MediaError(code: .ffmpeg, path: path, function: "avcodec_alloc_context3", message: "out of memory")
        }
        pointer = context
        FFmpegObjectCounter.allocated()
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
        FFmpegObjectCounter.freed()
    }
}

@available(*, unavailable)
extension CodecContext: Sendable {}

/// Owns an `AVPacket`, reused for every read.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init(path: String) throws {
        guard let packet = av_packet_alloc() else {
            throw MediaError(code: .ffmpeg, path: path, function: "av_packet_alloc", message: "out of memory")
        }
        pointer = packet
        FFmpegObjectCounter.allocated()
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
        FFmpegObjectCounter.freed()
    }
}

@available(*, unavailable)
extension Packet: Sendable {}

/// Owns an `AVFrame`, reused for every decoded picture.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init(path: String) throws {
        guard let frame = av_frame_alloc() else {
            throw MediaError(code: .ffmpeg, path: path, function: "av_frame_alloc", message: "out of memory")
        }
        pointer = frame
        FFmpegObjectCounter.allocated()
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
        FFmpegObjectCounter.freed()
    }
}

@available(*, unavailable)
extension Frame: Sendable {}

/// Owns a `SwsContext`, rebuilt only when the source geometry or pixel format changes.
final class ScaleContext {
    private(set) var pointer: OpaquePointer?
    private var key: [Int32] = []

    init() { FFmpegObjectCounter.allocated() }

    /// A converter from `width`x`height` in `format` to `outputWidth`x`outputHeight` in `target`.
    func converter(
        width: Int32, height: Int32, format: Int32, outputWidth: Int32, outputHeight: Int32,
        target: AVPixelFormat, path: String
    ) throws -> OpaquePointer {
        let wanted = [width, height, format, outputWidth, outputHeight, Int32(target.rawValue)]
        if let pointer, key == wanted { return pointer }
        // At full size the flags only pick the colour conversion (bilinear matches the golden fixtures); when
        // scaling down, the fast bilinear filter costs a fraction of the exact one.
        let scaling = outputWidth != width || outputHeight != height
        let flags = Int32(scaling ? SWS_FAST_BILINEAR : SWS_BILINEAR)
        let context = sws_getCachedContext(
            pointer, width, height, AVPixelFormat(rawValue: format),
            outputWidth, outputHeight, target, flags, nil, nil, nil)
        guard let context else {
            pointer = nil
            throw MediaError(
                code: .ffmpeg, path: path, function: "sws_getCachedContext",
                message:
                    "cannot convert pixel format \(pixelFormatName(format)) to \(pixelFormatName(Int32(target.rawValue)))"
            )
        }
        pointer = context
        key = wanted
        return context
    }

    deinit {
        sws_freeContext(pointer)
        FFmpegObjectCounter.freed()
    }
}

@available(*, unavailable)
extension ScaleContext: Sendable {}

/// FFmpeg's name for a pixel format, e.g. "yuv420p".
func pixelFormatName(_ format: Int32) -> String {
    guard let name = av_get_pix_fmt_name(AVPixelFormat(rawValue: format)) else { return "unknown" }
    return String(cString: name)
}
