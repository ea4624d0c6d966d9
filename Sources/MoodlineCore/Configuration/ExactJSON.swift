import Foundation

/// Reads JSON into the `[String: Any]` form that `PipelineSection` walks, with numbers read exactly.
///
/// `JSONSerialization` on Linux rounds some decimals to a neighbouring double (`0.30000000000000004` comes back
/// one unit off), so a setting written out and read again would change. `JSONDecoder` reads them exactly.
enum ExactJSON {
    /// The parsed value: dictionaries, arrays, strings, `NSNumber` (booleans as `Bool`-typed numbers) and `NSNull`.
    static func object(from data: Data) throws -> Any {
        try JSONDecoder().decode(JSONValue.self, from: data).foundationValue
    }
}

extension JSONValue {
    /// The value as `JSONSerialization` gives it.
    fileprivate var foundationValue: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return NSNumber(value: value)
        case .number(let value): return NSNumber(value: value)
        case .string(let value): return value
        case .array(let values): return values.map(\.foundationValue)
        case .object(let values): return values.mapValues(\.foundationValue)
        }
    }
}
