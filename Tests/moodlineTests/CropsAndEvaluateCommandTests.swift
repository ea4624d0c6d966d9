import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// `moodline crops` and `moodline evaluate` on a small labelled folder, through the built binary: a group photo,
/// a portrait, a picture with no face and a file that is not a picture.
final class CropsAndEvaluateCommandTests: XCTestCase {
    private var binary: String { Bundle.main.bundleURL.appendingPathComponent("moodline").path }

    private func labelledFolder() throws -> URL {
        let root = try TestMedia.temporaryFolder(for: self).appendingPathComponent("labelled")
        for label in ["happy", "neutral", "sad", "fear"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(label), withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: root.appendingPathComponent("happy/group.jpg").path)
        try FileManager.default.copyItem(
            atPath: TestMedia.astronaut, toPath: root.appendingPathComponent("neutral/astronaut.png").path)
        try TestProcess.ffmpeg([
            "-f", "lavfi", "-i", "color=c=gray:s=96x96", "-frames:v", "1",
            root.appendingPathComponent("sad/blank.png").path,
        ])
        try Data("not a picture".utf8).write(to: root.appendingPathComponent("fear/broken.jpg"))
        return root
    }

    func testCropsWritesTheAlignedCropAnalyzeWouldClassifyAndNamesTheBrokenFile() throws {
        let folder = try labelledFolder()
        let output = folder.deletingLastPathComponent().appendingPathComponent("crops")
        let run = try TestProcess.run(binary, ["crops", folder.path, "-o", output.path, "--size", "48"])
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertTrue(run.errors.contains("broken.jpg"), run.errors)
        XCTAssertTrue(run.output.contains("3 crops"), run.output)
        let rows = try String(contentsOf: output.appendingPathComponent("crops.csv"), encoding: .utf8).split(
            separator: "\n")
        XCTAssertEqual(rows.count, 4, "header and three pictures")
        let byName = Dictionary(
            uniqueKeysWithValues: rows.dropFirst().map { row -> (String, [Substring]) in
                let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                return (String(fields[0]), fields)
            })
        XCTAssertEqual(byName["happy/group.jpg.pgm"]?[3], "true")
        XCTAssertEqual(byName["neutral/astronaut.png.pgm"]?[3], "true")
        XCTAssertEqual(byName["sad/blank.png.pgm"]?[3], "false", "no face: the whole picture is used")

        // The crop is byte for byte what the pipeline's detector and aligner cut from the picture.
        let pgm = [UInt8](try Data(contentsOf: output.appendingPathComponent("happy/group.jpg.pgm")))
        let header = Array("P5\n48 48\n255\n".utf8)
        XCTAssertEqual(Array(pgm.prefix(header.count)), header)
        var picture: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { picture = $0.pixels }
        let store = try ModelStore(folder: TestMedia.weights)
        let cropper = MainFaceCropper(
            detector: try store.faceDetector(), aligner: FaceAligner(), minimumFaceSizePixels: 20)
        XCTAssertEqual(Array(pgm.dropFirst(header.count)), try cropper.cut(try XCTUnwrap(picture)).crop.bytes)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: output.appendingPathComponent("whole/sad/blank.png.pgm").path))

        // A second run does not mix its crops into the first's.
        let again = try TestProcess.run(binary, ["crops", folder.path, "-o", output.path])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.errors.contains("already exists"), again.errors)
    }

    func testEvaluateEndToEndComparesClassifiersInJSON() throws {
        let folder = try labelledFolder()
        let run = try TestProcess.run(
            binary,
            ["evaluate", folder.path, "--end-to-end", "--model", "moodline", "--model", "mini_xception", "--json"])
        XCTAssertEqual(run.status, 0, run.errors)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        XCTAssertEqual(report["pictures"] as? Int, 3)
        XCTAssertEqual(report["faces_found"] as? Int, 2)
        XCTAssertEqual((report["skipped"] as? [String])?.count, 1)
        let classifiers = try XCTUnwrap(report["classifiers"] as? [[String: Any]])
        XCTAssertEqual(classifiers.map { $0["classifier"] as? String }, ["moodline", "mini_xception"])
        for entry in classifiers {
            let confusion = try XCTUnwrap(entry["confusion"] as? [[Int]])
            XCTAssertEqual(confusion.joined().reduce(0, +), 3)
            let ece = try XCTUnwrap(entry["ece"] as? Double)
            XCTAssertTrue((0...1).contains(ece))
            XCTAssertNotNil(entry["accuracy_where_face_found"])
            // The gate judges the two faces found; the picture read whole has no face to judge.
            let gate = try XCTUnwrap(entry["quality_gate"] as? [String: Any])
            let reasons = try XCTUnwrap(gate["reasons"] as? [[String: Any]])
            XCTAssertEqual(reasons.map { $0["reason"] as? String }.last, "any")
            for row in reasons {
                XCTAssertEqual((row["marked"] as? Int ?? -1) + (row["kept"] as? Int ?? -1), 2, "\(row)")
            }
            let bands = try XCTUnwrap(gate["confidence_bands"] as? [[String: Any]])
            XCTAssertEqual(bands.compactMap { $0["readings"] as? Int }.reduce(0, +), 2)
        }
        let plain = try TestProcess.run(binary, ["evaluate", folder.path])
        XCTAssertEqual(plain.status, 0, plain.errors)
        XCTAssertTrue(plain.output.contains("classifier moodline"), plain.output)
        XCTAssertTrue(plain.output.contains("each read whole as a face crop"), plain.output)
        XCTAssertFalse(plain.output.contains("quality gate"), "no faces are judged when pictures are read whole")

        // Another pipeline's gate: at min_confidence 1 every face found reads low_confidence.
        let strict = folder.deletingLastPathComponent().appendingPathComponent("strict.json")
        try #"{"name": "strict", "quality": {"min_confidence": 1}}"#.write(
            to: strict, atomically: true, encoding: .utf8)
        let audited = try TestProcess.run(
            binary, ["evaluate", folder.path, "--end-to-end", "--pipeline", strict.path, "--json"])
        XCTAssertEqual(audited.status, 0, audited.errors)
        let strictReport = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(audited.output.utf8)) as? [String: Any])
        let gate = try XCTUnwrap(
            (strictReport["classifiers"] as? [[String: Any]])?.first?["quality_gate"] as? [String: Any])
        let low = try XCTUnwrap(
            (gate["reasons"] as? [[String: Any]])?.first { $0["reason"] as? String == "low_confidence" })
        XCTAssertEqual(low["marked"] as? Int, 2)
    }

    /// A trained file given with --classifier-weights runs in place of the shipped one and is recorded by its content.
    /// With --votes the truth is the votes' majority, not the folder: the group photo's votes say neutral here, the
    /// blank picture's annotators split (no truth, read only for the ambiguous check) and the astronaut's row is a
    /// marked copy.
    func testEvaluateAgainstVotesUsesTheMajorityAndLeavesOutWhatItCannotScore() throws {
        let folder = try labelledFolder()
        let votes = folder.deletingLastPathComponent().appendingPathComponent("votes.csv")
        try """
        path,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF,copy_in_other_split
        labelled/happy/group.jpg,6,4,0,0,0,0,0,0,0,0,0
        labelled/neutral/astronaut.png,0,10,0,0,0,0,0,0,0,0,1
        labelled/sad/blank.png,0,0,0,5,5,0,0,0,0,0,0

        """.write(to: votes, atomically: true, encoding: .utf8)
        let run = try TestProcess.run(
            binary, ["evaluate", folder.path, "--votes", votes.path, "--exclude-copies", "--json", "--max-spread", "0"])
        XCTAssertEqual(run.status, 0, run.errors)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        XCTAssertEqual(object["pictures"] as? Int, 1)
        let left = try XCTUnwrap(object["votes"] as? [String: Any])
        XCTAssertEqual(left["without_majority"] as? Int, 0, "the split picture is read, for the ambiguous check")
        XCTAssertEqual(left["copies_left_out"] as? Int, 1)
        XCTAssertEqual(left["without_votes"] as? Int, 1, "the broken file has no row")
        let classifier = try XCTUnwrap((object["classifiers"] as? [[String: Any]])?.first)
        let recall = try XCTUnwrap(classifier["per_class_recall"] as? [String: Double])
        let confusion = try XCTUnwrap(classifier["confusion"] as? [[Int]])
        XCTAssertEqual(confusion[Emotion.neutral.index].reduce(0, +), 1, "the group photo counts as neutral, as voted")
        XCTAssertNotNil(recall["neutral"])
        let agreement = try XCTUnwrap(classifier["votes"] as? [String: Any])
        XCTAssertGreaterThan(agreement["cross_entropy"] as? Double ?? 0, agreement["vote_entropy"] as? Double ?? 1)
        XCTAssertEqual(agreement["pictures"] as? Int, 1, "agreement only where there is a majority")
        // At a spread of 0 every reading is ambiguous: both pictures marked, one of them split by the annotators.
        let ambiguous = try XCTUnwrap(classifier["ambiguous"] as? [String: Any])
        XCTAssertEqual(ambiguous["pictures"] as? Int, 2)
        XCTAssertEqual(ambiguous["split"] as? Int, 1)
        XCTAssertEqual(ambiguous["marked"] as? Int, 2)
        XCTAssertEqual(ambiguous["precision"] as? Double, 0.5)
        XCTAssertEqual(ambiguous["recall"] as? Double, 1)
        let refused = try TestProcess.run(binary, ["evaluate", folder.path, "--exclude-copies"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.errors.contains("--exclude-copies needs --votes FILE."), refused.errors)
    }

    func testAnalyzeRunsATrainedClassifierFile() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let trained = folder.appendingPathComponent("mine.safetensors")
        try FileManager.default.copyItem(
            atPath: TestMedia.weights + "/emotion_moodline.safetensors", toPath: trained.path)
        let shipped = try TestProcess.run(
            binary, ["analyze", TestMedia.multiFace, "-o", folder.appendingPathComponent("shipped").path, "--quiet"])
        XCTAssertEqual(shipped.status, 0, shipped.errors)
        let mine = try TestProcess.run(
            binary,
            [
                "analyze", TestMedia.multiFace, "-o", folder.appendingPathComponent("mine").path, "--quiet",
                "--classifier-weights", trained.path,
            ])
        XCTAssertEqual(mine.status, 0, mine.errors)
        XCTAssertEqual(
            try Data(contentsOf: folder.appendingPathComponent("shipped/multi_face/frames.csv")),
            try Data(contentsOf: folder.appendingPathComponent("mine/multi_face/frames.csv")))
        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("mine/multi_face/run.json"))) as? [String: Any])
        let models = try XCTUnwrap(manifest["models"] as? [[String: Any]])
        // The classifier's entry names the trained file (the face embedder, which grouped the photo's faces, follows).
        let classifier = models.first { ($0["name"] as? String)?.hasPrefix("emotion classifier") == true }
        XCTAssertEqual(classifier?["file"] as? String, trained.path)
        XCTAssertEqual(
            classifier?["sha256"] as? String,
            try ModelStore(folder: TestMedia.weights).manifest.model("emotion_moodline").sha256)

        let missing = try TestProcess.run(
            binary,
            [
                "analyze", TestMedia.multiFace, "-o", folder.appendingPathComponent("missing").path,
                "--classifier-weights", folder.appendingPathComponent("nothing.safetensors").path,
            ])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue((missing.output + missing.errors).contains("nothing.safetensors"), missing.errors)
    }

    func testCalibrationErrorIsTheGapBetweenConfidenceAndAccuracy() {
        // Always 90% sure and right 60% of the time: ECE 0.3; right every time at 90%: 0.1.
        XCTAssertEqual(
            CalibrationError.expected(confidences: Array(repeating: 0.9, count: 10), correct: (0..<10).map { $0 < 6 }),
            0.3, accuracy: 1e-12)
        XCTAssertEqual(
            CalibrationError.expected(
                confidences: Array(repeating: 0.9, count: 4), correct: Array(repeating: true, count: 4)), 0.1,
            accuracy: 1e-12)
        // Two bins, each calibrated.
        XCTAssertEqual(
            CalibrationError.expected(confidences: [0.5, 0.5, 1, 1], correct: [true, false, true, true]), 0,
            accuracy: 1e-12)
    }
}
