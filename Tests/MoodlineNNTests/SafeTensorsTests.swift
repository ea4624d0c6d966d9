import Foundation
import MoodlineNN
import MoodlineTestSupport
import XCTest

final class SafeTensorsTests: XCTestCase {
    /// A safetensors image with the given header entries and data bytes.
    private func image(_ header: String, data: [UInt8]) -> [UInt8] {
        let json = Array(header.utf8)
        let length = UInt64(json.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + json + data
    }

    private func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
    }

    func testReadsF32AndF16WithMetadata() throws {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, smallest subnormal 0x0001 = 2^-24.
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0x01, 0x00]
        let header =
            #"{"__metadata__":{"model":"toy"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[2,2],"data_offsets":[8,16]}}"#
        let file = try SafeTensorsFile(bytes: image(header, data: floats([1.5, -3]) + f16), name: "toy.safetensors")
        XCTAssertEqual(file.metadata, ["model": "toy"])
        XCTAssertEqual(try file.tensor(named: "a"), Tensor(shape: [2], data: [1.5, -3]))
        XCTAssertEqual(try file.tensor(named: "b"), Tensor(shape: [2, 2], data: [1, -2, 0.5, 0x1p-24]))
    }

    func testOddHeaderLengthsReadUnalignedData() throws {
        var header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        while (header.utf8.count + 8) % 4 != 1 { header += " " } // data starts 1 byte past a 4-byte boundary
        let file = try SafeTensorsFile(bytes: image(header, data: floats([42])), name: "odd")
        XCTAssertEqual(try file.tensor(named: "a").data, [42])
    }

    func testMalformedFilesAreRefusedWithClearErrors() {
        let good = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let cases: [(String, [UInt8], WeightError)] = [
            (
                "truncated", [1, 0, 0],
                .truncated(file: "truncated", detail: "3 bytes, shorter than the 8-byte header length")
            ),
            (
                "header past end", Array(image(good, data: floats([1, 2])).prefix(20)),
                .truncated(
                    file: "header past end",
                    detail: "header length \(good.utf8.count) runs past the end of the 20-byte file")
            ),
            (
                "offset out of range",
                image(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: floats([1])),
                .offsetOutOfRange(
                    file: "offset out of range", tensor: "a", detail: "ends at byte 8 of a 4-byte data section")
            ),
            (
                "size mismatch",
                image(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: floats([1, 2])),
                .offsetOutOfRange(file: "size mismatch", tensor: "a", detail: "8 bytes for shape [3] of F32")
            ),
            (
                "unknown dtype",
                image(#"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: floats([1, 2])),
                .unknownDType(file: "unknown dtype", tensor: "a", dtype: "I64")
            ),
            ("not json", image("{nope", data: []), .malformedHeader(file: "not json", detail: "header is not JSON")),
        ]
        for (name, bytes, expected) in cases {
            XCTAssertThrowsError(try SafeTensorsFile(bytes: bytes, name: name), name) { error in
                XCTAssertEqual(error as? WeightError, expected, name)
            }
        }
    }

    func testLoaderNamesTheFullPathOnMissingTensorsAndWrongShapes() throws {
        let loader = WeightLoader(tensors: ["block/conv/kernel": Tensor(shape: [3, 3, 1, 8])], name: "toy")
        let scoped = loader.scoped("block").scoped("conv")
        XCTAssertEqual(try scoped.tensor("kernel", shape: [3, 3, 1, 8]).shape, [3, 3, 1, 8])
        XCTAssertThrowsError(try scoped.tensor("bias", shape: [8])) { error in
            XCTAssertEqual(error as? WeightError, .missingTensor(file: "toy", tensor: "block/conv/bias"))
            XCTAssertEqual("\(error)", "toy: tensor 'block/conv/bias' is missing")
        }
        XCTAssertThrowsError(try scoped.tensor("kernel", shape: [3, 3, 8, 8])) { error in
            XCTAssertEqual("\(error)", "toy: tensor 'block/conv/kernel' has shape [3, 3, 1, 8], expected [3, 3, 8, 8]")
        }
    }

    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hexDigest([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            SHA256.hexDigest(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // 56 bytes: the padding spills into a second block.
        XCTAssertEqual(
            SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Many blocks (digest from Python's hashlib).
        XCTAssertEqual(
            SHA256.hexDigest((0..<1000).map { UInt8($0 % 251) }),
            "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d")
    }

    func testManifestRefusesAFileWhoseChecksumDiffers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "moodline-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let bytes = image(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: floats([1]))
        try Data(bytes).write(to: folder.appendingPathComponent("toy.safetensors"))
        let good = SHA256.hexDigest(bytes)
        let manifest =
            #"{"models":{"toy":{"file":"toy.safetensors","sha256":"\#(good)"},"bad":{"file":"toy.safetensors","sha256":"00ff"}}}"#
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("MANIFEST.json"))

        let weights = try WeightsManifest(folder: folder.path)
        XCTAssertEqual(try weights.open("toy").entries.count, 1)
        XCTAssertThrowsError(try weights.open("bad")) { error in
            XCTAssertEqual(
                error as? WeightError,
                .checksumMismatch(
                    file: folder.appendingPathComponent("toy.safetensors").path,
                    expected: "00ff", actual: good))
        }
        XCTAssertThrowsError(try weights.open("missing")) { error in
            XCTAssertTrue("\(error)".contains("no model named 'missing'"), "\(error)")
        }
    }

    func testCommittedWeightsMatchTheirManifest() throws {
        let manifest = try WeightsManifest(folder: TestMedia.weights)
        XCTAssertEqual(
            Set(manifest.models.keys),
            [
                "blazeface_short_range", "blazeface_full_range", "emotion_mini_xception", "emotion_moodline",
                "emotion_moodline_ferplus", "face_embedder_dlib_resnet", "face_detector_centerface",
            ])
        for name in manifest.models.keys { XCTAssertNoThrow(try manifest.open(name), name) }
        for classifier in ["emotion_mini_xception", "emotion_moodline", "emotion_moodline_ferplus"] {
            XCTAssertEqual(
                try manifest.model(classifier).labels,
                ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"])
        }
    }
}
