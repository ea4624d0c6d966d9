/// How a track's emotion probabilities are smoothed over time.
public struct SmoothingSettings: StageSettings, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable {
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

    public mutating func read(_ section: PipelineSection) throws {
        if let name = try section.string("method") {
            guard let parsed = Method(rawValue: name) else {
                throw PipelineError(source: section.source, key: section.key("method"), message: "must be none, window or ema (got \(name))")
            }
            method = parsed
        }
        windowSeconds = try section.number("window_s") ?? windowSeconds
    }

    public var json: [String: Any] { ["method": method.rawValue, "window_s": windowSeconds] }

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

    public func validate(_ rules: SettingRules) throws {
        try rules.check((0...3_600).contains(windowSeconds), "window_s", "between 0 and 3600", windowSeconds)
    }

    public static let flags: [SettingFlag<SmoothingSettings>] = [
        SettingFlag("smoothing-window", key: "window_s", help: "Smoothing window over time, in seconds (0 for none).") {
            $0.windowSeconds = try SettingFlag<SmoothingSettings>.number($1, flag: "smoothing-window")
            if $0.windowSeconds == 0 { $0.method = .none }
        },
    ]
}
