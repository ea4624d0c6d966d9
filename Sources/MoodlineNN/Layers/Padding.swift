/// TensorFlow's padding rules for convolution and pooling windows.
public enum Padding: String, Sendable, Codable {
    /// Output size `ceil(in / stride)`; the missing border is split, the extra pixel going after.
    case same
    /// Only windows that fit: output size `ceil((in - kernel + 1) / stride)`.
    case valid

    /// Output size and padding before the first pixel along one axis.
    public func geometry(input: Int, kernel: Int, stride: Int) -> (output: Int, padBefore: Int) {
        switch self {
        case .same:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (output, total / 2)
        case .valid:
            return (max((input - kernel + stride) / stride, 0), 0)
        }
    }
}
