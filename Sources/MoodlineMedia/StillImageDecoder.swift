import CFFmpeg

/// Decodes one JPEG or PNG held in memory, such as a camera frame sent by a browser, without a file.
///
/// The codec is chosen from the bytes' signature, never from what the sender claims. Dimensions are checked before
/// any pixel is decoded, so a crafted header cannot make it allocate a huge picture. Each picture gets a codec
/// context of its own: FFmpeg's PNG decoder keeps state from one picture to the next (for animated PNG), and a
/// flush does not clear it. Confined to one task or queue at a time (it keeps its packet, frame and converter).
public final class StillImageDecoder {
    /// The largest picture accepted, in pixels per side.
    public let maximumSide: Int
    /// What the decoded picture is called in errors (e.g. "live frame 12").
    private let name: String
    private let packet: Packet
    private let frame: Frame
    private let converter = PixelConverter()

    /// - Parameters:
    ///   - maximumSide: pictures wider or taller than this are refused (`image_too_large`).
    ///   - name: how errors name the source.
    public init(maximumSide: Int = 4096, name: String = "image") throws {
        // FFmpeg's own messages would go to the terminal; a damaged picture is reported through the thrown error.
        moodline_av_log_quiet()
        self.maximumSide = maximumSide
        self.name = name
        packet = try Packet(path: name)
        frame = try Frame(path: name)
    }

    /// The picture as `layout`, its longer side at most `outputSide` when given.
    ///
    /// - Throws: `MediaError` with `unrecognisedFormat` (neither JPEG nor PNG), `imageTooLarge`, or `damagedStream`
    ///   (also for a JPEG cut short).
    public func decode(_ bytes: [UInt8], layout: PixelLayout = .rgb, outputSide: Int? = nil) throws -> PixelBuffer {
        guard let codecID = Self.codec(of: bytes) else {
            throw MediaError(code: .unrecognisedFormat, path: name, message: "not a JPEG or PNG picture")
        }
        // The header's size first: nothing is decoded for a picture that declares itself too large.
        if let declared = DeclaredPictureSize.read(from: bytes),
            max(declared.width, declared.height) > maximumSide
        {
            throw MediaError(
                code: .imageTooLarge, path: name,
                message:
                    "the picture declares \(declared.width)x\(declared.height), larger than \(maximumSide) pixels a side; not decoded"
            )
        }
        // FFmpeg decodes a JPEG cut short without an error (its bottom blank): a frame is refused instead, as the
        // next one comes soon.
        if codecID == AV_CODEC_ID_MJPEG, case .endsEarly = JPEGCompleteness(scanning: bytes) {
            throw MediaError(
                code: .damagedStream, path: name,
                message: "the picture ends early (its end marker is missing); not analysed")
        }
        let context = try openContext(for: codecID)
        av_packet_unref(packet.pointer)
        try checkFFmpeg(av_new_packet(packet.pointer, Int32(clamping: bytes.count)), "av_new_packet", path: name)
        bytes.withUnsafeBufferPointer { packet.pointer.pointee.data.update(from: $0.baseAddress!, count: bytes.count) }
        try checkFFmpeg(
            avcodec_send_packet(context.pointer, packet.pointer), "avcodec_send_packet", path: name,
            errorCode: .damagedStream)
        // The end of input: a decoder that holds the picture back for more data must give it up now.
        try checkFFmpeg(
            avcodec_send_packet(context.pointer, nil), "avcodec_send_packet", path: name, errorCode: .damagedStream)
        av_frame_unref(frame.pointer)
        try checkFFmpeg(
            avcodec_receive_frame(context.pointer, frame.pointer), "avcodec_receive_frame", path: name,
            errorCode: .damagedStream)
        let width = Int(frame.pointer.pointee.width), height = Int(frame.pointer.pointee.height)
        guard max(width, height) <= maximumSide else {
            throw MediaError(
                code: .imageTooLarge, path: name,
                message: "\(width)x\(height) is larger than \(maximumSide) pixels a side")
        }
        return try converter.convert(frame.pointer, layout: layout, maximumSide: outputSide, path: name, index: nil).0
    }

    /// JPEG starts FF D8 FF; PNG with its 8-byte signature.
    static func codec(of bytes: [UInt8]) -> AVCodecID? {
        if bytes.count > 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return AV_CODEC_ID_MJPEG }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return AV_CODEC_ID_PNG }
        return nil
    }

    private func openContext(for codecID: AVCodecID) throws -> CodecContext {
        guard let codec = avcodec_find_decoder(codecID) else {
            throw MediaError(code: .unsupportedCodec, path: name, message: "FFmpeg has no decoder for this picture")
        }
        let context = try CodecContext(codec: codec, path: name)
        // The size limit is enforced by the decoder before it allocates (it checks max_pixels per picture).
        context.pointer.pointee.max_pixels = Int64(maximumSide) * Int64(maximumSide)
        context.pointer.pointee.thread_count = 1
        try checkFFmpeg(avcodec_open2(context.pointer, codec, nil), "avcodec_open2", path: name)
        return context
    }
}

@available(*, unavailable)
extension StillImageDecoder: Sendable {}
