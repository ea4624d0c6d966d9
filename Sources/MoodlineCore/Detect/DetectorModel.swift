/// Which face detector a pipeline runs: the name of an entry in `ModelRegistry.detectors`.
public struct DetectorModel: RawRepresentable, Hashable, Sendable, Codable, CaseIterable {
    public let rawValue: String

    /// The detector called `rawValue`; nil when the registry has none of that name.
    public init?(rawValue: String) {
        guard ModelRegistry.detector(named: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    private init(builtIn name: String) { rawValue = name }

    /// Read as its name, a registered one.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let model = DetectorModel(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no detector called '\(name)'"))
        }
        self = model
    }

    /// Written as its name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Both BlazeFace networks, their faces merged: the default.
    public static let auto = DetectorModel(builtIn: "auto")
    /// BlazeFace full range alone.
    public static let fullRange = DetectorModel(builtIn: "full_range")
    /// BlazeFace short range alone.
    public static let shortRange = DetectorModel(builtIn: "short_range")
    /// No detection: each picture is one face.
    public static let wholeImage = DetectorModel(builtIn: "whole_image")

    /// Every registered detector.
    public static var allCases: [DetectorModel] { ModelRegistry.detectors.map { DetectorModel(builtIn: $0.name) } }

    /// The registry's entry (a model made from a name has one unless a program withdrew it since).
    public var entry: FaceDetectorEntry {
        guard let entry = ModelRegistry.detector(named: rawValue) else { preconditionFailure("detector '\(rawValue)' is not registered") }
        return entry
    }

    /// One line listing the choices, for `--help`.
    public static var choicesHelp: String {
        ModelRegistry.detectors.map { "\($0.name) (\($0.summary))" }.joined(separator: ", ")
    }
}
