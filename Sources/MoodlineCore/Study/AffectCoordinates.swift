/// Valence (unpleasant 0 to pleasant 1) and arousal (calm 0 to excited 1) derived from the seven probabilities:
/// the probability-weighted mean of each class name's ratings in the NRC Valence, Arousal and Dominance Lexicon
/// v1.0 (Mohammad 2018, "Obtaining Reliable Human Ratings of Valence, Arousal, and Dominance for 20,000 English
/// Words", ACL), looked up by the class names themselves (`angry`, not `anger`), as transforEmotion's
/// `map_discrete_to_vad(weighted = TRUE)` does.
///
/// These are derived from the classes, not measured: a face the classifier reads 100% `happy` gets `happy`'s word
/// ratings, however calm or excited it looks. Read them as a summary of the class probabilities on two familiar axes.
public enum AffectCoordinates {
    /// Each emotion's (valence, arousal) in the lexicon, in `Emotion.allCases` order.
    public static let ratings: [Emotion: (valence: Double, arousal: Double)] = [
        .angry: (0.122, 0.830),
        .disgust: (0.052, 0.775),
        .fear: (0.073, 0.840),
        .happy: (1.000, 0.735),
        .sad: (0.225, 0.333),
        .surprise: (0.875, 0.875),
        .neutral: (0.469, 0.184),
    ]

    /// The weighted means for `probabilities` (seven, in `Emotion.allCases` order), renormalised to sum to 1; (0, 0)
    /// for probabilities that sum to nothing.
    public static func of<P: Collection>(_ probabilities: P) -> (valence: Double, arousal: Double)
    where P.Element: BinaryFloatingPoint {
        var valence = 0.0, arousal = 0.0, total = 0.0
        for (emotion, p) in zip(Emotion.allCases, probabilities) {
            let weight = Double(p)
            valence += weight * ratings[emotion]!.valence
            arousal += weight * ratings[emotion]!.arousal
            total += weight
        }
        guard total > 0 else { return (0, 0) }
        return (valence / total, arousal / total)
    }

    /// `valence` and `arousal` of `probabilities` as the tables write them (4 decimals); two empty cells for nil.
    static func cells<P: Collection>(_ probabilities: P?) -> [String] where P.Element: BinaryFloatingPoint {
        guard let probabilities else { return ["", ""] }
        let affect = of(probabilities)
        return [affect.valence, affect.arousal].map { FixedPoint.format($0, decimals: Precision.probability) }
    }
}
