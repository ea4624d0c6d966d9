import CFFmpeg
import Foundation

/// The decode loop: packets in, frames out in presentation order, timed, selected, converted and turned upright.
extension MediaReader {
    /// Decodes frames in presentation order.
    ///
    /// `select` sees each frame's timing before its pixels are converted; only frames it accepts are converted
    /// to `options.layout`, turned upright and passed to `body`. A still image yields its first frame, at time 0.
    ///
    /// With `options.startSeconds`, the reader seeks to the key frame at or before that time and decodes from
    /// there, handing on only frames at or after it; with `options.endSeconds` it stops at the first frame at or
    /// after that time. Times stay the source's. After a seek the frames before the start are unknown, so a frame's
    /// index is estimated from its time and the average frame rate (as with key frames only).
    /// Damage in the stream (a bad packet, a file that ends early) does not throw: it is recorded in the
    /// summary's `problems` with the frame index where it happened, and decoding goes on where it can.
    ///
    /// With `wants`, frames that no other frame refers to are not decoded at all when `wants` says, from their
    /// packet's timing, that `select` cannot take them (see `SkipPlanner`). Every frame `select` sees is then
    /// still bit for bit a full decode's, with the same index and time; `wants` must answer true when in doubt.
    ///
    /// - Throws: what `body` throws, and `MediaError` for failures that stop decoding before any frame.
    public func decodeFrames(
        select: (FrameTiming) -> Bool = { _ in true }, wants: ((PacketTiming) -> Bool)? = nil,
        _ body: (DecodedFrame) throws -> Void
    ) throws -> DecodeSummary {
        try decode(select: select, wants: wants, otherPacket: nil, body)
    }

