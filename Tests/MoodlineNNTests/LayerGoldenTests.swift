@testable import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Every layer type against references computed with plain numpy loops by scripts/make_golden.py (seed 20261121).
/// Tolerance: 1e-4 absolute (float32 here, float64 there; values are O(1)).
final class LayerGoldenTests: XCTestCase {
    struct Fixture: Decodable {
        struct Array: Decodable { let shape: [Int]; let data: [Float] }
        struct Case: Decodable {
            let name: String
            let inputs: [String: Array]
            let params: [String: Param]?
            let output: Array
        }
        let cases: [Case]
    }

    /// A parameter: a number, or a string such as "same".
    struct Param: Decodable {
        let number: Double?
        init(from decoder: Decoder) throws {
            number = try? decoder.singleValueContainer().decode(Double.self)
        }
    }

    private static let tolerance: Float = 1e-4
    private var cases: [String: Fixture.Case] = [:]

    override func setUpWithError() throws {
        let fixture = try TestMedia.json(Fixture.self, "MoodlineNNTests", "layers.json")
        cases = Dictionary(uniqueKeysWithValues: fixture.cases.map { ($0.name, $0) })
        XCTAssertEqual(cases.count, 24)
    }

    private func tensor(_ a: Fixture.Array) -> Tensor { Tensor(shape: a.shape, data: a.data) }

