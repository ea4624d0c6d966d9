/// Small helpers for writing JSON by hand, so number formatting (and so the bytes) is fixed.
enum JSONText {
    /// A JSON string literal.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `{"angry":0.0100,...}` in label order.
    static func probabilities(_ scores: EmotionScores) -> String {
        "{"
            + zip(Emotion.allCases, scores.probabilities).map {
                "\"\($0.rawValue)\":\(FixedPoint.format($1, decimals: Precision.probability))"
            }.joined(separator: ",") + "}"
    }
}
