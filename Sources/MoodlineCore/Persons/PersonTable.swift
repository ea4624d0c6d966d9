/// An input's persons: which person each track is, and each person's summary.
///
/// Made at the end of an input from its track summaries and the embeddings its tracks were checked with: tracks are
/// clustered (`PersonClustering`) at `PersonSettings.samePersonDistance`; a track never embedded (persons off, or
/// no chip) is a person of its own.
public struct PersonTable: Sendable, Equatable {
    /// Each track's person ID.
    public let personOfTrack: [Int: Int]
    /// The persons, by ID.
    public let persons: [PersonSummary]
    /// What was grouped: each embedded track's mean embedding and span (in order of first appearance), or each
    /// embedded face of a photo set. Empty when nothing was embedded.
    public let segments: [FaceSegment]
    /// Each checked track's clearest face (empty when nothing was embedded).
    public let sightings: [Int: FaceSighting]

    /// No persons (tracking off).
    public static let none = PersonTable(personOfTrack: [:], persons: [])

    init(personOfTrack: [Int: Int], persons: [PersonSummary], segments: [FaceSegment] = []) {
        self.personOfTrack = personOfTrack
        self.persons = persons
        self.segments = segments
        sightings = [:]
    }

    /// Groups `tracks` into persons by the embeddings `identities` kept (nil: every track is its own person).
    /// `facesOfTrack`: each track's faces in all (uncertain ones too), for the persons' share of the video; a track
    /// missing there counts its summary's frames.
    init(
        tracks: [TrackSummary], identities: TrackIdentities?, settings: PersonSettings, facesOfTrack: [Int: Int] = [:]
    ) {
        let ordered = tracks.sorted { ($0.firstSeconds, $0.id) < ($1.firstSeconds, $1.id) }
        let embedded = ordered.filter { identities?.embedding(of: $0.id) != nil }
        let segments = embedded.map {
            FaceSegment(id: $0.id, span: $0.firstSeconds...$0.lastSeconds, embedding: identities!.embedding(of: $0.id)!)
        }
        let groups = PersonClustering(threshold: Float(settings.samePersonDistance)).persons(of: segments)
        var sightings: [Int: FaceSighting] = [:]
        for track in tracks { sightings[track.id] = identities?.sighting(of: track.id) }
        self.init(
            tracks: tracks, groupOfTrack: Dictionary(uniqueKeysWithValues: zip(segments.map(\.id), groups)),
            sightings: sightings, facesOfTrack: facesOfTrack, segments: segments)
    }

    /// Tracks grouped as `groupOfTrack` says (any numbers: tracks with one number are one person; a track not
    /// there is a person of its own), persons numbered by first appearance. `sightings`: each track's clearest face
    /// checked, a person's representative being that of their longest track. The grouping `moodline regroup`
    /// applies, and the one clustering makes.
    init(
        tracks: [TrackSummary], groupOfTrack: [Int: Int], sightings: [Int: FaceSighting], facesOfTrack: [Int: Int],
        segments: [FaceSegment] = []
    ) {
        let ordered = tracks.sorted { ($0.firstSeconds, $0.id) < ($1.firstSeconds, $1.id) }
        var personOfTrack: [Int: Int] = [:]
        var personOfGroup: [Int: Int] = [:]
        var members: [[TrackSummary]] = []
        for track in ordered {
            let person: Int
            if let group = groupOfTrack[track.id] {
                if let known = personOfGroup[group] {
                    person = known
                } else {
                    person = members.count + 1
                    personOfGroup[group] = person
                    members.append([])
                }
            } else {
                person = members.count + 1
                members.append([])
            }
            personOfTrack[track.id] = person
            members[person - 1].append(track)
        }
        self.personOfTrack = personOfTrack
        self.segments = segments
        self.sightings = sightings
        persons = members.enumerated().map { index, tracks in
            let longest = tracks.max { ($0.screenSeconds, -$0.id) < ($1.screenSeconds, -$1.id) }!
            let shown = tracks.reduce(0) { $0 + (facesOfTrack[$1.id] ?? $1.framesSeen) }
            return PersonSummary(
                id: index + 1, tracks: tracks, framesShown: shown, representative: sightings[longest.id])
        }
    }

    /// A photo set's faces grouped into persons: each face (a segment at its photo's position, keyed by its number
    /// in the set) gets a person, numbered by first appearance; no summaries (`persons` is empty).
    init(faces: [FaceSegment], settings: PersonSettings) {
        let groups = PersonClustering(threshold: Float(settings.samePersonDistance)).persons(of: faces)
        personOfTrack = Dictionary(zip(faces.map(\.id), groups), uniquingKeysWith: { first, _ in first })
        persons = []
        segments = faces
        sightings = [:]
    }

    /// A photo set's faces grouped as `groupOfFace` says (by face number, any numbers: faces with one number are
    /// one person), persons numbered by first appearance (in the faces' order); a face not there has none.
    init(faces: [FaceSegment], groupOfFace: [Int: Int]) {
        var personOfGroup: [Int: Int] = [:]
        var personOfFace: [Int: Int] = [:]
        for face in faces {
            guard let group = groupOfFace[face.id] else { continue }
            if personOfGroup[group] == nil { personOfGroup[group] = personOfGroup.count + 1 }
            personOfFace[face.id] = personOfGroup[group]
        }
        personOfTrack = personOfFace
        persons = []
        segments = faces
        sightings = [:]
    }

    /// How many persons there are.
    public var count: Int { persons.isEmpty ? Set(personOfTrack.values).count : persons.count }

    /// Track `id`'s person; nil for an unknown track (one left out of the summaries) or none.
    public func person(ofTrack id: Int?) -> Int? { id.flatMap { personOfTrack[$0] } }

    /// The person `id`, if there is one.
    public func person(_ id: Int) -> PersonSummary? {
        id >= 1 && id <= persons.count ? persons[id - 1] : nil
    }
}
