/// What can be the main subject: a person, or (in older callers) a track.
public protocol SubjectCandidate {
    var id: Int { get }
    var meanBox: Box { get }
    var screenSeconds: Double { get }
}

extension TrackSummary: SubjectCandidate {}
extension PersonSummary: SubjectCandidate {}

/// How the main subject is chosen among an input's persons (`tracking.subject`, `--subject`).
public enum SubjectChoice: String, Sendable, Codable, CaseIterable {
    /// The track with the largest mean face.
    case largest
    /// The track on screen longest.
    case longest
    /// The track whose mean face is nearest the picture's centre.
    case center
    /// No track is marked.
    case all

    /// The subject's ID among `candidates` (persons, or tracks); nil for `all` or when there are none. Ties go to
    /// the one longer on screen, then to the lower ID, so the choice is the same on every run.
    public func pick<Candidate: SubjectCandidate>(from tracks: [Candidate], picture: PictureSize?) -> Int? {
        guard self != .all, !tracks.isEmpty else { return nil }
        // Higher is better for each criterion; screen time then ID break ties.
        func merit(_ track: Candidate) -> Double {
            switch self {
            case .largest:
                return track.meanBox.area
            case .longest:
                return track.screenSeconds
            case .center:
                guard let picture, picture.width > 0, picture.height > 0 else { return track.meanBox.area }
                let dx = (track.meanBox.centre.x - Double(picture.width) / 2) / Double(picture.width)
                let dy = (track.meanBox.centre.y - Double(picture.height) / 2) / Double(picture.height)
                return -(dx * dx + dy * dy).squareRoot()
            case .all:
                return 0
            }
        }
        let best = tracks.min { a, b in
            let (ma, mb) = (merit(a), merit(b))
            if ma != mb { return ma > mb }
            if a.screenSeconds != b.screenSeconds { return a.screenSeconds > b.screenSeconds }
            return a.id < b.id
        }
        return best?.id
    }
}
