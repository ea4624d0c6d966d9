import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Leaving unsampled frames undecoded (`decodeFrames(wants:)` with `FrameSampler.mayAccept`) must not change a
/// single sampled pixel, index or time, whatever the stream's structure.
final class FrameSkippingTests: XCTestCase {
    private struct Sampled: Equatable {
        let index: Int
        let time: Double
        let pixels: [UInt8]
    }

    private func sampled(
        _ path: String, _ mode: SamplingMode, skipping: Bool, threads: Int,
        start: Double? = nil
    ) throws -> (frames: [Sampled], skipped: Int, decoded: Int) {
        let reader = try MediaReader(path: path, options: DecoderOptions(threads: threads, startSeconds: start))
        var sampler = FrameSampler(mode: mode, startSeconds: start)
        let planning = sampler
        var frames: [Sampled] = []
        let summary = try reader.decodeFrames(
            select: { sampler.accepts($0) },
            wants: skipping ? { planning.mayAccept($0) } : nil
        ) { frame in
            frames.append(Sampled(index: frame.index, time: frame.timeSeconds, pixels: frame.pixels.bytes))
        }
        XCTAssertEqual(summary.problems, [], path)
        return (frames, summary.framesSkipped, summary.framesDecoded)
    }

    private let modes: [SamplingMode] = [
        .rate(framesPerSecond: 5), .rate(framesPerSecond: 7.3), .rate(framesPerSecond: 29),
        .everyNth(4),
    ]

    /// Checks every mode with one and two decoder threads; returns the frames skipped at 5 fps.
    @discardableResult
    private func assertSameAsFullDecode(
        _ fixture: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int {
        let path = TestMedia.fixture(fixture)
        var skippedAtFive = 0
        for mode in modes {
            for threads in [1, 2] {
                let full = try sampled(path, mode, skipping: false, threads: threads)
                let skipping = try sampled(path, mode, skipping: true, threads: threads)
                XCTAssertFalse(full.frames.isEmpty, file: file, line: line)
                XCTAssertEqual(full.skipped, 0, file: file, line: line)
                XCTAssertEqual(
                    skipping.frames.map(\.index), full.frames.map(\.index), "\(fixture) \(mode)", file: file, line: line
                )
                XCTAssertEqual(
                    skipping.frames.map(\.time), full.frames.map(\.time), "\(fixture) \(mode)", file: file, line: line)
                XCTAssertTrue(
                    skipping.frames == full.frames, "\(fixture) \(mode) threads \(threads): pixels differ", file: file,
                    line: line)
                // Every frame is either decoded or skipped.
                XCTAssertEqual(
                    skipping.decoded + skipping.skipped, full.decoded, "\(fixture) \(mode)", file: file, line: line)
                if mode == .rate(framesPerSecond: 5) && threads == 2 { skippedAtFive = skipping.skipped }
            }
        }
        return skippedAtFive
    }

    func testBFramesWithPyramidAreSkippedAndSampledFramesAreBitIdentical() throws {
        let skipped = try assertSameAsFullDecode("bframes.mp4")
        // 90 frames at 30 fps sampled at 5 fps: 15 kept; most non-reference B-frames go.
        XCTAssertGreaterThan(skipped, 20)
    }

    func testOpenGOPIsBitIdentical() throws {
        XCTAssertGreaterThan(try assertSameAsFullDecode("opengop.mp4"), 20)
    }

    func testVariableFrameRateWithBFramesIsBitIdentical() throws {
        XCTAssertGreaterThan(try assertSameAsFullDecode("vfr-bframes.mkv"), 10)
        try assertSameAsFullDecode("vfr.mkv")
    }

    func testWithoutBFramesEveryFrameIsDecoded() throws {
        // Every P-frame is a reference: nothing can be skipped, and nothing changes.
        XCTAssertEqual(try assertSameAsFullDecode("nobframes.mp4"), 0)
    }

    func testHEVCAndVP9AreBitIdentical() throws {
        XCTAssertGreaterThan(try assertSameAsFullDecode("hevc.mp4"), 20)
        try assertSameAsFullDecode("vp9.webm")
    }

    func testPexelsSampleIsBitIdenticalAtFiveFramesPerSecond() throws {
        let full = try sampled(TestMedia.pexels, .rate(framesPerSecond: 5), skipping: false, threads: 0)
        let skipping = try sampled(TestMedia.pexels, .rate(framesPerSecond: 5), skipping: true, threads: 0)
        XCTAssertEqual(full.frames.count, 99)
        XCTAssertTrue(skipping.frames == full.frames)
        XCTAssertGreaterThan(skipping.skipped, 100)
    }

    func testAfterASeekTheFramesFromTheStartAreBitIdentical() throws {
        for fixture in ["bframes.mp4", "opengop.mp4"] {
            let path = TestMedia.fixture(fixture)
            for mode in modes {
                let full = try sampled(path, mode, skipping: false, threads: 2, start: 1.3)
                let skipping = try sampled(path, mode, skipping: true, threads: 2, start: 1.3)
                XCTAssertTrue(skipping.frames == full.frames, "\(fixture) \(mode)")
            }
        }
    }

    func testSamplerNeverRefusesAFrameItWouldTake() {
        // Random frame times (sorted), previous times known or earlier than the truth: whatever mayAccept refuses,
        // accepts must refuse too.
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let fps = Double.random(in: 0.5...30, using: &generator)
            var sampler = FrameSampler(mode: .rate(framesPerSecond: fps))
            let planning = sampler
            var time = -0.2
            var previous: Double? = nil
            for _ in 0..<300 {
                time += Double.random(in: 0.001...0.3, using: &generator)
                let known = previous.map { Bool.random(using: &generator) ? $0 : $0 - 0.05 }
                let may = planning.mayAccept(PacketTiming(timeSeconds: time, previousTimeSeconds: known, index: nil))
                let takes = sampler.accepts(FrameTiming(index: 0, timeSeconds: time, isKeyFrame: false))
                if takes { XCTAssertTrue(may, "fps \(fps) time \(time) previous \(String(describing: previous))") }
                previous = time
            }
        }
    }
}
