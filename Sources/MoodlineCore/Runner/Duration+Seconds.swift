extension Duration {
    /// The duration in seconds as a `Double`, for stage timings and stream times.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
