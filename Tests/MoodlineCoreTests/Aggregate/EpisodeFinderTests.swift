import MoodlineCore
import XCTest

/// Episodes on synthetic smoothed timelines whose answers are known by construction.
final class EpisodeFinderTests: XCTestCase {
    private let finder = EpisodeFinder(
        settings: EpisodeSettings(enterProbability: 0.5, exitProbability: 0.35, minimumDurationSeconds: 0.5),
        maximumGapSeconds: 1)

    /// A point at `t` where `emotion` has probability `p` and the rest share what is left.
    private func point(_ t: Double, _ emotion: Emotion, _ p: Float) -> TimelinePoint {
        TimelinePoint(
            frameIndex: Int(t * 10), timeSeconds: t,
            scores: EmotionScores(probabilities: Emotion.allCases.map { $0 == emotion ? p : (1 - p) / 6 }))
    }

    private func timeline(
        _ values: [(Emotion, Float)], every step: Double = 0.2, from start: Double = 0
    ) -> [TimelinePoint] {
        values.enumerated().map { point(start + Double($0.offset) * step, $0.element.0, $0.element.1) }
    }

    func testHysteresisKeepsOneEpisodeThroughADipBetweenTheThresholds() {
        // Enters at 0.6, dips to 0.4 (under enter, over exit), recovers, then falls to 0.2.
        let points = timeline([
            (.happy, 0.3), (.happy, 0.6), (.happy, 0.8), (.happy, 0.4), (.happy, 0.7), (.happy, 0.9), (.happy, 0.2),
        ])
        let episodes = finder.episodes(trackID: 4, timeline: points)
        XCTAssertEqual(episodes.count, 1)
        let e = episodes[0]
        XCTAssertEqual(e.trackID, 4)
        XCTAssertEqual(e.emotion, .happy)
        XCTAssertEqual(e.onsetSeconds, 0.2, accuracy: 1e-12)
        XCTAssertEqual(e.offsetSeconds, 1.2, accuracy: 1e-12)
        XCTAssertEqual(e.peakSeconds, 1.0, accuracy: 1e-12)
        XCTAssertEqual(e.peakProbability, 0.9, accuracy: 1e-6)
        XCTAssertEqual(e.durationSeconds, 1.0, accuracy: 1e-12)
    }

    func testASingleThresholdWouldSplitWhatHysteresisJoins() {
        let points = timeline([(.sad, 0.6), (.sad, 0.45), (.sad, 0.6), (.sad, 0.45), (.sad, 0.6), (.sad, 0.1)])
        XCTAssertEqual(finder.episodes(trackID: 1, timeline: points).count, 1)
        let noHysteresis = EpisodeFinder(
            settings: EpisodeSettings(enterProbability: 0.5, exitProbability: 0.5, minimumDurationSeconds: 0),
            maximumGapSeconds: 1)
        XCTAssertEqual(noHysteresis.episodes(trackID: 1, timeline: points).count, 3)
    }

    func testAnotherEmotionReachingEnterTakesOverWithoutOverlap() {
        let points = timeline([
            (.sad, 0.7), (.sad, 0.7), (.sad, 0.7), (.fear, 0.6), (.fear, 0.6), (.fear, 0.6), (.fear, 0.6),
        ])
        let episodes = finder.episodes(trackID: 1, timeline: points)
        XCTAssertEqual(episodes.map(\.emotion), [.sad, .fear])
        XCTAssertEqual(episodes[0].offsetSeconds, episodes[1].onsetSeconds, accuracy: 1e-12)
        XCTAssertEqual(episodes[1].offsetSeconds, 1.2, accuracy: 1e-12)
    }

    func testShortEpisodesAreDroppedAndGapsEndEpisodes() {
        // 0.4 s of surprise is under the 0.5 s minimum; neutral continues after a 3.2 s gap, which ends its episode.
        var points = timeline([
            (.surprise, 0.8), (.surprise, 0.8), (.neutral, 0.9), (.neutral, 0.9), (.neutral, 0.9), (.neutral, 0.9),
        ])
        points += timeline([(.neutral, 0.9), (.neutral, 0.9), (.neutral, 0.9), (.neutral, 0.9)], from: 4.2)
        let episodes = finder.episodes(trackID: 2, timeline: points)
        XCTAssertEqual(episodes.map(\.emotion), [.neutral, .neutral])
        XCTAssertEqual(episodes[0].onsetSeconds, 0.4, accuracy: 1e-12)
        XCTAssertEqual(episodes[0].offsetSeconds, 1.0, accuracy: 1e-12)
        XCTAssertEqual(episodes[1].onsetSeconds, 4.2, accuracy: 1e-12)
        XCTAssertEqual(episodes[1].offsetSeconds, 4.8, accuracy: 1e-12)
    }

    func testNothingEntersBelowTheEnterThreshold() {
        XCTAssertEqual(
            finder.episodes(trackID: 1, timeline: timeline([(.angry, 0.45), (.angry, 0.49), (.angry, 0.4)])), [])
    }
}
