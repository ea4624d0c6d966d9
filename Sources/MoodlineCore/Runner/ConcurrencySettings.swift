/// The `concurrency` section: how many frames of one input are analysed at once, and how many wait.
public struct ConcurrencySettings: StageSettings {
    /// Frames analysed at once (detection, alignment, classification) for one input.
    public var width: Int
    /// Decoded frames waiting for analysis, at most.
    public var bufferFrames: Int

    public init(width: Int = 2, bufferFrames: Int = 4) {
        self.width = width
        self.bufferFrames = bufferFrames
    }

    public static let section = "concurrency"

    public static let keys: [SettingKey<ConcurrencySettings>] = [
        .integer("width", \.width, in: 1...64, flag: .init("concurrency", help: "Frames analysed at once per input.")),
        .integer("buffer_frames", \.bufferFrames, in: 1...1024),
    ]
}
