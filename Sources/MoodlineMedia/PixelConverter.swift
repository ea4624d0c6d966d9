import CFFmpeg

/// Converts decoded frames to packed 8-bit RGB or grey buffers owned by Swift, scaling down on the way when asked.
///
/// swscale's SIMD paths write whole vectors, so they run past the end of a row (and of the last row) whose
/// length is not a multiple of the vector size. They never write into Swift's packed arrays: they write into an
/// FFmpeg-allocated frame, whose rows are aligned and padded for exactly that, and the rows are copied out.
/// Confined to one queue, like the reader that owns it.
final class PixelConverter {
    private let scaler = ScaleContext()
    private var target: Frame?

    /// `frame` as `layout`, its longer side at most `maximumSide` (aspect kept); returns the buffer and the
    /// source pixels per delivered pixel. Not yet turned upright.
    func convert(
        _ frame: UnsafePointer<AVFrame>, layout: PixelLayout, maximumSide: Int?, path: String,
        index: Int?
    ) throws -> (PixelBuffer, Double) {
        let width = frame.pointee.width, height = frame.pointee.height
        guard width > 0, height > 0 else {
            throw MediaError(code: .damagedStream, path: path, message: "decoded frame has no size", frameIndex: index)
        }
        var outWidth = width, outHeight = height
        if let side = maximumSide, side > 0, max(width, height) > Int32(clamping: side) {
            let factor = Double(side) / Double(max(width, height))
            outWidth = max(1, Int32((Double(width) * factor).rounded()))
            outHeight = max(1, Int32((Double(height) * factor).rounded()))
        }
        let format = layout == .rgb ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_GRAY8
        let context = try scaler.converter(
            width: width, height: height, format: frame.pointee.format,
            outputWidth: outWidth, outputHeight: outHeight, target: format, path: path)
        let destination = try targetFrame(width: outWidth, height: outHeight, format: format, path: path)

        let sources = withUnsafePointer(to: frame.pointee.data) {
            $0.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) {
                Array(UnsafeBufferPointer(start: $0, count: 8))
            }
        }
        let sourceStrides = withUnsafePointer(to: frame.pointee.linesize) {
            $0.withMemoryRebound(to: Int32.self, capacity: 8) { Array(UnsafeBufferPointer(start: $0, count: 8)) }
        }
        let written = withUnsafeMutablePointer(to: &destination.pointee.data) { planes in
            withUnsafeMutablePointer(to: &destination.pointee.linesize) { strides in
                planes.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { planes in
                    strides.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                        sws_scale(context, sources, sourceStrides, 0, height, planes, strides)
                    }
                }
            }
        }
        guard written == outHeight else {
            throw MediaError(
                code: .ffmpeg, path: path, function: "sws_scale",
                message: "converted \(written) of \(outHeight) rows", frameIndex: index)
        }

        let rowBytes = Int(outWidth) * layout.channels
        let stride = Int(destination.pointee.linesize.0)
        let rows = Int(outHeight)
        guard let plane = destination.pointee.data.0, stride >= rowBytes else {
            throw MediaError(
                code: .ffmpeg, path: path, function: "sws_scale", message: "conversion left no picture",
                frameIndex: index)
        }
        let bytes = [UInt8](unsafeUninitializedCapacity: rowBytes * rows) { buffer, count in
            for row in 0..<rows {
                (buffer.baseAddress! + row * rowBytes).update(from: plane + row * stride, count: rowBytes)
            }
            count = rowBytes * rows
        }
        let buffer = PixelBuffer(width: Int(outWidth), height: Int(outHeight), layout: layout, bytes: bytes)
        return (buffer, Double(width) / Double(outWidth))
    }

    /// The reusable destination frame, reallocated when the output geometry changes.
    private func targetFrame(
        width: Int32, height: Int32, format: AVPixelFormat, path: String
    ) throws -> UnsafeMutablePointer<AVFrame> {
        if let target, target.pointer.pointee.width == width, target.pointer.pointee.height == height,
            target.pointer.pointee.format == format.rawValue
        {
            return target.pointer
        }
        let frame = try Frame(path: path)
        frame.pointer.pointee.width = width
        frame.pointer.pointee.height = height
        frame.pointer.pointee.format = format.rawValue
        // Alignment 64 covers AVX-512 stores; FFmpeg pads the buffer past the last row as well.
        try checkFFmpeg(av_frame_get_buffer(frame.pointer, 64), "av_frame_get_buffer", path: path)
        target = frame
        return frame.pointer
    }
}

@available(*, unavailable)
extension PixelConverter: Sendable {}

/// Conversions of synthetic frames, for memory checks under valgrind and the sanitizers: every size and pixel
/// format can be pushed through the same conversion the reader uses, without a file for each.
public enum ConversionCheck {
    /// Converts a `width` x `height` frame of FFmpeg pixel format `pixelFormat` (e.g. "yuv420p10le"), filled
    /// with a pattern, to `layout`; returns the delivered buffer.
    ///
    /// - Throws: `MediaError` when the format is unknown or cannot be converted.
    public static func convert(
        width: Int, height: Int, pixelFormat: String, layout: PixelLayout,
        maximumSide: Int? = nil
    ) throws -> PixelBuffer {
        moodline_av_log_quiet()
        let name = "synthetic \(width)x\(height) \(pixelFormat)"
        let format = av_get_pix_fmt(pixelFormat)
        guard format != AV_PIX_FMT_NONE else {
            throw MediaError(code: .ffmpeg, path: name, message: "unknown pixel format")
        }
        let frame = try Frame(path: name)
        frame.pointer.pointee.width = Int32(clamping: width)
        frame.pointer.pointee.height = Int32(clamping: height)
        frame.pointer.pointee.format = format.rawValue
        try checkFFmpeg(av_frame_get_buffer(frame.pointer, 0), "av_frame_get_buffer", path: name)
        // Fill every plane (palette included) so that reads of uninitialised memory are not reported for the input.
        withUnsafeMutablePointer(to: &frame.pointer.pointee.buf) { buffers in
            buffers.withMemoryRebound(to: UnsafeMutablePointer<AVBufferRef>?.self, capacity: 8) { buffers in
                for plane in 0..<8 {
                    guard let buffer = buffers[plane] else { continue }
                    for i in 0..<Int(buffer.pointee.size) {
                        buffer.pointee.data[i] = UInt8(truncatingIfNeeded: i &* 37 &+ plane)
                    }
                }
            }
        }
        let converter = PixelConverter()
        return try converter.convert(frame.pointer, layout: layout, maximumSide: maximumSide, path: name, index: nil).0
    }
}
