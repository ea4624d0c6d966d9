import Foundation
@testable import MoodlineCore
import XCTest

/// Each stage's key table: what it reads is what it writes, and every flag sets a key the table has.
final class SettingKeyTests: XCTestCase {
    func testEverySettingOffItsDefaultSurvivesAWriteAndARead() throws {
        var d = PipelineDefinition(name: "all")
        d.description = "every key off its default"
        d.sampling = .everyNth(3)
        d.decode = DecodeSettings(
            maximumSidePixels: 640, startSeconds: 1.5, endSeconds: 9.25, skipsUnsampledFrames: false,
            skipsLoopFilterWhenUnsampled: true, durationSeconds: 4, stallTimeoutSeconds: 3, reconnectAttempts: 2)
        d.detector = DetectorSettings(
            model: .shortRange, minimumScore: 0.12222222222222222, nmsIoUThreshold: 0.4, minimumFaceSizePixels: 12)
        d.crop = CropGeometry(sizePixels: 64, eyeDistance: 0.4, eyeLineY: 0.3)
        d.classifier = ClassifierSettings(weightsFile: "mine/model.safetensors", flipAverage: true)
        d.quality = QualitySettings(
            minimumFacePixels: 1, minimumSharpness: 2, maximumYawDegrees: 3, maximumRollDegrees: 4,
            minimumConfidence: 0.5, includeUncertain: true)
        d.tracking = TrackSettings(enabled: false, minimumOverlap: 0.3, maximumMissingSeconds: 2, subject: .largest)
        d.smoothing = SmoothingSettings(method: .ema, windowSeconds: 0.30000000000000004)
        d.episodes = EpisodeSettings(enterProbability: 0.6, exitProbability: 0.2, minimumDurationSeconds: 1)
        d.outputs = OutputSettings(formats: [.init(rawValue: "csv")!])
        d.concurrency = ConcurrencySettings(width: 3, bufferFrames: 5)
        XCTAssertEqual(try PipelineFile.parse(PipelineFile.data(d), source: "again"), d)
    }

    /// The folder suffix of a part of a video names its range in seconds as `--start`/`--end`/`--duration` gave it.
    func testARangeNamesItsFolder() {
        XCTAssertNil(DecodeSettings().rangeFolderSuffix, "the whole file keeps its plain name")
        XCTAssertEqual(DecodeSettings(startSeconds: 30, endSeconds: 90).rangeFolderSuffix, ".30s-90s")
        XCTAssertEqual(DecodeSettings(startSeconds: 30).rangeFolderSuffix, ".30s-end")
        XCTAssertEqual(DecodeSettings(endSeconds: 4.5).rangeFolderSuffix, ".0s-4.5s")
        XCTAssertEqual(DecodeSettings(startSeconds: 7.25, durationSeconds: 60).rangeFolderSuffix, ".7.25s-67.25s")
        XCTAssertEqual(DecodeSettings(startSeconds: 0.001, endSeconds: 1e9).rangeFolderSuffix, ".0.001s-1000000000s")
    }

    func testAnAbsentOptionalKeyIsLeftOut() {
        XCTAssertNil(DecodeSettings().json["start_s"])
        XCTAssertNil(ClassifierSettings().json["weights"])
        XCTAssertEqual(DecodeSettings(startSeconds: 2).json["start_s"], .number(2))
    }

    func testEveryFlagSetsAKeyOfItsSection() {
        func check<S: StageSettings>(_ type: S.Type) {
            let names = Set(S.keys.map(\.name))
            for flag in S.flags {
                XCTAssertTrue(names.contains(flag.key), "--\(flag.name) sets \(S.section).\(flag.key), not a key")
            }
        }
        check(DecodeSettings.self)
        check(DetectorSettings.self)
        check(ClassifierSettings.self)
        check(QualitySettings.self)
        check(TrackSettings.self)
        check(SmoothingSettings.self)
        check(EpisodeSettings.self)
        check(OutputSettings.self)
        check(ConcurrencySettings.self)
    }
}
