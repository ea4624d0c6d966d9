/// The tool's version, recorded in every run manifest.
public enum MoodlineVersion {
    public static let string = "0.5.0"
    /// The version of the output files' layout (ARCHITECTURE.md, "Outputs").
    public static let schema = 3
}