    /// `decodeFrames`, also handing every packet of the other streams to `otherPacket` as it is read (to copy the
    /// audio into an annotated video).
    func decode(
        select: (FrameTiming) -> Bool, wants: ((PacketTiming) -> Bool)? = nil,
        otherPacket: ((UnsafeMutablePointer<AVPacket>) throws -> Void)?,
        _ body: (DecodedFrame) throws -> Void
    ) throws -> DecodeSummary {
        let packet = try Packet(path: path)
        let frame = try Frame(path: path)
        let converter = PixelConverter()
        var summary = DecodeSummary()
        var lastPts: Int64? = nil
        var lastDuration: Int64 = 0
        var readFailure: Int32? = nil
        var unlisted = 0
        var lastTimeSeconds: Double? = nil
        let start = info.isStillImage ? nil : options.startSeconds.flatMap { $0 > 0 ? $0 : nil }
        let end = info.isStillImage ? nil : options.endSeconds
        let seeked = try start.map(seek(to:)) ?? false
        let planner = wants.flatMap { wants in
            info.isStillImage || options.keyFramesOnly
                ? nil
                : SkipPlanner(
                    wants: wants,
                    seconds: { [startPts, timeBase] pts in
                        (Double(pts) - Double(startPts)) * Double(timeBase.num) / Double(timeBase.den)
                    }, indexKnown: !seeked)
        }

        // Records damage; a badly broken stream can fail on every packet, so only the first few are listed.
        func note(_ problem: MediaError) {
            if summary.problems.count < Self.maximumListedProblems {
                summary.problems.append(problem)
            } else {
                unlisted += 1
            }
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
                    note(
                        MediaError(
                            code: .damagedStream, path: path, function: "avcodec_receive_frame",
                            message: "damaged data: \(ffmpegErrorText(code))", frameIndex: summary.framesDecoded))
                    return true
                }
                defer { av_frame_unref(frame.pointer) }
                planner?.frameCameOut(pts: frame.pointer.pointee.pts)
                var pts = frame.pointer.pointee.best_effort_timestamp
                if pts == moodline_av_nopts_value() {
                    // Timestamps come from the file: a crafted one may sit next to Int64's limits, so saturate.
                    pts = (lastPts ?? startPts).saturatingAdding(lastPts == nil ? 0 : max(lastDuration, 1))
                }
                let frameDuration = moodline_frame_duration(frame.pointer)
                lastDuration = frameDuration > 0 ? frameDuration : (lastPts.map { pts.saturatingSubtracting($0) } ?? 0)
                lastPts = pts
                let timing = frameTiming(
                    pts: pts, decodedCount: summary.framesDecoded + (planner?.framesSkipped ?? 0),
                    frame: frame.pointer, estimateIndex: seeked)
                lastTimeSeconds = timing.timeSeconds
                if let end, timing.timeSeconds >= end - Self.timeTolerance { return false }
                summary.framesDecoded += 1
                // Frames between the key frame sought and the start are decoded (later ones need them) but not used.
                if let start, timing.timeSeconds < start - Self.timeTolerance { continue }
                if info.isStillImage, let damage = pictureDamage(frame.pointer) { note(damage) }
                if select(timing) {
                    let (stored, scale) = try converter.convert(
                        frame.pointer, layout: options.layout, maximumSide: options.maximumSide,
                        path: path, index: timing.index)
                    let pixels = frameOrientation(frame.pointer).apply(to: stored)
                    summary.framesDelivered += 1
                    // A photo decoded at reduced resolution: its frame is smaller than the source by about 2^level.
                    let reduction =
                        reducedResolution == 0
                        ? 1
                        : Double(max(info.codedWidth, info.codedHeight))
                            / Double(max(frame.pointer.pointee.width, frame.pointer.pointee.height))
                    try body(DecodedFrame(timing: timing, pixels: pixels, scaleToSource: scale * reduction))
                }
                if info.isStillImage { return false }
            }
        }

        // Sends one packet, telling the decoder whether it may drop the frame (when nothing refers to it), and
        // hands on the frames that come out; returns false when done early.
        func send(_ packet: UnsafeMutablePointer<AVPacket>, skippable: Bool) throws -> Bool {
            if let planner {
                codec.pointer.pointee.skip_frame = skippable ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
                if options.skipsLoopFilterWhenUnsampled {
                    codec.pointer.pointee.skip_loop_filter = skippable ? AVDISCARD_ALL : AVDISCARD_DEFAULT
                }
                planner.sent(pts: packet.pointee.pts, skippable: skippable)
            }
            while true {
                switch FFmpegStatus(avcodec_send_packet(codec.pointer, packet)) {
                case .needsMoreInput:
                    // The decoder is full: take its frames out, then send this packet again.
                    guard try drain() else { return false }
                    continue
                case .failed(let code):
                    // A damaged packet: note it and go on with the next one.
                    note(
                        MediaError(
                            code: .damagedStream, path: path, function: "avcodec_send_packet",
                            message: "damaged data: \(ffmpegErrorText(code))", frameIndex: summary.framesDecoded))
                case .ok, .endOfStream:
                    break
                }
                return try drain()
            }
        }

        // Ended before the stream's end (`--end`, or `body` was done): skipped frames counted up to here.
        func endedEarly() -> DecodeSummary {
            var ended = summary
            ended.framesSkipped = planner?.framesSkipped ?? 0
            return ended
        }

        reading: while true {
            let code = av_read_frame(format.pointer, packet.pointer)
            if code < 0 {
                // A live input asked to stop ends cleanly; one that stalled is reported below.
                if code != moodline_averror_eof() && interrupt?.stopped != true { readFailure = code }
                break reading
            }
            interrupt?.touch()
            defer { av_packet_unref(packet.pointer) }
            guard packet.pointer.pointee.stream_index == streamIndex else {
                try otherPacket?(packet.pointer)
                continue
            }
            guard let planner else {
                guard try send(packet.pointer, skippable: false) else { return endedEarly() }
                continue
            }
            for (ready, skippable) in try planner.push(packet.pointer, path: path) {
                defer { planner.recycle(ready) }
                guard try send(ready.pointer, skippable: skippable) else { return endedEarly() }
            }
        }
        for (ready, skippable) in planner?.drain() ?? [] {
            defer { planner?.recycle(ready) }
            guard try send(ready.pointer, skippable: skippable) else { return endedEarly() }
        }
        // Flush the decoder: frames it still holds come out now.
        _ = avcodec_send_packet(codec.pointer, nil)
        _ = try drain()
        planner?.finish()
        summary.framesSkipped = planner?.framesSkipped ?? 0
        if unlisted > 0 {
            summary.problems.append(
                MediaError(
                    code: .damagedStream, path: path,
                    message: "\(unlisted) more damaged packets or pictures (not listed)",
                    frameIndex: summary.framesDecoded))
        }

        summary.readFailed = readFailure != nil
        if let readFailure, let interrupt, interrupt.stalled {
            summary.problems.append(
                MediaError(
                    code: .damagedStream, path: path, function: "av_read_frame",
                    message:
                        "the stream stalled: no data for \(Self.secondsText(interrupt.stallSeconds)); reading stopped there (\(ffmpegErrorText(readFailure)))",
                    frameIndex: summary.framesDecoded))
        } else if let readFailure {
            summary.problems.append(
                MediaError(
                    code: .damagedStream, path: path, function: "av_read_frame",
                    message: "reading stopped early: \(ffmpegErrorText(readFailure))",
                    frameIndex: summary.framesDecoded))
        } else if let expectedEnd = streamDurationSeconds.map({ min($0, end ?? .infinity) }), !info.isStillImage,
            !options.keyFramesOnly,
            let lastSeconds = lastTimeSeconds, lastSeconds.isFinite,
            lastSeconds < expectedEnd - max(1.0, expectedEnd * 0.02)
        {
            // The stream stopped well short of the duration its header gives: the file is truncated or damaged.
            // (The header's frame count is no guide: an edit list cuts frames that it still counts.)
            summary.problems.append(
                MediaError(
                    code: .damagedStream, path: path,
                    message:
                        "the stream ended at \(Self.secondsText(lastSeconds)) of \(Self.secondsText(expectedEnd)); the file is truncated or damaged",
                    frameIndex: summary.framesDecoded))
        }
        if summary.framesDecoded == 0 && summary.problems.isEmpty {
            summary.problems.append(
                MediaError(
                    code: .damagedStream, path: path,
                    message: "no frame could be decoded"))
        }
        return summary
    }

    /// Damage reports listed one by one before the rest are only counted.
    static let maximumListedProblems = 20
    /// Seconds within which a frame counts as at a start or end time (timestamps are rounded to the time base).
    static let timeTolerance = 1e-6

    /// Seeks to the key frame at or before `seconds` and empties the decoder. Returns false (decoding then starts
    /// from the beginning, which is slower but gives the same frames) when the container cannot seek.
    private func seek(to seconds: Double) throws -> Bool {
        guard timeBase.num > 0, timeBase.den > 0 else { return false }
        let offset = seconds * Double(timeBase.den) / Double(timeBase.num)
        guard offset.isFinite, offset < 9e18 else { return false }
        let target = startPts.saturatingAdding(Int64(offset.rounded(.down)))
        guard av_seek_frame(format.pointer, streamIndex, target, AVSEEK_FLAG_BACKWARD) >= 0 else { return false }
        avcodec_flush_buffers(codec.pointer)
        return true
    }

    // MARK: - Decoding helpers

    private func frameTiming(
        pts: Int64, decodedCount: Int, frame: UnsafeMutablePointer<AVFrame>, estimateIndex: Bool
    ) -> FrameTiming {
        if info.isStillImage { return FrameTiming(index: 0, timeSeconds: 0, isKeyFrame: true) }
        // In Double: pts and start come from the file and their difference can overflow Int64.
        let seconds = (Double(pts) - Double(startPts)) * Double(timeBase.num) / Double(timeBase.den)
        // With key frames only, the decoder skips the rest, and after a seek the frames before are unknown: the
        // index comes from time and frame rate.
        let index =
            options.keyFramesOnly || estimateIndex
            ? Int(saturating: (seconds * (info.averageFrameRate ?? info.realFrameRate ?? 0)).rounded())
            : decodedCount
        return FrameTiming(index: index, timeSeconds: seconds, isKeyFrame: moodline_frame_is_key(frame) != 0)
    }
}
