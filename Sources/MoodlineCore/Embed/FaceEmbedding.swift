import MoodlineMedia

/// A network that turns an aligned face chip into a descriptor: chips of one person give descriptors close
/// together, chips of different people far apart.
public protocol FaceEmbedding: Sendable {
    /// The side of the square RGB chip it reads, in pixels.
    var chipSize: Int { get }
    /// The length of each descriptor.
    var descriptorLength: Int { get }
    /// The descriptors of `chips`, in order, run as one batch. Each chip must be `chipSize` square; grey chips
    /// are read as RGB with equal channels.
    func embed(chips: [PixelBuffer]) -> [[Float]]
}

extension FaceEmbedding {
    /// The descriptor of one chip.
    public func embed(chip: PixelBuffer) -> [Float] {
        embed(chips: [chip])[0]
    }
}
