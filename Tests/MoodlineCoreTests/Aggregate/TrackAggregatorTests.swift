import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest

final class TrackAggregatorTests: XCTestCase {
    private let box = Box(x: 10, y: 20, width: 100, height: 120)

    private func scores(_ emotion: Emotion, _ p: Float = 1) -> EmotionScores {
        EmotionScores(probabilities: Emotion.allCases.map { $0 == emotion ? p : (1 - p) / 6 })
    }

    func testWindowSmoothingIsOverTimeNotFrameCount() {
        var aggregator = TrackAggregator(
            smoothing: SmoothingSettings(method: .window, windowSeconds: 1.0), maximumGapSeconds: 10)
        // Dense frames early, sparse later: a 1 s window holds many frames early and one later.
        let times = [0.0, 0.1, 0.2, 0.3, 0.4, 3.0, 5.0]
        for (i, t) in times.enumerated() {
            aggregator.add(trackID: 7, frameIndex: i, seconds: t, scores: scores(i == 2 ? .happy : .sad), box: box)
        }
        let summary = aggregator.summaries()[0]
        XCTAssertEqual(summary.id, 7)
        // At 0.2 s the window [-0.3, 0.7] holds all five early frames: happy is 1 of 5.
        XCTAssertEqual(summary.timeline[2].scores[.happy], 0.2, accuracy: 1e-5)
        XCTAssertEqual(summary.timeline[2].scores.label, .sad)
        // At 3.0 s only that frame is in the window.
        XCTAssertEqual(summary.timeline[5].scores[.sad], 1, accuracy: 1e-6)
        XCTAssertEqual(summary.framesSeen, 7)
        XCTAssertEqual(summary.firstSeconds, 0)
        XCTAssertEqual(summary.lastSeconds, 5)
    }

    func testSummaryMeansSharesAndDominantEmotion() {
        var aggregator = TrackAggregator(
            smoothing: SmoothingSettings(method: .none, windowSeconds: 0), maximumGapSeconds: 1)
        // 1 s of sad then 3 s of happy, sampled every 0.5 s.
        for (i, t) in stride(from: 0.0, through: 4.0, by: 0.5).enumerated() {
            aggregator.add(trackID: 1, frameIndex: i, seconds: t, scores: scores(t < 1 ? .sad : .happy, 0.9), box: box)
        }
        let summary = aggregator.summaries()[0]
        XCTAssertEqual(summary.dominantEmotion, .happy)
        XCTAssertEqual(summary.timeShare[Emotion.happy.index], 3.25 / 4, accuracy: 1e-9)
        XCTAssertEqual(summary.timeShare[Emotion.sad.index], 0.75 / 4, accuracy: 1e-9)
        XCTAssertEqual(summary.meanProbabilities[.happy], (7 * 0.9 + 2 * 0.1 / 6) / 9, accuracy: 1e-5)
        // Every reading 0.5 s apart, gaps under the tracker's 1 s: on screen from 0 to 4 s.
        XCTAssertEqual(summary.screenSeconds, 4, accuracy: 1e-9)
        XCTAssertEqual(summary.meanBox, box)
        XCTAssertEqual(summary.relativeSize(picture: PictureSize(width: 200, height: 240)), 0.25, accuracy: 1e-12)
    }

    func testScreenTimeLeavesOutGapsLongerThanTheTrackersMissingTime() {
        var aggregator = TrackAggregator(
            smoothing: SmoothingSettings(method: .none, windowSeconds: 0), maximumGapSeconds: 1)
        // Seen 0-2 s, away for 8 s, seen 10-11 s: the 8 s gap counts as the tracker's 1 s, so 2 + 1 + 1.
        for (i, t) in [0.0, 1.0, 2.0, 10.0, 11.0].enumerated() {
            let moved = Box(x: Double(i) * 10, y: 0, width: 50 + Double(i) * 10, height: 50)
            aggregator.add(trackID: 3, frameIndex: i, seconds: t, scores: scores(.neutral), box: moved)
        }
        let summary = aggregator.summaries()[0]
        XCTAssertEqual(summary.screenSeconds, 4, accuracy: 1e-9)
        XCTAssertEqual(summary.meanBox, Box(x: 20, y: 0, width: 70, height: 50))
    }

    func testExponentialSmoothingFollowsTheTimeConstant() {
        var aggregator = TrackAggregator(
            smoothing: SmoothingSettings(method: .ema, windowSeconds: 1.0), maximumGapSeconds: 10)
        aggregator.add(trackID: 1, frameIndex: 0, seconds: 0, scores: scores(.sad), box: box)
        aggregator.add(trackID: 1, frameIndex: 1, seconds: 1, scores: scores(.happy), box: box)
        let point = aggregator.summaries()[0].timeline[1]
        // After one time constant the state has moved 1 - 1/e of the way.
        XCTAssertEqual(Double(point.scores[.happy]), 1 - exp(-1.0), accuracy: 1e-5)
    }

    /// A live input's observations moved to disk every few frames give the same summaries, bit for bit, as all
    /// kept in memory, while memory never holds more than the threshold; the file is never seen in the folder, so a
    /// run that is killed leaves nothing behind.
    func testObservationsSpilledToDiskGiveTheSameSummariesWithMemoryBounded() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let smoothing = SmoothingSettings(method: .window, windowSeconds: 1.0)
        var inMemory = TrackAggregator(smoothing: smoothing, maximumGapSeconds: 2)
        var spilled = TrackAggregator(smoothing: smoothing, maximumGapSeconds: 2)
        spilled.spill(toFolder: folder.path, every: 37)
        var random = SeededGenerator(seed: 5)
        var peak = 0
        for frame in 0..<2_000 {
            // Tracks come and go: 1 to 3 faces a frame, IDs moving on every 300 frames.
            for face in 0..<Int.random(in: 1...3, using: &random) {
                let id = frame / 300 * 3 + face
                let p = (0..<7).map { _ in Float.random(in: 0.01...1, using: &random) }
                let total = p.reduce(0, +)
                let scores = EmotionScores(probabilities: p.map { $0 / total })
                let box = Box(
                    x: Double.random(in: 0...500, using: &random), y: 7.25, width: 100.5, height: 1e-3 * Double(frame))
                inMemory.add(trackID: id, frameIndex: frame, seconds: Double(frame) / 5, scores: scores, box: box)
                spilled.add(trackID: id, frameIndex: frame, seconds: Double(frame) / 5, scores: scores, box: box)
                peak = max(peak, spilled.observationsInMemory)
            }
            if frame % 250 == 0 {
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "frame \(frame)")
                for id in 0..<25 {
                    XCTAssertEqual(spilled.summary(of: id), inMemory.summary(of: id), "track \(id) at frame \(frame)")
                }
            }
        }
        XCTAssertLessThan(peak, 37)
        XCTAssertNil(spilled.spillProblem)
        XCTAssertGreaterThan(inMemory.observationsInMemory, 3_000)
        XCTAssertEqual(spilled.summaries(), inMemory.summaries())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "the file has no name")
    }

    /// The live page smooths looking only back: the same time constant as `ema`, half a centred window, none for none.
    func testCausalTimeConstantFollowsTheSmoothingSettings() {
        XCTAssertEqual(SmoothingSettings(method: .window, windowSeconds: 1.0).causalTimeConstant, 0.5)
        XCTAssertEqual(SmoothingSettings(method: .ema, windowSeconds: 0.8).causalTimeConstant, 0.8)
        XCTAssertEqual(SmoothingSettings(method: .none, windowSeconds: 1.0).causalTimeConstant, 0)
    }
}
