@testable import MoodlineNN
import MoodlineTestSupport
import XCTest

/// The layers PyTorch-exported detectors such as CenterFace need, against PyTorch itself in float64
/// (scripts/make_centerface_layer_golden.py, seed 20261207). Tolerance: 1e-4 absolute (float32 here).
final class CenterFaceLayerGoldenTests: XCTestCase {
    private static let tolerance: Float = 1e-4
    private var cases: [String: LayerFixture.Case] = [:]

    override func setUpWithError() throws {
        cases = try LayerFixture.cases("centerface_layers.json")
        XCTAssertEqual(cases.count, 7)
    }

    private func check(
        _ name: String, file: StaticString = #filePath, line: UInt = #line, _ run: ((String) -> Tensor?) -> Tensor
    ) {
        check(name, in: cases, tolerance: Self.tolerance, file: file, line: line, run)
    }

    func testTransposedConvolutionDoublesThePictureAsPyTorchDoes() {
        check("transposed_k2_s2") { TransposedConv2D(ioHW: $0("w")!, bias: $0("b"), stride: 2)($0("x")!) }
        check("transposed_k2_s2_relu") {
            TransposedConv2D(ioHW: $0("w")!, bias: $0("b"), stride: 2, fusedReLU: true)($0("x")!)
        }
        check("transposed_k2_s2_batch2_nobias") { TransposedConv2D(ioHW: $0("w")!, bias: nil, stride: 2)($0("x")!) }
    }

    func testFoldingABatchNormIntoATransposedConvolution() {
        let kernel = Tensor(shape: [1, 2, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8])
        var conv = TransposedConv2D(ioHW: kernel, bias: Tensor(shape: [2], data: [1, -1]), stride: 2)
        conv.fold(scale: [2, 0.5], shift: [0, 1])
        let out = conv(Tensor(shape: [1, 1, 1, 1], data: [1]))
        // Output pixel (dy, dx) of channel o is w[0, o, dy, dx] + bias[o], then scaled and shifted.
        XCTAssertEqual(out.shape, [1, 2, 2, 2])
        XCTAssertEqual(out.data, [4, 3, 6, 3.5, 8, 4, 10, 4.5])
    }

    func testSymmetricPaddingAtStrideTwoPadsBeforeAsPyTorchDoes() {
        check("conv3x3_s2_symmetric_even") {
            Conv2D(oihw: $0("w")!, bias: $0("b"), stride: 2, padding: .symmetric)($0("x")!)
        }
        check("depthwise3x3_s2_symmetric_even") { input in
            // PyTorch's depthwise kernel [C, 1, kh, kw] in MoodlineNN's [1, kh, kw, C].
            let w = input("w")!
            let (c, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
            var hwc = [Float](repeating: 0, count: kh * kw * c)
            for ch in 0..<c {
                for k in 0..<(kh * kw) { hwc[k * c + ch] = w.data[ch * kh * kw + k] }
            }
            return DepthwiseConv2D(
                kernel: Tensor(shape: [1, kh, kw, c], data: hwc), bias: input("b"), stride: 2,
                padding: .symmetric)(input("x")!)
        }
        // TensorFlow's rule would give the same size but read the window a pixel later.
        XCTAssertEqual(Padding.symmetric.geometry(input: 8, kernel: 3, stride: 2).padBefore, 1)
        XCTAssertEqual(Padding.same.geometry(input: 8, kernel: 3, stride: 2).padBefore, 0)
    }

    func testSymmetricPaddingAtStrideOneTakesTheDirectKernel() {
        check("conv3x3_s1_symmetric_direct") { input in
            let conv = Conv2D(oihw: input("w")!, bias: input("b"), stride: 1, padding: .symmetric)
            XCTAssertTrue(conv.usesDirectKernel(height: 24, width: 24))
            return conv(input("x")!)
        }
    }

    func testSigmoidKeepsBothTailsFinite() {
        check("sigmoid") { sigmoid($0("x")!) }
    }
}

/// A graph of the new steps, described as `Weights/convert_weights.py` describes one, with an input of any size.
final class FullyConvolutionalGraphTests: XCTestCase {
    func testTransposedConvolutionReLUAndSigmoidStepsOnInputsOfAnySize() throws {
        let kernel = Tensor(shape: [2, 3, 2, 2], data: (0..<24).map { Float($0 % 7) / 7 - 0.4 })
        let bias = Tensor(shape: [3], data: [0.1, -0.2, 0.3])
        let graph = """
            {"ops":[{"op":"transpose_conv_2d","inputs":[0],"weight":"up/w","bias":"up/b","stride":2,"output":1},\
            {"op":"relu","inputs":[1],"output":2},{"op":"sigmoid","inputs":[2],"output":3}],\
            "values":4,"input":[1,-1,-1,2],"outputs":{"heat":3}}
            """
        let bytes = try SafeTensorsWriter.bytes(["up/w": kernel, "up/b": bias], metadata: ["graph": graph])
        let network = try LayerGraph(file: SafeTensorsFile(bytes: bytes, name: "test"))
        for (h, w) in [(2, 3), (5, 4)] {
            let input = Tensor(shape: [1, h, w, 2], data: (0..<(h * w * 2)).map { Float($0 % 5) - 2 })
            let got = try XCTUnwrap(network(input)["heat"])
            let want = sigmoid(TransposedConv2D(ioHW: kernel, bias: bias, stride: 2, fusedReLU: true)(input))
            XCTAssertEqual(got.shape, [1, 2 * h, 2 * w, 3])
            XCTAssertEqual(got.data, want.data)
        }
    }

    func testATransposedKernelThatIsNotItsStrideIsRefused() throws {
        let graph = """
            {"ops":[{"op":"transpose_conv_2d","inputs":[0],"weight":"up/w","stride":2,"output":1}],\
            "values":2,"input":[1,-1,-1,2],"outputs":{"y":1}}
            """
        let bytes = try SafeTensorsWriter.bytes(
            ["up/w": Tensor(shape: [2, 3, 3, 3], data: [Float](repeating: 0, count: 54))], metadata: ["graph": graph])
        XCTAssertThrowsError(try LayerGraph(file: SafeTensorsFile(bytes: bytes, name: "test"))) {
            XCTAssertTrue("\($0)".contains("must be [in, out, 2, 2]"), "\($0)")
        }
    }
}