    private func check(
        _ name: String, file: StaticString = #filePath, line: UInt = #line,
        _ run: (Fixture.Case, (String) -> Tensor) throws -> Tensor
    ) rethrows {
        guard let c = cases[name] else { return XCTFail("no fixture case \(name)", file: file, line: line) }
        let result = try run(c) { tensor(c.inputs[$0]!) }
        XCTAssertEqual(result.shape, c.output.shape, name, file: file, line: line)
        let worst = zip(result.data, c.output.data).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, Self.tolerance, "\(name): max difference \(worst)", file: file, line: line)
    }

    private func padding(_ c: Fixture.Case) -> Padding {
        c.name.hasSuffix("valid") ? .valid : .same
    }

    func testConvolutions() {
        for name in [
            "conv2d_k3_s1_same", "conv2d_k3_s2_same", "conv2d_k3_s1_valid", "conv2d_k5_s2_valid", "conv2d_k5_s2_same",
            "conv2d_pointwise", "conv2d_1x1_s2_same",
        ] {
            check(name) { c, input in
                Conv2D(
                    hwio: input("kernel_hwio"), bias: input("bias"), stride: Int(c.params!["stride"]!.number!),
                    padding: name == "conv2d_pointwise" ? .valid : padding(c))(input("input"))
            }
        }
    }

    func testTheDirect3x3KernelMatchesTheReference() {
        for name in ["conv2d_k3_s1_same_direct", "conv2d_k3_s1_same_direct_relu"] {
            check(name) { _, input in
                let conv = Conv2D(
                    hwio: input("kernel_hwio"), bias: input("bias"), stride: 1, padding: .same,
                    fusedReLU: name.hasSuffix("relu"))
                XCTAssertTrue(conv.canUseDirectKernel, name)
                // Called directly: a picture this small goes to im2col and GEMM when the layer is called.
                XCTAssertFalse(
                    conv.usesDirectKernel(height: input("input").shape[1], width: input("input").shape[2]), name)
                return conv.direct3x3(input("input"))
            }
        }
    }

    /// The direct kernel and im2col with GEMM on the classifier's own layer shapes (48x48 crops, widths 24 to 192),
    /// with seeded random weights: the same convolution, summed in another order.
    func testTheDirect3x3KernelAgreesWithTheMatrixProductOnTheClassifiersShapes() {
        var random = SeededGenerator(seed: 7)
        func values(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1, using: &random) } }
        for (size, cin, cout) in [
            (48, 1, 24), (48, 24, 24), (24, 24, 48), (12, 96, 96), (6, 96, 192), (6, 192, 192), (5, 3, 8),
        ] {
            let kernel = Tensor(
                shape: [3, 3, cin, cout], data: values(9 * cin * cout).map { $0 / Float(3 * cin).squareRoot() })
            let conv = Conv2D(
                hwio: kernel, bias: Tensor(shape: [cout], data: values(cout)), stride: 1, padding: .same,
                fusedReLU: true)
            XCTAssertTrue(conv.canUseDirectKernel)
            XCTAssertEqual(conv.usesDirectKernel(height: size, width: size), size * size >= 400)
            let input = Tensor(shape: [2, size, size, cin], data: values(2 * size * size * cin))
            let direct = conv.direct3x3(input), product = conv.matrixProduct(input)
            XCTAssertEqual(direct.shape, product.shape)
            let worst = zip(direct.data, product.data).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-5, "\(size)x\(size), \(cin) to \(cout) channels")
        }
    }

    func testConvolutionFromTFLiteLayoutMatchesKerasLayout() {
        check("conv2d_k3_s2_same") { _, input in
            let hwio = input("kernel_hwio")
            let (kh, kw, i, o) = (hwio.shape[0], hwio.shape[1], hwio.shape[2], hwio.shape[3])
            var ohwi = [Float](repeating: 0, count: hwio.count)
            for y in 0..<kh {
                for x in 0..<kw {
                    for c in 0..<i {
                        for f in 0..<o {
                            ohwi[((f * kh + y) * kw + x) * i + c] = hwio.data[((y * kw + x) * i + c) * o + f]
                        }
                    }
                }
            }
            return Conv2D(
                ohwi: Tensor(shape: [o, kh, kw, i], data: ohwi), bias: input("bias"), stride: 2, padding: .same)(
                    input("input"))
        }
    }

    func testDepthwiseAndSeparable() {
        for stride in [1, 2] {
            check("depthwise_s\(stride)_same") { _, input in
                let k = input("kernel_hwc")
                return DepthwiseConv2D(
                    kernel: k.reshaped([1] + k.shape), bias: input("bias"), stride: stride, padding: .same)(
                        input("input"))
            }
        }
        check("separable_same") { _, input in
            let d = input("depthwise_hwc")
            let layer = SeparableConv2D(
                depthwise: DepthwiseConv2D(kernel: d.reshaped(d.shape + [1]), bias: nil, stride: 1, padding: .same),
                pointwise: Conv2D(hwio: input("pointwise_hwio"), bias: nil, stride: 1, padding: .valid))
            return layer(input("input"))
        }
    }

    func testBatchNormFoldedIntoConvolution() {
        check("conv2d_batchnorm_folded") { c, input in
            let norm = BatchNorm(
                gamma: input("gamma"), beta: input("beta"), mean: input("mean"), variance: input("variance"),
                epsilon: Float(c.params!["epsilon"]!.number!))
            var conv = Conv2D(hwio: input("kernel_hwio"), bias: nil, stride: 1, padding: .valid)
            let unfolded = norm(conv(input("input")))
            conv.fold(scale: norm.scale, shift: norm.shift)
            let folded = conv(input("input"))
            XCTAssertLessThan(zip(folded.data, unfolded.data).map { abs($0 - $1) }.max()!, 1e-5)
            return folded
        }
    }

    func testPooling() {
        for name in ["maxpool_3_s2_same", "maxpool_2_s2_same", "maxpool_2_s2_valid"] {
            check(name) { c, input in
                MaxPool2D(
                    size: Int(c.params!["size"]!.number!), stride: Int(c.params!["stride"]!.number!),
                    padding: padding(c))(input("input"))
            }
        }
        check("global_average_pool") { _, input in globalAveragePool(input("input")) }
    }

    func testElementwiseAndResize() {
        check("relu") { _, input in relu(input("input")) }
        check("prelu") { _, input in prelu(input("input"), alpha: input("alpha").data) }
        check("add") { _, input in add(input("input"), input("other")) }
        check("pad_channels") { c, input in padChannels(input("input"), extra: Int(c.params!["extra"]!.number!)) }
        check("softmax") { _, input in softmax(input("input")) }
        for name in ["resize_bilinear_up", "resize_bilinear_down"] {
            check(name) { c, input in
                resizeBilinear(
                    input("input"), height: Int(c.params!["height"]!.number!), width: Int(c.params!["width"]!.number!))
            }
        }
    }

    func testPaddingGeometryFollowsTensorFlow() {
        XCTAssertEqual(Padding.same.geometry(input: 60, kernel: 3, stride: 2).output, 30)
        XCTAssertEqual(Padding.same.geometry(input: 60, kernel: 3, stride: 2).padBefore, 0)
        XCTAssertEqual(Padding.same.geometry(input: 7, kernel: 5, stride: 2).output, 4)
        XCTAssertEqual(Padding.same.geometry(input: 7, kernel: 5, stride: 2).padBefore, 2)
        XCTAssertEqual(Padding.valid.geometry(input: 64, kernel: 3, stride: 1).output, 62)
        XCTAssertEqual(Padding.valid.geometry(input: 7, kernel: 5, stride: 2).output, 2)
    }
}
