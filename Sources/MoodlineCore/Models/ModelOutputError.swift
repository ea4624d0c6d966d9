/// A model produced numbers that cannot be results: NaN or infinity. This comes from damaged or wrong weights (or
/// a bug), never from a picture, so the input fails rather than reporting made-up readings.
public struct ModelOutputError: Error, Equatable, CustomStringConvertible {
    /// The model at fault, e.g. "face detector".
    public let model: String

    public init(model: String) { self.model = model }

    public var description: String {
        "the \(model) produced non-finite numbers (NaN or infinity); its weights may be damaged"
    }
}
