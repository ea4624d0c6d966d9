/// Which face detector a pipeline runs: the name of an entry in `ModelRegistry.detectors`.
public struct DetectorModel: RegisteredModelName {
    public let rawValue: String

    public init(registeredName: String) { rawValue = registeredName }

    public static var registered: [(name: String, summary: String)] {
        ModelRegistry.detectors.map { ($0.name, $0.summary) }
    }

    /// Both BlazeFace networks, their faces merged: the default.
    public static let auto = DetectorModel(registeredName: "auto")
    /// BlazeFace full range alone.
    public static let fullRange = DetectorModel(registeredName: "full_range")
    /// BlazeFace short range alone.
    public static let shortRange = DetectorModel(registeredName: "short_range")
    /// CenterFace: crowds and small faces.
    public static let centerFace = DetectorModel(registeredName: "centerface")
    /// No detection: each picture is one face.
    public static let wholeImage = DetectorModel(registeredName: "whole_image")

    /// The registry's entry (a model made from a name has one unless a program withdrew it since).
    public var entry: FaceDetectorEntry {
        guard let entry = ModelRegistry.detector(named: rawValue) else {
            preconditionFailure("detector '\(rawValue)' is not registered")
        }
        return entry
    }
}
