/// A separable convolution: depthwise, then a 1x1 pointwise convolution (Keras `SeparableConv2D`).
public struct SeparableConv2D: Sendable {
    public let depthwise: DepthwiseConv2D
    public var pointwise: Conv2D

    public init(depthwise: DepthwiseConv2D, pointwise: Conv2D) {
        precondition(
            pointwise.kernelHeight == 1 && pointwise.kernelWidth == 1 && pointwise.stride == 1,
            "the pointwise part must be a 1x1, stride-1 convolution")
        self.depthwise = depthwise
        self.pointwise = pointwise
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        pointwise(depthwise(input))
    }
}
