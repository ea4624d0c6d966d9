/// Padding rules for convolution and pooling windows: TensorFlow's two, and PyTorch's (ONNX's) symmetric one.
public enum Padding: String, Sendable, Codable {
    /// Output size `ceil(in / stride)`; the missing border is split, the extra pixel going after.
    case same
    /// Only windows that fit: output size `ceil((in - kernel + 1) / stride)`.
    case valid
    /// PyTorch's `padding = (kernel - 1) / 2`: that many zeros on both sides, output size
    /// `floor((in + 2 · pad - kernel) / stride) + 1`. For an even input and stride 2 it differs from `same`, which
    /// puts the one missing pixel after: every output would be shifted by a pixel.
    case symmetric

    /// Output size and padding before the first pixel along one axis.
    public func geometry(input: Int, kernel: Int, stride: Int) -> (output: Int, padBefore: Int) {
        switch self {
        case .same:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (output, total / 2)
        case .valid:
            return (max((input - kernel + stride) / stride, 0), 0)
        case .symmetric:
            let pad = (kernel - 1) / 2
            return (max((input + 2 * pad - kernel) / stride + 1, 0), pad)
        }
    }
}
