import Foundation
@testable import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// The head pose written in `frames.csv` (`yaw_deg`, `roll_deg`), on real faces turned by known angles: the sample
/// photo's faces rotated in the picture's plane by FFmpeg (roll), the samples' faces turned in 3D and drawn again
/// (yaw, `Fixtures/head-yaw`, made by `scripts/make_yaw_faces.py`), and mirrored (yaw changes sign).
final class HeadPoseTests: XCTestCase {
    /// The faces the default detector finds in `path`, with their pose.
    private func faces(in path: String) throws -> [(centre: Point, size: Double, quality: FaceQuality)] {
        var frame: PixelBuffer?
        _ = try MediaReader(path: path).decodeFrames { frame = $0.pixels }
        let picture = try XCTUnwrap(frame)
        let scores = EmotionScores(probabilities: [0, 0, 0, 1, 0, 0, 0])
        return try ModelStore(folder: TestMedia.weights).faceDetector().detect(in: picture).map { face in
            let crop = FaceAligner().align(face, in: picture).crop
            return (
                Point(x: face.box.x + face.box.width / 2, y: face.box.y + face.box.height / 2), face.box.width,
                FaceQuality(face: face, crop: crop, scores: scores, settings: QualitySettings())
            )
        }
    }

    /// The sample photo turned by `degrees` (clockwise) about its centre, keeping its size.
    private func rotated(_ source: String, _ degrees: Double, folder: URL) throws -> String {
        let path = folder.appendingPathComponent("rotated\(Int(degrees)).png").path
        try TestProcess.ffmpeg([
            "-i", source, "-vf", "rotate=\(degrees)*PI/180:fillcolor=gray", "-frames:v", "1", path,
        ])
        return path
    }

