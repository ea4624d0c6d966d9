/// How track segments (and a photo set's faces) are told apart and grouped into persons (`persons`).
public struct PersonSettings: StageSettings {
    /// Group faces into persons with the face embedder, and check each track's identity as it goes.
    public var enabled: Bool
    /// The largest mean embedding distance between two groups of segments at which they are one person. dlib's
    /// own threshold for its ResNet is 0.6 (`FaceDescriptorDistance`); on BlazeFace chips of 29 public people
    /// (`PersonThresholdMediaTests`) the same person measured 0.30 to 0.55 and different people 0.62 and more.
    public var samePersonDistance: Double
    /// A track whose clear face, checked, is further than this from the track's own embedding is another person: the
    /// track ends there and a new one starts (a cut the picture difference missed, two people framed alike). As
    /// `samePersonDistance` by default: a track split in error is joined again as one person, a track left holding
    /// two people is not (two women of one group photo, 48 px faces scaled up, measured 0.6 to 0.7 apart).
    public var splitDistance: Double
    /// How often each track's face is embedded and checked, in source seconds (also at the track's first frame,
    /// and on any frame whose picture changed half as much as a cut).
    public var checkEverySeconds: Double
    /// The most embeddings averaged into a segment's own: its first checks, sharp faces preferred.
    public var embeddingsPerSegment: Int

    public init(
        enabled: Bool = true, samePersonDistance: Double = 0.6, splitDistance: Double = 0.6,
        checkEverySeconds: Double = 2, embeddingsPerSegment: Int = 5
    ) {
        self.enabled = enabled
        self.samePersonDistance = samePersonDistance
        self.splitDistance = splitDistance
        self.checkEverySeconds = checkEverySeconds
        self.embeddingsPerSegment = embeddingsPerSegment
    }

    public static let section = "persons"

    public static let keys: [SettingKey<PersonSettings>] = [
        .bool(
            "enabled", \.enabled,
            flag: .init(
                "no-persons",
                help: "Do not group faces into persons (no face embedder runs; every track is its own person)."),
            switchedTo: false),
        .number(
            "same_person_distance", \.samePersonDistance, in: 0...4,
            flag: .init(
                "same-person-distance",
                help:
                    "The face-embedding distance below which two tracks or photos are one person: lower splits people more readily, higher merges them."
            )),
        .number("split_distance", \.splitDistance, in: 0...4),
        .number("check_every_s", \.checkEverySeconds, in: 0.01...86_400),
        .integer("embeddings_per_segment", \.embeddingsPerSegment, in: 1...100),
    ]
}
