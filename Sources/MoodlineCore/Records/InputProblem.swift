import MoodlineMedia

/// Something that went wrong with part of an input: which file, which frame, what kind of failure, and why.
public struct InputProblem: Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is. `run.json` records the raw value; the input's status is decided from it.
    public enum Code: Sendable, Equatable, Hashable {
        /// The media layer's failure (missing file, unreadable format, damaged stream, ...).
        case media(MediaError.Code)
        /// An output could not be written (full disk, unwritable folder, a link in the way).
        case output
        /// The input's output folder holds another input's results (two inputs of one name): the same on every
        /// retry, so the input's problem, not the process's.
        case nameConflict
        /// An optional output (the annotated video) could not be written; the others stand.
        case optionalOutput
        /// A model gave non-finite numbers (damaged weights).
        case modelOutput
        /// Anything else.
        case other

        /// The code as `run.json` writes it, e.g. `damaged_stream`, `output`.
        public var rawValue: String {
            switch self {
            case .media(let code): code.rawValue
            case .output: "output"
            case .nameConflict: "name_conflict"
            case .optionalOutput: "optional_output"
            case .modelOutput: "model_output"
            case .other: "error"
            }
        }

        /// The code `run.json` wrote (for a checkpoint read back).
        public init(rawValue: String) {
            switch rawValue {
            case "output": self = .output
            case "name_conflict": self = .nameConflict
            case "optional_output": self = .optionalOutput
            case "model_output": self = .modelOutput
            default: self = MediaError.Code(rawValue: rawValue).map(Code.media) ?? .other
            }
        }

        /// Whether this failure leaves the input without results (rather than with results for what could be read).
        public var failsTheInput: Bool { self == .output || self == .nameConflict || self == .modelOutput }

        /// Whether this is a warning rather than an error: what could be read was analysed in full (a photo cut
        /// short, `damaged_picture`), and the console says `warning:`.
        public var isWarning: Bool { self == .media(.damagedPicture) }
    }

    public let file: String
    public let frame: Int?
    public let code: Code
    public let message: String
    /// The error underneath, when there was one (for callers that want more than the message).
    public let cause: (any Error)?

    public init(file: String, frame: Int?, code: Code, message: String, cause: (any Error)? = nil) {
        self.file = file
        self.frame = frame
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `FILE (frame N): MESSAGE`, as the console, the report and the server print it.
    public var description: String { Self.describe(file: file, frame: frame, message: message) }

    /// The one format of a problem's line, also for problems read back from a `run.json`.
    public static func describe(file: String, frame: Int?, message: String) -> String {
        "\(file)\(frame.map { " (frame \($0))" } ?? ""): \(message)"
    }

    public static func == (a: InputProblem, b: InputProblem) -> Bool {
        a.file == b.file && a.frame == b.frame && a.code == b.code && a.message == b.message
    }
}
