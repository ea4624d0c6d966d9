@testable import MoodlineNN
import MoodlineTestSupport
import XCTest

/// A golden fixture of layer cases (inputs and the reference's output, by name), as the scripts that make
/// `Fixtures/*_layers.json` write them, and the check every case gets: the same shape, and every value within a
/// tolerance.
struct LayerFixture: Decodable {
    struct Array: Decodable { let shape: [Int]; let data: [Float] }
    struct Case: Decodable {
        let name: String
        let inputs: [String: Array]
        let output: Array
    }
    let cases: [Case]

    /// The fixture's cases by name, read from the NN tests' fixtures.
    static func cases(_ file: String) throws -> [String: Case] {
        let fixture = try TestMedia.json(LayerFixture.self, "MoodlineNNTests", file)
        return Dictionary(uniqueKeysWithValues: fixture.cases.map { ($0.name, $0) })
    }
}

extension XCTestCase {
    /// Runs `layer` on case `name`'s inputs (looked up by key; nil when absent) and compares with its output.
    func check(
        _ name: String, in cases: [String: LayerFixture.Case], tolerance: Float, file: StaticString = #filePath,
        line: UInt = #line, _ layer: ((String) -> Tensor?) -> Tensor
    ) {
        guard let c = cases[name] else { return XCTFail("no fixture case \(name)", file: file, line: line) }
        let result = layer { key in c.inputs[key].map { Tensor(shape: $0.shape, data: $0.data) } }
        XCTAssertEqual(result.shape, c.output.shape, name, file: file, line: line)
        let worst = zip(result.data, c.output.data).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, tolerance, "\(name): max difference \(worst)", file: file, line: line)
    }
}
