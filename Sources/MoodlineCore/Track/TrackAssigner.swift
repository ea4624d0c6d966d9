import Foundation

/// Links faces across sampled frames into tracks with stable IDs.
///
/// Each live track predicts where its box will be (constant velocity of the box centre, over time), faces and
/// tracks are paired greedily by overlap with the prediction, unpaired faces start new tracks, and a track
/// unseen for longer than `maximumMissingSeconds` ends. A track seen in the frame before is never ended for time
/// alone: frames far apart (a slow live camera, sparse sampling) show no face missing, only no frame in between.
/// A track is a continuity segment: `endAllTracks` ends every track at a shot cut, and a face whose centre is further
/// from a track's last box than a face can move in the time between (`TrackSettings.maximumFaceWidthsPerSecond`) is
/// never linked to it, however well it overlaps the prediction. IDs count up from 1 and are never reused within an input. Feed frames in time order; confined to one queue.
public struct TrackAssigner: Sendable {
    struct LiveTrack: Sendable {
        var id: Int
        var box: Box
        var lastSeconds: Double
        /// Box-centre velocity in pixels per second.
        var velocityX = 0.0, velocityY = 0.0

        func predictedBox(at seconds: Double) -> Box {
            let dt = seconds - lastSeconds
            return Box(x: box.x + velocityX * dt, y: box.y + velocityY * dt, width: box.width, height: box.height)
        }
    }

    public let settings: TrackSettings
    private var live: [LiveTrack] = []
    private var nextID = 1
    /// The time of the frame before the one being assigned.
    private var previousSeconds: Double?
    /// IDs of tracks that ended (unseen too long, or at a cut) since `takeEnded` was last called, in ID order.
    private var ended: [Int] = []

    public init(settings: TrackSettings) {
        self.settings = settings
    }

    /// The track ID of each box seen at `seconds`, in the boxes' order.
    ///
    /// - Complexity: O(tracks · faces · log) per frame.
    public mutating func assign(_ boxes: [Box], at seconds: Double) -> [Int] {
        let previous = previousSeconds
        previousSeconds = seconds
        // Seen within the missing time, or in the frame before (frames far apart show no face missing).
        let canContinue = live.map {
            seconds - $0.lastSeconds <= settings.maximumMissingSeconds || $0.lastSeconds == previous
        }
        var pairs: [(overlap: Double, track: Int, face: Int)] = []
        for (t, track) in live.enumerated() where canContinue[t] {
            let predicted = track.predictedBox(at: seconds)
            for (f, box) in boxes.enumerated() where isReachable(box, from: track, at: seconds) {
                let overlap = predicted.intersectionOverUnion(with: box)
                if overlap >= settings.minimumOverlap { pairs.append((overlap, t, f)) }
            }
        }
        // Best overlaps first; ties broken by track then face position, so results never depend on hashing.
        pairs.sort { ($0.overlap, -$0.track, -$0.face) > ($1.overlap, -$1.track, -$1.face) }
        var ids = [Int?](repeating: nil, count: boxes.count)
        var trackTaken = [Bool](repeating: false, count: live.count)
        for pair in pairs where !trackTaken[pair.track] && ids[pair.face] == nil {
            trackTaken[pair.track] = true
            ids[pair.face] = live[pair.track].id
            update(&live[pair.track], with: boxes[pair.face], at: seconds)
        }
        // Tracks not found in this frame and unseen for longer than the missing time end here.
        var kept: [LiveTrack] = []
        for (t, track) in live.enumerated() {
            if trackTaken[t] || seconds - track.lastSeconds <= settings.maximumMissingSeconds {
                kept.append(track)
            } else {
                ended.append(track.id)
            }
        }
        live = kept
        for f in boxes.indices where ids[f] == nil {
            ids[f] = nextID
            live.append(LiveTrack(id: nextID, box: boxes[f], lastSeconds: seconds))
            nextID += 1
        }
        return ids.map { $0! }
    }

    /// Ends every live track (at a shot cut): the next faces start new tracks. The ended tracks come from
    /// `takeEnded`.
    public mutating func endAllTracks() {
        ended.append(contentsOf: live.map(\.id))
        live = []
    }

    /// Ends live track `id` and continues its box as a new track (the face checked is someone else: a cut the
    /// picture difference missed), returning the new ID; nil when `id` is not live.
    public mutating func restart(_ id: Int) -> Int? {
        guard let index = live.firstIndex(where: { $0.id == id }) else { return nil }
        ended.append(id)
        live[index].id = nextID
        // The new person's face has no motion yet: the old track's velocity belongs to someone else.
        live[index].velocityX = 0
        live[index].velocityY = 0
        nextID += 1
        return live[index].id
    }

    /// The tracks that ended since the last call (noticed when a later frame came), and forgets them.
    public mutating func takeEnded() -> [Int] {
        defer { ended = [] }
        return ended.sorted()
    }

    /// Whether a face could have moved from the track's last box to `box` by `seconds`: its centre no further than
    /// `maximumFaceWidthsPerSecond` face widths per second (the mean of the two widths), and its size changed by no
    /// more than `maximumSizeRatioPerSecond` per second, each with a fixed allowance for frames close together.
    private func isReachable(_ box: Box, from track: LiveTrack, at seconds: Double) -> Bool {
        let faceWidth = (box.width + track.box.width) / 2
        let elapsed = max(0, seconds - track.lastSeconds)
        let limit =
            faceWidth * (TrackSettings.jumpAllowanceFaceWidths + settings.maximumFaceWidthsPerSecond * elapsed)
        let dx = box.centre.x - track.box.centre.x, dy = box.centre.y - track.box.centre.y
        guard (dx * dx + dy * dy).squareRoot() <= limit else { return false }
        // Compared as logarithms, so growing and shrinking by the same factor count alike.
        let sizeChange = abs(log(box.width / track.box.width))
        let sizeLimit = log(TrackSettings.sizeAllowanceRatio) + log(settings.maximumSizeRatioPerSecond) * elapsed
        return sizeChange <= sizeLimit
    }

    private func update(_ track: inout LiveTrack, with box: Box, at seconds: Double) {
        let dt = seconds - track.lastSeconds
        if dt > 0 {
            // Blend the new velocity with the old one, so one jittery box does not throw the prediction.
            let vx = (box.centre.x - track.box.centre.x) / dt, vy = (box.centre.y - track.box.centre.y) / dt
            track.velocityX = 0.5 * track.velocityX + 0.5 * vx
            track.velocityY = 0.5 * track.velocityY + 0.5 * vy
        }
        track.box = box
        track.lastSeconds = seconds
    }
}
