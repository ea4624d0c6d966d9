import Foundation

/// One JSON object of a pipeline file being read: typed getters take keys one by one, and `finish` rejects any
/// key nobody took, so a typo is an error naming it rather than a setting silently ignored.
public final class PipelineSection {
    let values: [String: JSONValue]
    let path: String?
    /// The file (or other source) being read, for errors.
    public let source: String
    var taken: Set<String> = []

    init(_ json: JSONValue, path: String?, source: String) throws {
        guard case .object(let object) = json else {
            throw PipelineError(source: source, key: path, message: "must be a JSON object")
        }
        values = object
        self.path = path
        self.source = source
    }

    /// The full key of `name` in this section, e.g. `detector.min_score`.
    public func key(_ name: String) -> String { path.map { "\($0).\(name)" } ?? name }

    private func take(_ name: String) -> JSONValue? {
        taken.insert(name)
        return values[name]
    }

    /// A nested section, or nil when absent.
    public func section(_ name: String) throws -> PipelineSection? {
        guard let value = take(name) else { return nil }
        return try PipelineSection(value, path: key(name), source: source)
    }

    /// A string value, or nil when absent; any other type is an error naming the key.
    public func string(_ name: String) throws -> String? {
        guard let value = take(name) else { return nil }
        guard case .string(let text) = value else { throw wrongType(name, "a string") }
        return text
    }

    /// A list of strings, or nil when absent.
    public func strings(_ name: String) throws -> [String]? {
        guard let value = take(name) else { return nil }
        guard case .array(let items) = value else { throw wrongType(name, "a list of strings") }
        let list = items.compactMap(\.text)
        guard list.count == items.count else { throw wrongType(name, "a list of strings") }
        return list
    }

    /// A number (not a boolean), or nil when absent.
    public func number(_ name: String) throws -> Double? {
        guard let value = take(name) else { return nil }
        guard case .number(let number) = value else { throw wrongType(name, "a number") }
        return number
    }

    /// A whole number below 1e9 in size, or nil when absent.
    public func integer(_ name: String) throws -> Int? {
        guard let number = try number(name) else { return nil }
        guard number == number.rounded(), abs(number) < 1e9 else { throw wrongType(name, "a whole number") }
        return Int(number)
    }

    /// One of an enumeration's raw values, or nil when absent; any other string is an error listing the choices.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type = T.self) throws -> T?
    where T.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw PipelineError(
                source: source, key: key(name),
                message: "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text))")
        }
        return value
    }

    /// `true` or `false`, or nil when absent.
    public func bool(_ name: String) throws -> Bool? {
        guard let value = take(name) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(name, "true or false") }
        return flag
    }

    /// Rejects keys nobody asked for: a typo must not be silently ignored.
    public func finish() throws {
        if let unknown = values.keys.sorted().first(where: { !taken.contains($0) }) {
            throw PipelineError(source: source, key: key(unknown), message: "is not a known setting")
        }
    }

    func wrongType(_ name: String, _ expected: String) -> PipelineError {
        PipelineError(source: source, key: key(name), message: "must be \(expected)")
    }
}
