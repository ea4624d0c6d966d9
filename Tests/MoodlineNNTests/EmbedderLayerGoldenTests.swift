@testable import MoodlineNN
import MoodlineTestSupport
import XCTest

/// The layers the face embedder added, against references computed with plain numpy loops by
/// scripts/make_embedder_golden.py (seed 20261206). Tolerance: 1e-4 absolute (float32 here, float64 there).
final class EmbedderLayerGoldenTests: XCTestCase {
    private static let tolerance: Float = 1e-4
    private var cases: [String: LayerFixture.Case] = [:]

    override func setUpWithError() throws {
        cases = try LayerFixture.cases("embedder_layers.json")
        XCTAssertEqual(cases.count, 5)
    }

    private func check(
        _ name: String, file: StaticString = #filePath, line: UInt = #line, _ run: ((String) -> Tensor) -> Tensor
    ) {
        check(name, in: cases, tolerance: Self.tolerance, file: file, line: line) { input in
            withoutActuallyEscaping(input) { input in run { input($0)! } }
        }
    }

    func testAveragePooling() {
        check("avg_pool_k2_s2_valid") { AvgPool2D(size: 2, stride: 2, padding: .valid)($0("x")) }
        check("avg_pool_k3_s2_same") { AvgPool2D(size: 3, stride: 2, padding: .same)($0("x")) }
    }

    func testZeroPaddedAddTakesTheLargerOfEachDimension() {
        check("add_zero_padded") { addZeroPadded($0("a"), $0("b")) }
        check("add_zero_padded") { addZeroPadded($0("b"), $0("a")) }
    }

    func testZeroPaddedAddOfEqualShapesWithReLU() {
        let a = Tensor(shape: [1, 1, 2, 2], data: [1, -2, 3, -4])
        let b = Tensor(shape: [1, 1, 2, 2], data: [0.5, 1, -4, 1])
        XCTAssertEqual(addZeroPadded(a, b, relu: true).data, [1.5, 0, 0, 0])
        XCTAssertEqual(addZeroPadded(a, b).data, [1.5, -1, -1, -3])
    }

    func testFullyConnected() {
        check("fully_connected") { FullyConnected(weights: $0("weights"), bias: $0("bias"))($0("x")) }
    }

    func testConvolutionFromOIHW() {
        check("conv2d_oihw_k3_s2_valid") {
            Conv2D(oihw: $0("kernel_oihw"), bias: $0("bias"), stride: 2, padding: .valid)($0("x"))
        }
    }
}
