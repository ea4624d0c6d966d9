/// A stage's settings: the one file where its pipeline-file section is read, written and checked, and where its
/// command-line flags are declared. `PipelineFile` and the command line only walk the stages.
///
/// Most stages only list their `keys`: each key says once its name, its property, its range and its flag, and
/// reading, writing, checking and the flags all come from that list.
public protocol StageSettings: Sendable, Equatable {
    /// The section's name in a pipeline file, e.g. `detector`.
    static var section: String { get }
    /// The section's keys, in the order they are read and checked.
    static var keys: [SettingKey<Self>] { get }
    /// Reads the section over these settings (the defaults, or the pipeline's values); `finish` is called after.
    mutating func read(_ section: PipelineSection) throws
    /// The section as a JSON object (for `run.json` and to write a pipeline file).
    var json: JSONValue { get }
    /// Checks every key's range with `rules`, which names the key (or the flag that set it) in the error.
    func validate(_ rules: SettingRules) throws
    /// The command-line flags that override this section.
    static var flags: [SettingFlag<Self>] { get }
}

extension StageSettings {
    public mutating func read(_ section: PipelineSection) throws {
        for key in Self.keys { try key.read(&self, section) }
    }

    public var json: JSONValue {
        .object(
            Dictionary(uniqueKeysWithValues: Self.keys.compactMap { key in key.write(self).map { (key.name, $0) } }))
    }

    public func validate(_ rules: SettingRules) throws { try checkKeys(rules) }

    /// Checks each key in turn, as its entry in `keys` says.
    public func checkKeys(_ rules: SettingRules) throws {
        for key in Self.keys { try key.check(self, rules) }
    }

    public static var flags: [SettingFlag<Self>] { keys.compactMap(\.flag) }
}

/// Range checks that name the setting: the pipeline file's key, or the flag when a flag set it.
public struct SettingRules {
    let source: String
    let section: String
    /// Keys set from flags, with the flag's name (`min_score` → `--min-score`).
    let flagsByKey: [String: String]

    /// Throws when `ok` is false: "'detector.min_score' must be between 0 and 1 (got 2.0)", or, for a flag,
    /// "--min-score must be between 0 and 1 (got 2.0)".
    public func check(_ ok: Bool, _ key: String, _ rule: String, _ value: Any) throws {
        guard !ok else { return }
        if let flag = flagsByKey[key] {
            throw PipelineError(
                source: "command line", key: nil, message: "--\(flag) must be \(rule) (got \(value))", flag: flag)
        }
        throw PipelineError(source: source, key: "\(section).\(key)", message: "must be \(rule) (got \(value))")
    }
}

/// A command-line flag that overrides a stage's setting.
public struct SettingFlag<Settings: StageSettings>: Sendable {
    /// The flag's name without dashes, e.g. `min-score`.
    public let name: String
    /// The pipeline key it sets (for errors), e.g. `min_score`.
    public let key: String
    /// The flag's help, as `--help` shows it.
    public let help: String
    /// Whether the flag takes no value (`--no-tracking`).
    public let isSwitch: Bool
    /// Applies the flag's value (nil for a switch) to the settings.
    public let apply: @Sendable (inout Settings, String?) throws -> Void

    public init(
        _ name: String, key: String, help: String, isSwitch: Bool = false,
        apply: @escaping @Sendable (inout Settings, String?) throws -> Void
    ) {
        self.name = name
        self.key = key
        self.help = help
        self.isSwitch = isSwitch
        self.apply = apply
    }

    /// A flag's value as a number, or an error naming the flag.
    public static func number(_ value: String?, flag: String) throws -> Double {
        guard let value, let number = Double(value) else {
            throw PipelineError(
                source: "command line", key: nil, message: "--\(flag) needs a number (got \(value ?? "nothing"))",
                flag: flag)
        }
        return number
    }

    /// A flag's value as one of an enumeration's raw values, or an error naming the flag and the choices.
    public static func choice<T: RawRepresentable & CaseIterable>(_ value: String?, flag: String) throws -> T
    where T.RawValue == String {
        guard let value, let parsed = T(rawValue: value) else {
            throw PipelineError(
                source: "command line", key: nil,
                message:
                    "--\(flag) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) (got \(value ?? "nothing"))",
                flag: flag)
        }
        return parsed
    }

    /// A flag's value as a whole number, or an error naming the flag.
    public static func integer(_ value: String?, flag: String) throws -> Int {
        guard let value, let number = Int(value) else {
            throw PipelineError(
                source: "command line", key: nil, message: "--\(flag) needs a whole number (got \(value ?? "nothing"))",
                flag: flag)
        }
        return number
    }
}
