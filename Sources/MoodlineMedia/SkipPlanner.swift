import CFFmpeg

/// Holds a few video packets back so that each can be judged in presentation order, says which ones sampling
/// cannot want, and keeps count of the frames the decoder then leaves out, so that frame indices stay those of a
/// full decode.
///
/// Packets arrive in decode order; B-frames make presentation order differ, but only within the decoder's
/// reordering depth (at most 16 frames in H.264 and HEVC). Held `lookahead` packets back, a packet's neighbours
/// in presentation order have already been read, so its predecessor's time and its own index are known exactly.
/// Should a stream reorder further, the predecessor found is an earlier frame, which only makes more packets
/// count as wanted.
///
/// An unwanted packet is sent with `skip_frame = AVDISCARD_NONREF`: the decoder drops it if no other frame
/// refers to it, and decodes it as usual if one does, so every decoded picture is exactly what a full decode
/// gives. With frame threading the decoder copies `skip_frame` from the context when a packet is submitted
/// (`update_context_from_user` in FFmpeg's `pthread_frame.c`), so setting it per packet is safe.
final class SkipPlanner {
    /// Packets held back before one is judged.
    static let lookahead = 16
    /// Recently read packets' timestamps, searched for a packet's neighbours (more than the reordering depth).
    static let remembered = 64

    private let wants: (PacketTiming) -> Bool
    private let seconds: (Int64) -> Double
    private let indexKnown: Bool
    private var held: [Packet] = []
    private var spare: [Packet] = []
    private var recent: [Int64] = []
    private var recentStart = 0
    private var packetsRead = 0
    /// Set once a packet has no timestamp: from then on every packet is decoded.
    private var gaveUp = false
    /// Sent packets not yet seen coming out, by timestamp, and whether each was sent to be skipped.
    private var outstanding: [(pts: Int64, skippable: Bool)] = []
    /// Frames the decoder left out before the latest frame it gave.
    private(set) var framesSkipped = 0

    /// - Parameters:
    ///   - wants: whether sampling could want a frame with this timing (true when in doubt).
    ///   - seconds: a timestamp in the stream's time base as seconds on the frames' clock.
    ///   - indexKnown: false after a seek, when frames before the start are not counted.
    init(wants: @escaping (PacketTiming) -> Bool, seconds: @escaping (Int64) -> Double, indexKnown: Bool) {
        self.wants = wants
        self.seconds = seconds
        self.indexKnown = indexKnown
    }

    /// Takes the packet's data (leaving `packet` empty) and returns the packets now ready to send, in decode
    /// order, each with whether it may be skipped. The caller sends them, then passes each back to `recycle`.
    func push(_ packet: UnsafeMutablePointer<AVPacket>, path: String) throws -> [(Packet, skippable: Bool)] {
        let kept = try spare.popLast() ?? Packet(path: path)
        av_packet_move_ref(kept.pointer, packet)
        let pts = kept.pointer.pointee.pts
        if pts == moodline_av_nopts_value() { gaveUp = true }
        held.append(kept)
        remember(pts)
        packetsRead += 1
        return held.count > Self.lookahead ? [release()] : []
    }

    /// At the end of the stream: the packets still held, ready to send.
    func drain() -> [(Packet, skippable: Bool)] {
        var ready: [(Packet, skippable: Bool)] = []
        while !held.isEmpty { ready.append(release()) }
        return ready
    }

    /// Returns a sent packet's storage for reuse.
    func recycle(_ packet: Packet) {
        av_packet_unref(packet.pointer)
        spare.append(packet)
    }

    /// Records a packet as sent to the decoder.
    func sent(pts: Int64, skippable: Bool) {
        guard pts != moodline_av_nopts_value() else { return }
        outstanding.append((pts, skippable))
    }

    /// Notes a frame coming out of the decoder with this timestamp. Frames come out in presentation order, so any
    /// packet sent earlier in that order that has not come out never will: those sent to be skipped were skipped.
    func frameCameOut(pts: Int64) {
        guard pts != moodline_av_nopts_value() else { return }
        var remaining: [(pts: Int64, skippable: Bool)] = []
        var matched = false
        for entry in outstanding {
            if entry.pts < pts {
                if entry.skippable { framesSkipped += 1 }
            } else if entry.pts == pts && !matched {
                matched = true
            } else {
                remaining.append(entry)
            }
        }
        outstanding = remaining
    }

    /// After the decoder is flushed: packets sent to be skipped that never came out were skipped.
    func finish() {
        framesSkipped += outstanding.filter(\.skippable).count
        outstanding = []
    }

    private func release() -> (Packet, skippable: Bool) {
        let packet = held.removeFirst()
        let pts = packet.pointer.pointee.pts
        guard !gaveUp else { return (packet, false) }
        var previous: Int64? = nil
        var later = 0
        for other in recent {
            if other < pts { previous = max(previous ?? other, other) } else if other > pts { later += 1 }
        }
        // Packets read before the remembered ones all come earlier in presentation order.
        let index = indexKnown ? packetsRead - 1 - later - duplicates(of: pts) : nil
        let timing = PacketTiming(timeSeconds: seconds(pts), previousTimeSeconds: previous.map(seconds), index: index)
        return (packet, !wants(timing))
    }

    /// Other remembered packets with the same timestamp (a damaged stream); they count as later.
    private func duplicates(of pts: Int64) -> Int {
        max(0, recent.filter { $0 == pts }.count - 1)
    }

    private func remember(_ pts: Int64) {
        if recent.count < Self.remembered {
            recent.append(pts)
        } else {
            recent[recentStart] = pts
            recentStart = (recentStart + 1) % Self.remembered
        }
    }
}

@available(*, unavailable)
extension SkipPlanner: Sendable {}
