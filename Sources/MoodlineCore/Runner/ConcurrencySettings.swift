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

    public mutating func read(_ section: PipelineSection) throws {
        width = try section.integer("width") ?? width
        bufferFrames = try section.integer("buffer_frames") ?? bufferFrames
    }

    public var json: [String: Any] { ["width": width, "buffer_frames": bufferFrames] }

    public func validate(_ rules: SettingRules) throws {
        try rules.check((1...64).contains(width), "width", "between 1 and 64", width)
        try rules.check((1...1024).contains(bufferFrames), "buffer_frames", "between 1 and 1024", bufferFrames)
    }

    public static let flags: [SettingFlag<ConcurrencySettings>] = [
        SettingFlag("concurrency", key: "width", help: "Frames analysed at once per input.") {
            $0.width = try SettingFlag<ConcurrencySettings>.integer($1, flag: "concurrency")
        },
    ]
}
