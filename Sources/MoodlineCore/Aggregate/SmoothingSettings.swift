/// How a track's emotion probabilities are smoothed over time.
public struct SmoothingSettings: StageSettings {
    public enum Method: String, Sendable, CaseIterable {
        /// No smoothing: the timeline is the per-frame probabilities.
        case none
        /// The mean of the track's frames within a window of `windowSeconds` centred on each frame.
        case window
        /// Exponential moving average with time constant `windowSeconds` (causal: looks only back).
        case ema
    }

    public var method: Method
    /// The window width, or the time constant for `ema`, in seconds.
    public var windowSeconds: Double

    public init(method: Method = .window, windowSeconds: Double = 1.0) {
        self.method = method
        self.windowSeconds = windowSeconds
    }

    public static let section = "smoothing"

    public static let keys: [SettingKey<SmoothingSettings>] = [
        SettingKey(
            "method",
            read: { settings, section in
                guard let name = try section.string("method") else { return }
                guard let parsed = Method(rawValue: name) else {
                    throw PipelineError(
                        source: section.source, key: section.key("method"),
                        message: "must be none, window or ema (got \(name))")
                }
                settings.method = parsed
            }, write: { .string($0.method.rawValue) }),
        .number("window_s", \.windowSeconds, in: 0...3_600),
    ]

    public static let flags: [SettingFlag<SmoothingSettings>] = [
        SettingFlag("smoothing-window", key: "window_s", help: "Smoothing window over time, in seconds (0 for none).") {
            $0.windowSeconds = try SettingFlag<SmoothingSettings>.number($1, flag: "smoothing-window")
            if $0.windowSeconds == 0 { $0.method = .none }
        }
    ]

    /// The time constant of an exponential moving average that smooths about as much as these settings, for a view
    /// that cannot look ahead (the live page): `windowSeconds` for `ema`, half the window for `window` (a centred
    /// window of w seconds averages about as many frames as a moving average with time constant w/2), 0 for `none`.
    public var causalTimeConstant: Double {
        switch method {
        case .none: 0
        case .ema: windowSeconds
        case .window: windowSeconds / 2
        }
    }
}
