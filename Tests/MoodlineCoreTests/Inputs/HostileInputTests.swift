import Foundation
@testable import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Folder trees and names made to hang, duplicate or escape: link loops, links to files, broken links, names
/// that are not UTF-8 or hold control characters, stems that are `..`.
final class HostileInputTests: XCTestCase {
    private func makePhotos(_ names: [String], in folder: URL) throws {
        for name in names {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestMedia.astronaut, toPath: url.path)
        }
    }

    /// Two links to `..` once made the walk grow without end; each file must be found once.
    func testLinkLoopsEndAndFindEachFileOnce() throws {
        let root = try TestMedia.temporaryFolder(for: self).appendingPathComponent("set")
        try makePhotos(["a.png", "sub/b.png"], in: root)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("sub/up1").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("sub/up2").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("self").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("also-a.png").path, withDestinationPath: "a.png")
        let found = InputDiscovery.discover([root.path])
        XCTAssertEqual(found.files.map { String($0.path.dropFirst(root.path.count + 1)) }, ["a.png", "sub/b.png"])
        let duplicate = try XCTUnwrap(found.skipped.first { $0.path.hasSuffix("also-a.png") })
        XCTAssertFalse(duplicate.isError, "a second name for a file is noted, not an error")
        XCTAssertTrue(duplicate.reason.contains("a.png"))
    }

    /// Broken links and names that are not UTF-8 are reported as errors, naming the file.
    func testBrokenLinksAndUndecodableNamesAreErrors() throws {
        let root = try TestMedia.temporaryFolder(for: self).appendingPathComponent("set")
        try makePhotos(["ok.png"], in: root)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("gone.jpg").path, withDestinationPath: "nowhere.jpg")
        // "caf\xE9.jpg" in Latin-1: not valid UTF-8.
        let badName = root.path + "/caf"
        var bytes = Array(badName.utf8) + [0xE9] + Array(".jpg".utf8) + [0]
        let descriptor = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                open($0, O_CREAT | O_WRONLY, 0o644)
            }
        }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        close(descriptor)
        let plan = InputPlanner.plan([root.path])
        XCTAssertEqual(plan.inputs.count, 1)
        guard let files = plan.inputs[0].source.fileList?.files else { return XCTFail("expected photos") }
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["ok.png"])
        let problems = plan.problems.map { ($0.path as NSString).lastPathComponent + ": " + $0.reason }.sorted()
        XCTAssertEqual(
            problems,
            [
                "caf\\xE9.jpg: the file name is not valid UTF-8; rename the file to analyse it",
                "gone.jpg: is a broken symbolic link (its target does not exist)",
            ])
        XCTAssertTrue(plan.problems.allSatisfy(\.isError))
    }

    /// Output folder names stay inside the output folder and print safely.
    func testOutputNamesAreSafe() {
        XCTAssertEqual(InputPlanner.safeName(".."), "_..")
        XCTAssertEqual(InputPlanner.safeName("."), "_.")
        XCTAssertEqual(InputPlanner.safeName(""), "_")
        XCTAssertEqual(InputPlanner.safeName(".hidden"), "_.hidden")
        XCTAssertEqual(InputPlanner.safeName("a\u{1B}[31mred\u{7}"), "a_[31mred_")
        XCTAssertEqual(InputPlanner.safeName("interview 2024"), "interview 2024")
        XCTAssertEqual(InputPlanner.safeName(String(repeating: "é", count: 300)).utf8.count, 200)
    }

    /// `...jpg` has the stem `..`; a folder given as `x/..` has the name `..`. Neither may become `OUT/..`.
    func testStemsThatAreDotDotGetSafeFolders() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        try makePhotos(["x/...jpg", "x/y/p.png"], in: base)
        let plan = InputPlanner.plan([
            base.appendingPathComponent("x/...jpg").path, base.appendingPathComponent("x/y/..").path,
        ])
        XCTAssertEqual(
            plan.inputs.map(\.outputName).sorted(),
            [
                "_..-" + InputPlanner.pathTag(base.appendingPathComponent("x/...jpg").path),
                "_..-" + InputPlanner.pathTag(base.appendingPathComponent("x/y/..").path),
            ].sorted())
    }

    /// Sampling counts from absurd media numbers saturate instead of trapping.
    func testExpectedFramesSaturate() throws {
        let json =
            #"{"container":"mov","codec":"h264","pixelFormat":"yuv420p","width":64,"height":48,"codedWidth":64,"codedHeight":48,"rotationDegrees":0,"mirrored":false,"durationSeconds":4.6e18,"averageFrameRate":10,"realFrameRate":10,"hasAudio":false,"isStillImage":false}"#
        let info = try JSONDecoder().decode(MediaInfo.self, from: Data(json.utf8))
        XCTAssertEqual(info.expectedFrames(.rate(framesPerSecond: 5)), Int.max)
        XCTAssertEqual(info.expectedFrames(.everyFrame), Int.max)
        XCTAssertEqual(info.expectedFrames(.everyNth(Int.max)), 1)
        var sampler = FrameSampler(mode: .rate(framesPerSecond: 1000))
        XCTAssertTrue(sampler.accepts(FrameTiming(index: 0, timeSeconds: 4.6e18, isKeyFrame: true)))
        // Past Int64's ticks the sampler can no longer space frames out, but it must not trap.
        _ = sampler.accepts(FrameTiming(index: 1, timeSeconds: 4.6e18, isKeyFrame: true))
        _ = sampler.accepts(FrameTiming(index: 2, timeSeconds: -.infinity, isKeyFrame: true))
        XCTAssertEqual(FixedPoint.format(4.6e18, decimals: 3), "4.6e+18")
    }
}
