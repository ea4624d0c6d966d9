import CFFmpeg

/// The outcome of an FFmpeg send/receive call: EAGAIN and end of stream are control flow, not errors.
enum FFmpegStatus: Equatable {
    case ok
    case needsMoreInput
    case endOfStream
    /// Any other negative code: a real failure, for the caller to report.
    case failed(Int32)

    init(_ code: Int32) {
        if code >= 0 {
            self = .ok
        } else if code == moodline_averror_eagain() {
            self = .needsMoreInput
        } else if code == moodline_averror_eof() {
            self = .endOfStream
        } else {
            self = .failed(code)
        }
    }
}

/// FFmpeg's text for an error code (`av_strerror`).
func ffmpegErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    if av_strerror(code, &buffer, buffer.count) < 0 {
        return "unknown FFmpeg error \(code)"
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Turns a negative FFmpeg return code into a thrown `MediaError` naming the file and the function.
@discardableResult
func checkFFmpeg(_ code: Int32, _ function: String, path: String, errorCode: MediaError.Code = .ffmpeg) throws -> Int32
{
    guard code < 0 else { return code }
    throw MediaError(code: errorCode, path: path, function: function, message: ffmpegErrorText(code))
}
