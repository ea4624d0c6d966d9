import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Moodline's dlib ResNet against dlib's own descriptors (embedder.json, scripts/make_embedder_golden.py), on
/// dlib's own chips. Tolerance: 1e-3 absolute per value and 0.01 Euclidean over the 128 values (dlib's
/// same-person threshold is 0.6); measured here, float32 through OpenBLAS, the worst value differs by about 1e-6.
final class FaceEmbedderGoldenTests: XCTestCase {
    private static let valueTolerance: Float = 1e-3
    private static let distanceTolerance: Float = 0.01

    func testDescriptorsMatchDlibOnItsOwnChips() throws {
        let fixture = try EmbedFixture.load()
        let chips = try fixture.chips()
        let embedder = try ModelStore(folder: TestMedia.weights).faceEmbedder()
        XCTAssertEqual(embedder.chipSize, 150)
        XCTAssertEqual(embedder.descriptorLength, 128)
        let descriptors = embedder.embed(chips: chips)
        var worst: Float = 0
        for face in fixture.faces {
            guard let index = face.chip else { continue }
            let got = descriptors[index]
            XCTAssertEqual(got.count, 128)
            let differences = zip(got, face.descriptor).map { abs($0 - $1) }
            worst = max(worst, differences.max() ?? .infinity)
            XCTAssertLessThanOrEqual(differences.max() ?? .infinity, Self.valueTolerance, face.name)
            XCTAssertLessThanOrEqual(
                FaceDescriptorDistance.euclidean(got, face.descriptor), Self.distanceTolerance, face.name)
        }
        print("embedder golden: \(chips.count) chips, max abs difference from dlib \(worst)")
        // One at a time gives the batch's answers (to float rounding: BLAS blocks by batch size).
        let single = embedder.embed(chip: chips[1])
        for (a, b) in zip(single, descriptors[1]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testDifferentPeopleAreFartherApartThanDlibsThreshold() throws {
        let fixture = try EmbedFixture.load()
        let chipped = fixture.faces.filter { $0.chip != nil }
        let embedder = try ModelStore(folder: TestMedia.weights).faceEmbedder()
        let descriptors = embedder.embed(chips: try fixture.chips())
        // The astronaut, a woman of the group photo and the woman of the video are three people.
        for i in chipped.indices {
            for j in chipped.indices where j > i {
                XCTAssertGreaterThan(
                    FaceDescriptorDistance.euclidean(descriptors[chipped[i].chip!], descriptors[chipped[j].chip!]),
                    FaceDescriptorDistance.dlibSamePersonThreshold, "\(chipped[i].name) vs \(chipped[j].name)")
            }
        }
    }

    func testChipsCutFromDlibsLandmarksMatchDlibsChips() throws {
        let fixture = try EmbedFixture.load()
        let chips = try fixture.chips()
        let embedder = try ModelStore(folder: TestMedia.weights).faceEmbedder()
        let cutter = FaceChipCutter()
        for face in fixture.faces {
            guard let index = face.chip else { continue }
            let frame = try EmbedFixture.picture(of: face)
            let chip = cutter.chip(from: frame, dlibFivePoints: face.points)
            let meanDifference =
                zip(chip.pixels.bytes, chips[index].bytes).map { abs(Double($0) - Double($1)) }.reduce(0, +)
                / Double(chip.pixels.bytes.count)
            let distance = FaceDescriptorDistance.euclidean(embedder.embed(chip: chip.pixels), face.descriptor)
            print(
                "chip from dlib's landmarks, \(face.name): mean pixel difference \(meanDifference), distance \(distance)"
            )
            // Measured: identical chips (dlib samples these faces without its pyramid), descriptors within 2e-6.
            XCTAssertLessThan(meanDifference, 0.05, face.name)
            XCTAssertLessThan(distance, 0.01, face.name)
        }
    }
}
