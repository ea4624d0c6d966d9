/// A weights file or tensor that cannot be used. Every case names the file or the full tensor path.
public enum WeightError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is shorter than its own header says.
    case truncated(file: String, detail: String)
    /// The header is not a valid safetensors JSON header.
    case malformedHeader(file: String, detail: String)
    /// A tensor's byte range lies outside the data section or does not match its shape.
    case offsetOutOfRange(file: String, tensor: String, detail: String)
    /// A tensor's dtype is not one this reader understands.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// A tensor the model needs is not in the file.
    case missingTensor(file: String, tensor: String)
    /// A tensor has another shape than the model needs.
    case shapeMismatch(file: String, tensor: String, expected: [Int], actual: [Int])
    /// The file's sha256 is not the one in the manifest.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The manifest is missing, unreadable or lacks the model.
    case manifest(file: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read weights: \(reason)"
        case .truncated(let file, let detail):
            return "\(file): weights file is truncated: \(detail)"
        case .malformedHeader(let file, let detail):
            return "\(file): malformed safetensors header: \(detail)"
        case .offsetOutOfRange(let file, let tensor, let detail):
            return "\(file): tensor '\(tensor)' has a bad byte range: \(detail)"
        case .unknownDType(let file, let tensor, let dtype):
            return "\(file): tensor '\(tensor)' has dtype \(dtype); only F32 and F16 are supported"
        case .missingTensor(let file, let tensor):
            return "\(file): tensor '\(tensor)' is missing"
        case .shapeMismatch(let file, let tensor, let expected, let actual):
            return "\(file): tensor '\(tensor)' has shape \(actual), expected \(expected)"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): sha256 is \(actual) but the manifest says \(expected); the file is damaged or was "
                + "replaced: regenerate it with Weights/convert_weights.py or restore it from git"
        case .manifest(let file, let detail):
            return "\(file): \(detail)"
        }
    }
}
