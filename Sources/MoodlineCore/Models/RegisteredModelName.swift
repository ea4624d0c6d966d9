/// A model's name as pipelines and flags give it, valid when the registry has an entry of that name: what
/// `DetectorModel` and `ClassifierModel` share. Read from JSON and flags as the plain name.
public protocol RegisteredModelName: RawRepresentable, Hashable, Sendable, Codable, CaseIterable
where RawValue == String {
    /// The registered names of this kind, in the registry's order, each with what it is for.
    static var registered: [(name: String, summary: String)] { get }
    /// The name without checking the registry (for built-in constants and `allCases`).
    init(registeredName: String)
}

extension RegisteredModelName {
    /// The model called `rawValue`; nil when the registry has none of that name.
    public init?(rawValue: String) {
        guard Self.registered.contains(where: { $0.name == rawValue }) else { return nil }
        self.init(registeredName: rawValue)
    }

    /// Every registered model of this kind.
    public static var allCases: [Self] { registered.map { Self(registeredName: $0.name) } }

    /// One line listing the choices, for `--help`.
    public static var choicesHelp: String { registered.map { "\($0.name) (\($0.summary))" }.joined(separator: ", ") }

    /// Read as its name, a registered one.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let model = Self(rawValue: name) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "no model called '\(name)'"))
        }
        self = model
    }

    /// Written as its name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
