/// The `sampling` section: which decoded frames go on to detection.
extension SamplingMode: StageSettings {
    public static let section = "sampling"
    /// Which keys the section has depends on its mode, so it reads, writes and checks them itself.
    public static let keys: [SettingKey<SamplingMode>] = []

    public mutating func read(_ section: PipelineSection) throws {
        let mode = try section.string("mode") ?? "rate"
        switch mode {
        case "rate": self = .rate(framesPerSecond: try section.number("fps") ?? 5)
        case "every_frame": self = .everyFrame
        case "every_nth": self = .everyNth(try section.integer("every_nth") ?? 1)
        case "key_frames": self = .keyFrames
        default:
            throw PipelineError(
                source: section.source, key: section.key("mode"),
                message: "must be one of rate, every_frame, every_nth, key_frames (got \(mode))")
        }
    }

    public var json: JSONValue {
        switch self {
        case .rate(let fps): .object(["mode": .string("rate"), "fps": .number(fps)])
        case .everyFrame: .object(["mode": .string("every_frame")])
        case .everyNth(let n): .object(["mode": .string("every_nth"), "every_nth": .number(Double(n))])
        case .keyFrames: .object(["mode": .string("key_frames")])
        }
    }

    public func validate(_ rules: SettingRules) throws {
        switch self {
        case .rate(let fps): try rules.check(fps > 0 && fps <= 1000, "fps", "between 0 and 1000", fps)
        case .everyNth(let n): try rules.check(n >= 1, "every_nth", "at least 1", n)
        default: break
        }
    }

    public static let flags: [SettingFlag<SamplingMode>] = [
        SettingFlag("fps", key: "fps", help: "Sample this many frames per second, by timestamp.") {
            $0 = .rate(framesPerSecond: try SettingFlag<SamplingMode>.number($1, flag: "fps"))
        },
        SettingFlag("every-nth", key: "every_nth", help: "Sample every Nth frame instead.") {
            $0 = .everyNth(try SettingFlag<SamplingMode>.integer($1, flag: "every-nth"))
        },
        SettingFlag("every-frame", key: "mode", help: "Sample every frame.", isSwitch: true) { settings, _ in
            settings = .everyFrame
        },
        SettingFlag(
            "key-frames", key: "mode", help: "Sample key frames only (fastest; the decoder skips the rest).",
            isSwitch: true
        ) { settings, _ in
            settings = .keyFrames
        },
    ]
}