    func testRollFollowsARotationOfThePicture() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let still = folder.appendingPathComponent("still.png").path
        try TestProcess.ffmpeg(["-ss", "12", "-i", TestMedia.pexels, "-frames:v", "1", still])
        var errors: [Double] = []
        for source in [TestMedia.multiFace, TestMedia.astronaut, still] {
            errors += try rollErrors(source, folder: folder)
        }
        errors.sort()
        // Measured here (42 faces, 82 to 267 px): median 3.3 degrees, 90th percentile 13.2, largest 26.2; the errors
        // grow with the turn (BlazeFace's keypoints lag behind a turned face) and shrink with the face's size. A roll
        // that did not follow the picture would be off by 20 degrees at the median.
        XCTAssertGreaterThanOrEqual(errors.count, 30)
        let median = errors[errors.count / 2], p90 = errors[errors.count * 9 / 10]
        print("roll: \(errors.count) faces, median error \(median), 90th percentile \(p90), largest \(errors.last!)")
        XCTAssertLessThan(median, 6)
        XCTAssertLessThan(p90, 20)
    }

    /// How far the roll of each face of `source` is from its upright roll plus the turn, turned by 10 to 30 degrees
    /// both ways.
    private func rollErrors(_ source: String, folder: URL) throws -> [Double] {
        let upright = try faces(in: source)
        var frame: PixelBuffer?
        _ = try MediaReader(path: source).decodeFrames { frame = $0.pixels }
        let size = (w: Double(try XCTUnwrap(frame).width), h: Double(frame!.height))
        var errors: [Double] = []
        for angle in [-30.0, -20, -10, 10, 20, 30] {
            let turned = try faces(in: try rotated(source, angle, folder: folder))
            let a = angle * .pi / 180
            for face in upright {
                guard let roll0 = face.quality.rollDegrees else { continue }
                // Where the face's centre goes when the picture turns about its own centre.
                let dx = face.centre.x - size.w / 2, dy = face.centre.y - size.h / 2
                let moved = Point(x: size.w / 2 + dx * cos(a) - dy * sin(a), y: size.h / 2 + dx * sin(a) + dy * cos(a))
                guard
                    let match = turned.min(by: {
                        hypot($0.centre.x - moved.x, $0.centre.y - moved.y)
                            < hypot($1.centre.x - moved.x, $1.centre.y - moved.y)
                    }), hypot(match.centre.x - moved.x, match.centre.y - moved.y) < 20,
                    let roll = match.quality.rollDegrees
                else { continue }
                errors.append(abs(roll - (roll0 + angle)))
            }
        }
        return errors
    }

    func testYawChangesSignInAMirror() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let mirror = folder.appendingPathComponent("mirror.png").path
        try TestProcess.ffmpeg(["-i", TestMedia.multiFace, "-vf", "hflip", "-frames:v", "1", mirror])
        let upright = try faces(in: TestMedia.multiFace)
        let flipped = try faces(in: mirror)
        var frame: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { frame = $0.pixels }
        let width = Double(try XCTUnwrap(frame).width)
        // A face turned one way in the photo is turned the other way in its mirror. Measured here (5 faces): the
        // two yaws sum to -6.7 to +0.7 degrees, a lean of about -2 degrees in the estimate, and turns above 10
        // degrees change sign.
        var turnedFaces = 0
        for face in upright {
            let mirrored = Point(x: width - face.centre.x, y: face.centre.y)
            let match = try XCTUnwrap(
                flipped.min {
                    hypot($0.centre.x - mirrored.x, $0.centre.y - mirrored.y)
                        < hypot($1.centre.x - mirrored.x, $1.centre.y - mirrored.y)
                })
            let yaw = try XCTUnwrap(face.quality.yawDegrees), mirrorYaw = try XCTUnwrap(match.quality.yawDegrees)
            XCTAssertLessThan(abs(yaw + mirrorYaw), 15, "yaw \(yaw) and in the mirror \(mirrorYaw)")
            if abs(yaw) > 10 {
                XCTAssertEqual(yaw.sign == .minus, mirrorYaw.sign == .plus, "yaw \(yaw) and in the mirror \(mirrorYaw)")
                turnedFaces += 1
            }
        }
        XCTAssertGreaterThanOrEqual(turnedFaces, 2)
    }

    /// One picture of `Fixtures/head-yaw/yaw.json`: a sample's face turned by a known yaw.
    private struct TurnedFace: Decodable {
        let file: String
        let yawDeg: Double
    }

    private struct TurnedFaces: Decodable { let pictures: [TurnedFace] }

    func testYawFollowsFacesTurnedByKnownAngles() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let set = try decoder.decode(
            TurnedFaces.self, from: Data(contentsOf: TestMedia.golden("MoodlineCoreTests", "head-yaw/yaw.json")))
        XCTAssertEqual(set.pictures.count, 81)
        var errors: [Double: [Double]] = [:]
        var signed: [Double] = []
        var wrongWay: [String] = []
        for picture in set.pictures {
            let path = TestMedia.golden("MoodlineCoreTests", "head-yaw/\(picture.file)").path
            var frame: PixelBuffer?
            _ = try MediaReader(path: path).decodeFrames { frame = $0.pixels }
            let middle = Point(x: Double(try XCTUnwrap(frame).width) / 2, y: Double(frame!.height) / 2)
            // The turned face is drawn at the middle of a plain grey square.
            let face = try XCTUnwrap(
                try faces(in: path).min {
                    hypot($0.centre.x - middle.x, $0.centre.y - middle.y)
                        < hypot($1.centre.x - middle.x, $1.centre.y - middle.y)
                }, "no face found in \(picture.file)")
            let yaw = try XCTUnwrap(face.quality.yawDegrees, "no yaw for \(picture.file)")
            // The fixtures turn positive towards the picture's left; yaw_deg is positive towards its right.
            errors[abs(picture.yawDeg), default: []].append(abs(-yaw - picture.yawDeg))
            signed.append(-yaw - picture.yawDeg)
            if abs(picture.yawDeg) >= 15, (-yaw).sign != picture.yawDeg.sign { wrongWay.append(picture.file) }
        }
        var report: [String] = []
        for turn in errors.keys.sorted() {
            let sorted = errors[turn]!.sorted()
            report.append(
                String(format: "%.0f: median %.1f, largest %.1f", turn, sorted[sorted.count / 2], sorted.last!))
        }
        let all = errors.values.flatMap { $0 }.sorted()
        let median = all[all.count / 2], p90 = all[all.count * 9 / 10]
        let bias = signed.reduce(0, +) / Double(signed.count)
        print(
            String(
                format: "yaw: %d pictures, median error %.1f, 90th percentile %.1f, largest %.1f, mean %.1f; ",
                all.count,
                median, p90, all.last!, bias) + report.joined(separator: "; "))
        // Measured here: median 4.0 degrees, 90th percentile 10.4, largest 20.9, mean -0.9; by turn, medians 2.3 (0),
        // 3.0 (15), 4.2 (30), 5.4 (45) and 7.4 (60). The earlier formula, asin of the nose's offset, read 30-degree
        // turns as about 55 and every turn of 45 or more as 90: a median error of 30.
        XCTAssertEqual(wrongWay, [], "turned one way, read the other")
        XCTAssertLessThan(median, 6)
        XCTAssertLessThan(p90, 15)
        XCTAssertLessThan(abs(bias), 3)
        XCTAssertLessThan(errors[15]!.sorted()[errors[15]!.count / 2], 5)
    }
}
