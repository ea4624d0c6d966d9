/// The `decode` section: at what size frames are analysed.
public struct DecodeSettings: StageSettings {
    /// Frames whose longer side is larger are scaled down while converted (0: full size); results stay in source
    /// pixels.
    public var maximumSidePixels: Int

    public init(maximumSidePixels: Int = 1280) {
        self.maximumSidePixels = maximumSidePixels
    }

    public static let section = "decode"

    public mutating func read(_ section: PipelineSection) throws {
        maximumSidePixels = try section.integer("max_side") ?? maximumSidePixels
    }

    public var json: [String: Any] { ["max_side": maximumSidePixels] }

    public func validate(_ rules: SettingRules) throws {
        try rules.check(maximumSidePixels == 0 || (192...65_536).contains(maximumSidePixels), "max_side",
                        "0 (full size) or between 192 and 65536", maximumSidePixels)
    }

    public static let flags: [SettingFlag<DecodeSettings>] = [
        SettingFlag("max-side", key: "max_side",
                    help: "Analyse frames with their longer side at most this many pixels (0: full size); results stay in source pixels.") {
            $0.maximumSidePixels = try SettingFlag<DecodeSettings>.integer($1, flag: "max-side")
        },
    ]
}
