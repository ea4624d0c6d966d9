import MoodlineMedia

/// A face cut out of its frame for the embedder: a square RGB chip, landmarks at the template's places.
public struct FaceChip: Sendable {
    /// The RGB chip, `FaceChipCutter.size` square.
    public let pixels: PixelBuffer
    /// Maps chip coordinates to source coordinates (both continuous, pixel centres at `i + 0.5`, as
    /// `AlignedFace.cropToSource` does), so the chip can be drawn back on the frame.
    public let chipToSource: AffineTransform
}
