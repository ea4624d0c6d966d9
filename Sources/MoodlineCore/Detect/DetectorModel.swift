/// Which detector a pipeline runs.
public enum DetectorModel: String, Sendable, Codable, CaseIterable {
    /// Both BlazeFace networks, their faces merged: small faces in a scene and faces that fill the frame. The
    /// default; it costs the two networks together.
    case auto
    /// BlazeFace full range alone: small and mid-sized faces (group photos, wide shots).
    case fullRange = "full_range"
    /// BlazeFace short range alone: close-ups and faces that fill the picture; faster.
    case shortRange = "short_range"
    /// No detection: each picture is one face, for data sets of faces that are already cropped.
    case wholeImage = "whole_image"

    /// The BlazeFace networks this choice runs.
    public var variants: [BlazeFaceVariant] {
        switch self {
        case .auto: [.fullRange, .shortRange]
        case .fullRange: [.fullRange]
        case .shortRange: [.shortRange]
        case .wholeImage: []
        }
    }

    /// One line per choice, for `--help`.
    public static let choicesHelp = "auto (both BlazeFace networks: small and close-up faces), full_range, short_range (close-ups, faster), or whole_image (each picture is one face)"
}
