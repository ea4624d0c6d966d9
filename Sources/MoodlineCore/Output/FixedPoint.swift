/// Numbers as outputs print them: a fixed number of decimals, `.` as the separator, whatever the locale, and the
/// same digits on every run (no platform formatting involved).
enum FixedPoint {
    private static let powers: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]

    /// `value` rounded half away from zero to `decimals` places; non-finite values print as `0`, and
    /// magnitudes past 9e15 in exponent form.
    static func format(_ value: Double, decimals: Int) -> String {
        precondition((0..<powers.count).contains(decimals), "decimals must be 0...\(powers.count - 1)")
        guard value.isFinite else { return "0" }
        // Past what fits in Int64 (a crafted file's timestamps): Swift's shortest round-trip form, also locale-free.
        guard abs(value) < 9e15 / powers[decimals] else { return "\(value)" }
        let scaled = Int64((abs(value) * powers[decimals]).rounded(.toNearestOrAwayFromZero))
        let unit = Int64(powers[decimals])
        let whole = String(scaled / unit)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + whole }
        let fraction = String(scaled % unit)
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    static func format(_ value: Float, decimals: Int) -> String { format(Double(value), decimals: decimals) }
}

/// Decimal places for each kind of number in the outputs.
enum Precision {
    static let seconds = 3
    static let pixels = 1
    static let score = 4
    static let probability = 4
    static let degrees = 1
}
