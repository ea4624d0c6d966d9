/// One key of a stage's settings, declared once: its name in a pipeline file, the property it sets, and from that
/// how it is read, written and range-checked, and the command-line flag that sets it, if it has one.
///
/// Adding a setting is a property with its default and one line in its stage's `keys`:
///
/// ```swift
/// .number("min_score", \.minimumScore, in: 0...1, flag: .init("min-score", help: "Drop faces whose score is below this."))
/// ```
///
/// That line is the only place the key is spelled: the type errors naming it, the unknown-key check, `run.json`,
/// the range check (naming the flag when a flag set the value) and the flag's effect all come from it. A new flag
/// also needs its `@Option` line in the command-line tool's `PipelineOptions`, as ArgumentParser wants a stored
/// property per flag. A key whose range depends on another key (`episodes.exit`) gives its own `check`; a check that
/// must come after all the others (`decode.end_s`) goes in the type's `validate`, after `checkKeys`.
public struct SettingKey<Settings: StageSettings>: Sendable {
    /// A flag that sets the key from the command line: its name without dashes, and its help.
    public struct Flag: Sendable {
        let name: String
        let help: String

        /// A flag `--name` with the help `--help` shows for it.
        public init(_ name: String, help: String) {
            self.name = name
            self.help = help
        }
    }

    /// The key's name in the section, e.g. `min_score`.
    public let name: String
    let read: @Sendable (inout Settings, PipelineSection) throws -> Void
    /// The value as the section writes it; nil leaves the key out.
    let write: @Sendable (Settings) -> JSONValue?
    let check: @Sendable (Settings, SettingRules) throws -> Void
    /// The flag, with its effect.
    let flag: SettingFlag<Settings>?

    /// A key with every part given; the typed constructors below cover the common kinds.
    public init(
        _ name: String, read: @escaping @Sendable (inout Settings, PipelineSection) throws -> Void,
        write: @escaping @Sendable (Settings) -> JSONValue?,
        check: @escaping @Sendable (Settings, SettingRules) throws -> Void = { _, _ in },
        flag: SettingFlag<Settings>? = nil
    ) {
        self.name = name
        self.read = read
        self.write = write
        self.check = check
        self.flag = flag
    }
}

extension SettingKey {
    /// A number that must satisfy `valid`, which `rule` says in words ("between 0 and 1").
    public static func number(
        _ name: String, _ property: WritableKeyPath<Settings, Double> & Sendable, rule: String,
        valid: @escaping @Sendable (Double) -> Bool, flag: Flag? = nil
    ) -> SettingKey {
        SettingKey(
            name, read: { $0[keyPath: property] = try $1.number(name) ?? $0[keyPath: property] },
            write: { .number($0[keyPath: property]) },
            check: { try $1.check(valid($0[keyPath: property]), name, rule, $0[keyPath: property]) },
            flag: flag.map { flag in
                SettingFlag(flag.name, key: name, help: flag.help) {
                    $0[keyPath: property] = try SettingFlag<Settings>.number($1, flag: flag.name)
                }
            })
    }

    /// A number within `range`.
    public static func number(
        _ name: String, _ property: WritableKeyPath<Settings, Double> & Sendable, in range: ClosedRange<Double>,
        flag: Flag? = nil
    ) -> SettingKey {
        number(
            name, property, rule: "between \(wholeText(range.lowerBound)) and \(wholeText(range.upperBound))",
            valid: { range.contains($0) }, flag: flag)
    }

    /// A number that may be absent (then left out of the section); when present it must satisfy `valid`, if given.
    /// A flag's value is read by `parse` (given the value and the flag's name).
    public static func optionalNumber(
        _ name: String, _ property: WritableKeyPath<Settings, Double?> & Sendable, rule: String = "",
        valid: (@Sendable (Double) -> Bool)? = nil, flag: Flag? = nil,
        parse: @escaping @Sendable (String?, String) throws -> Double = SettingFlag<Settings>.number
    ) -> SettingKey {
        SettingKey(
            name, read: { $0[keyPath: property] = try $1.number(name) ?? $0[keyPath: property] },
            write: { $0[keyPath: property].map(JSONValue.number) },
            check: { settings, rules in
                if let valid, let value = settings[keyPath: property] {
                    try rules.check(valid(value), name, rule, value)
                }
            },
            flag: flag.map { flag in
                SettingFlag(flag.name, key: name, help: flag.help) { $0[keyPath: property] = try parse($1, flag.name) }
            })
    }

    /// A whole number that must satisfy `valid`, which `rule` says in words.
    public static func integer(
        _ name: String, _ property: WritableKeyPath<Settings, Int> & Sendable, rule: String,
        valid: @escaping @Sendable (Int) -> Bool, flag: Flag? = nil
    ) -> SettingKey {
        SettingKey(
            name, read: { $0[keyPath: property] = try $1.integer(name) ?? $0[keyPath: property] },
            write: { .number(Double($0[keyPath: property])) },
            check: { try $1.check(valid($0[keyPath: property]), name, rule, $0[keyPath: property]) },
            flag: flag.map { flag in
                SettingFlag(flag.name, key: name, help: flag.help) {
                    $0[keyPath: property] = try SettingFlag<Settings>.integer($1, flag: flag.name)
                }
            })
    }

    /// A whole number within `range`.
    public static func integer(
        _ name: String, _ property: WritableKeyPath<Settings, Int> & Sendable, in range: ClosedRange<Int>,
        flag: Flag? = nil
    ) -> SettingKey {
        integer(
            name, property, rule: "between \(range.lowerBound) and \(range.upperBound)", valid: { range.contains($0) },
            flag: flag)
    }

    /// `true` or `false`; a flag, if given, is a switch that sets `switchedTo`.
    public static func bool(
        _ name: String, _ property: WritableKeyPath<Settings, Bool> & Sendable, flag: Flag? = nil,
        switchedTo: Bool = true
    ) -> SettingKey {
        SettingKey(
            name, read: { $0[keyPath: property] = try $1.bool(name) ?? $0[keyPath: property] },
            write: { .bool($0[keyPath: property]) },
            flag: flag.map { flag in
                SettingFlag(flag.name, key: name, help: flag.help, isSwitch: true) { settings, _ in
                    settings[keyPath: property] = switchedTo
                }
            })
    }

    /// One of an enumeration's raw values.
    public static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ property: WritableKeyPath<Settings, T> & Sendable,
        flag: Flag? = nil
    ) -> SettingKey where T.RawValue == String {
        SettingKey(
            name, read: { $0[keyPath: property] = try $1.choice(name) ?? $0[keyPath: property] },
            write: { .string($0[keyPath: property].rawValue) },
            flag: flag.map { flag in
                SettingFlag(flag.name, key: name, help: flag.help) {
                    $0[keyPath: property] = try SettingFlag<Settings>.choice($1, flag: flag.name)
                }
            })
    }

    /// `value` as a rule's bound: `86400`, not `86400.0`.
    private static func wholeText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
