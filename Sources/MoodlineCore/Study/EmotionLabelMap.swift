import Foundation

/// How a coding scheme's labels name the seven emotions: the seven names themselves, common other forms (`anger`,
/// `joy`, `sadness`, `surprised`, ...), and the user's own (`--map 'frustrated=angry'`), compared without regard to
/// case or surrounding space. A label it cannot name (`contempt`, `laughing`) is no emotion of the seven.
public struct EmotionLabelMap: Sendable {
    /// The other forms understood without a map.
    public static let synonyms: [String: Emotion] = [
        "anger": .angry, "angry": .angry, "disgusted": .disgust, "disgust": .disgust, "fear": .fear,
        "fearful": .fear, "afraid": .fear, "scared": .fear, "happy": .happy, "happiness": .happy, "joy": .happy,
        "sad": .sad, "sadness": .sad, "surprise": .surprise, "surprised": .surprise, "neutral": .neutral,
    ]

    private var table: [String: Emotion] = Self.synonyms

    /// The built-in forms, then `pairs` (`from=to`, `to` one of the seven) over them.
    ///
    /// - Throws: a message naming a pair that is not `from=to` or maps to no emotion of the seven.
    public init(pairs: [String] = []) throws(EmotionLabelMap.Failure) {
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0) }
            guard parts.count == 2, !Self.key(parts[0]).isEmpty else {
                throw Failure(message: "'\(pair)' is not from=to")
            }
            guard let emotion = Emotion(rawValue: Self.key(parts[1])) else {
                throw Failure(
                    message:
                        "'\(pair)' maps to '\(parts[1])', not one of \(Emotion.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            table[Self.key(parts[0])] = emotion
        }
    }

    /// The emotion `label` names, or nil.
    public func emotion(_ label: String) -> Emotion? { table[Self.key(label)] }

    private static func key(_ label: String) -> String {
        label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
