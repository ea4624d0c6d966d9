import Foundation

/// A JSON value whose shape is not fixed in code (a pipeline's settings, a media probe's facts), read and written
/// exactly: numbers come back bit for bit, and whole ones are written without a fraction (`5`, not `5.0`).
public enum JSONValue: Codable, Equatable, Sendable {
    /// `null`, a boolean, a number or a string.
    case null, bool(Bool), number(Double), string(String)
    /// A list, or an object keyed by name.
    case array([JSONValue]), object([String: JSONValue])

    /// `value` as JSON, through its own `Encodable` conformance (e.g. snake-case keys for a Swift-named type).
    init<T: Encodable>(encoding value: T, keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = keys
        self = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let values): try container.encode(values)
        }
    }

    /// The value under `key` of an object; nil for anything else.
    subscript(key: String) -> JSONValue? {
        guard case .object(let values) = self else { return nil }
        return values[key]
    }

    /// The text of a string; nil for anything else.
    var text: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The value written compactly with sorted keys: equal settings give equal text.
    var canonicalText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
