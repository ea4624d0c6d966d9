/// The stage between decoding and the analysis when a video's faces are followed (`DetectionScheme.follow`):
/// whether a frame is searched depends on the frames before it, so its faces are found here, one frame after
/// another in order, and the parallel analysis only aligns and classifies them.
///
/// ```
/// decode ──[BoundedBuffer]──▶ follow (serial) ──[BoundedBuffer]──▶ analyse × width ▸ …
/// ```
struct FollowStage {
    let analyzer: FrameAnalyzer
    var follower: FaceFollower

    /// Moves every frame from `decoded` to `followed` with its faces found, then finishes `followed`. When the
    /// analysis gives up (`followed` cancelled), decoding is told to stop as well.
    mutating func run(from decoded: BoundedBuffer<SampledFrame>, into followed: BoundedBuffer<SampledFrame>) {
        while var frame = decoded.take() {
            frame.detection = analyzer.detect(frame, with: &follower)
            guard followed.put(frame) else {
                decoded.cancel()
                return
            }
        }
        followed.finish()
    }
}
