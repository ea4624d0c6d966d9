import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

final class FrameSamplerTests: XCTestCase {
    func testRateSamplingOfThePexelsClipFollowsTheClock() throws {
        var sampler = FrameSampler(mode: .rate(framesPerSecond: 5))
        var times: [Double] = []
        _ = try MediaReader(path: TestMedia.pexels).decodeFrames(select: { sampler.accepts($0) }) {
            times.append($0.timeSeconds)
        }
        // 19.69 s at 5 fps: ticks 0.0, 0.2, ..., 19.6.
        XCTAssertEqual(times.count, 99)
        let period = 1001.0 / 24000.0
        for (k, time) in times.enumerated() {
            let tick = Double(k) * 0.2
            XCTAssertGreaterThanOrEqual(time, tick - 1e-9, "sample \(k) is before its tick")
            XCTAssertLessThan(time - tick, period, "sample \(k) is more than one frame period after its tick")
        }
    }

    func testRateSamplingOnVariableFrameRateTakesTheFirstFrameAtOrAfterEachTick() {
        // Frames at uneven times; a 10 fps clock ticks at 0.0, 0.1, 0.2, ...
        let times = [0.0, 0.03, 0.13, 0.17, 0.27, 0.5, 0.53, 0.61]
        var sampler = FrameSampler(mode: .rate(framesPerSecond: 10))
        let taken = times.enumerated().filter {
            sampler.accepts(FrameTiming(index: $0.offset, timeSeconds: $0.element, isKeyFrame: false))
        }
        // 0.0 for tick 0; 0.13 for tick 0.1; 0.27 for tick 0.2; 0.5 covers ticks 0.3-0.5 once; 0.61 for 0.6.
        XCTAssertEqual(taken.map(\.element), [0.0, 0.13, 0.27, 0.5, 0.61])
    }

    func testTimestampsJustBelowATickStillCount() {
        var sampler = FrameSampler(mode: .rate(framesPerSecond: 5))
        XCTAssertTrue(sampler.accepts(FrameTiming(index: 0, timeSeconds: 0, isKeyFrame: true)))
        XCTAssertTrue(sampler.accepts(FrameTiming(index: 1, timeSeconds: 0.19999999999, isKeyFrame: false)))
        XCTAssertFalse(sampler.accepts(FrameTiming(index: 2, timeSeconds: 0.3, isKeyFrame: false)))
    }

    func testStreamThatStartsLateIsSampledFromItsFirstFrame() {
        var sampler = FrameSampler(mode: .rate(framesPerSecond: 1))
        let times = [5.5, 5.9, 6.0, 6.4, 7.2]
        let taken = times.filter { sampler.accepts(FrameTiming(index: 0, timeSeconds: $0, isKeyFrame: false)) }
        XCTAssertEqual(taken, [5.5, 6.0, 7.2])
    }

    func testEveryNthAndKeyFramesAndEveryFrame() {
        let timings = (0..<10).map { FrameTiming(index: $0, timeSeconds: Double($0) / 10, isKeyFrame: $0 % 4 == 0) }
        var nth = FrameSampler(mode: .everyNth(3))
        XCTAssertEqual(timings.filter { nth.accepts($0) }.map(\.index), [0, 3, 6, 9])
        var keys = FrameSampler(mode: .keyFrames)
        XCTAssertEqual(timings.filter { keys.accepts($0) }.map(\.index), [0, 4, 8])
        var all = FrameSampler(mode: .everyFrame)
        XCTAssertEqual(timings.filter { all.accepts($0) }.count, 10)
    }
}
