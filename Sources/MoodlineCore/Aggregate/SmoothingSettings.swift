/// How a track's emotion probabilities are smoothed over time.
public struct SmoothingSettings: Sendable, Equatable, Codable {
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
}
