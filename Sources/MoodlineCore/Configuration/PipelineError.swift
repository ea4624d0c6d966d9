/// A pipeline file or override that cannot be used. Names the file and the key, or the flag.
public struct PipelineError: Error, Equatable, CustomStringConvertible {
    /// The file, or "command line".
    public let source: String
    /// The key at fault, e.g. `detector.min_score`.
    public let key: String?
    /// What is wrong, and the rule.
    public let message: String
    /// The command-line flag at fault, when a flag set the value (then `message` names it).
    public let flag: String?

    public init(source: String, key: String?, message: String, flag: String? = nil) {
        self.source = source
        self.key = key
        self.message = message
        self.flag = flag
    }

    public var description: String {
        if flag != nil { return message }
        return key.map { "\(source): '\($0)' \(message)" } ?? "\(source): \(message)"
    }
}
