import MoodlineMedia

/// Who each track's face is, checked as frames come: the face embedder runs on a track's first face, then every
/// `checkEverySeconds`, and on every face of a frame whose picture changed half as much as a cut. A check far from
/// the track's own embedding means another person took its place (a cut the picture difference missed, two people
/// framed alike): the caller then restarts the track under a new ID.
///
/// A face is clear when the quality gate found it neither small, blurred, turned nor tilted (an unsure emotion says
/// nothing of who it is). Only a clear face can split a track (a blurred or turned face may embed far from its own);
/// each track keeps the mean of its first few embeddings (clear faces preferred) and the face that best shows it, for grouping tracks into persons at the end. Only these means stay in memory, 128 numbers a
/// track, so memory grows with the number of tracks and not with the length of the input. Confined to one queue.
struct TrackIdentities {
    private struct Identity {
        var sum: [Float]
        var count = 0
        /// Whether every embedding in `sum` is of an uncertain face (replaced by the first clear one).
        var onlyUncertain: Bool
        var lastCheckSeconds: Double
        /// The clearest face checked: the first certain one, or the largest while all are uncertain.
        var sighting: FaceSighting
        var sightingIsCertain: Bool

        var mean: [Float] { sum.map { $0 / Float(count) } }
    }

    let settings: PersonSettings
    let embedder: any FaceEmbedding
    private var identities: [Int: Identity] = [:]
    /// Faces embedded so far, for `run.json`'s accounting of the cost.
    private(set) var embedded = 0

    init(settings: PersonSettings, embedder: any FaceEmbedding) {
        self.settings = settings
        self.embedder = embedder
    }

    /// Checks the faces of one frame against their tracks; returns, for each face that is not its track's person,
    /// the face's index and embedding (to `begin` the new track with).
    ///
    /// - Parameter suspicious: whether the picture changed enough since the last frame to check every face.
    mutating func check(
        _ faces: [AnalysedFace], trackIDs: [Int], frameIndex: Int, at seconds: Double, suspicious: Bool
    ) -> [(face: Int, embedding: [Float])] {
        let due = faces.indices.filter { i in
            guard faces[i].chip != nil else { return false }
            guard let identity = identities[trackIDs[i]] else { return true }
            // A microsecond's slack: frame times are sums of steps (0.6 - 0.4 is a little under 0.2).
            return suspicious || seconds - identity.lastCheckSeconds >= settings.checkEverySeconds - 1e-6
        }
        guard !due.isEmpty else { return [] }
        let embeddings = embedder.embed(chips: due.map { faces[$0].chip! })
        embedded += due.count
        var others: [(face: Int, embedding: [Float])] = []
        for (i, embedding) in zip(due, embeddings) {
            let face = faces[i]
            let sighting = FaceSighting(frameIndex: frameIndex, timeSeconds: seconds, box: face.detection.box)
            let isCertain = Self.isClear(face)
            guard var identity = identities[trackIDs[i]] else {
                begin(trackIDs[i], with: embedding, face: face, sighting: sighting)
                continue
            }
            // Only against clear faces: a track seen so far only blurred or turned is not someone else for that.
            if isCertain && !identity.onlyUncertain
                && Double(FaceDescriptorDistance.euclidean(embedding, identity.mean)) > settings.splitDistance
            {
                others.append((i, embedding))
                continue
            }
            identity.lastCheckSeconds = seconds
            if isCertain && identity.onlyUncertain {
                // A clear face replaces the uncertain ones the track started with.
                identity.sum = embedding
                identity.count = 1
                identity.onlyUncertain = false
            } else if identity.count < settings.embeddingsPerSegment && (isCertain || identity.onlyUncertain) {
                for k in identity.sum.indices { identity.sum[k] += embedding[k] }
                identity.count += 1
            }
            if isCertain && !identity.sightingIsCertain
                || !identity.sightingIsCertain && face.detection.box.area > identity.sighting.box.area
            {
                identity.sighting = sighting
                identity.sightingIsCertain = isCertain
            }
            identities[trackIDs[i]] = identity
        }
        return others
    }

    /// Starts track `id`'s identity with a face already embedded (a track restarted for another person).
    mutating func begin(_ id: Int, with embedding: [Float], face: AnalysedFace, sighting: FaceSighting) {
        let isCertain = Self.isClear(face)
        identities[id] = Identity(
            sum: embedding, count: 1, onlyUncertain: !isCertain, lastCheckSeconds: sighting.timeSeconds,
            sighting: sighting, sightingIsCertain: isCertain)
    }

    /// Whether the face shows who it is well: not small, blurred, turned or tilted (an unsure reading of its
    /// expression does not matter here).
    static func isClear(_ face: AnalysedFace) -> Bool {
        face.quality.reasons.allSatisfy { $0 == .lowConfidence || $0 == .ambiguous }
    }

    /// Track `id`'s embedding (the mean of its checks); nil for a track never checked.
    func embedding(of id: Int) -> [Float]? { identities[id]?.mean }

    /// The face that best shows track `id`.
    func sighting(of id: Int) -> FaceSighting? { identities[id]?.sighting }
}
