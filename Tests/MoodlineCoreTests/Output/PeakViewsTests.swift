@testable import MoodlineCore
import MoodlineMedia
import XCTest

/// The faces the video report shows for its episodes: the strongest view of an emotion in a span, from a store
/// whose size does not grow with the length of the video.
final class PeakViewsTests: XCTestCase {
    /// Scores with `happy` at `p` and the rest shared out.
    private func scores(happy p: Float) -> EmotionScores {
        let rest = (1 - p) / 6
        return EmotionScores(probabilities: Emotion.allCases.map { $0 == .happy ? p : rest })
    }

    /// A crop that says which frame it came from.
    private func crop(_ n: Int) -> PixelBuffer { PixelBuffer(width: 2, height: 1, layout: .grey, fill: UInt8(n % 256)) }

    func testTheStrongestViewInTheSpanIsGiven() {
        var peaks = PeakViews(stretchSeconds: 2, maximumStretches: 128)
        // Happy rises to 0.9 at 5.0 s, then falls; the track is read 5 times a second for 10 s.
        for n in 0..<50 {
            let t = Double(n) * 0.2
            peaks.add(track: 1, seconds: t, scores: scores(happy: Float(0.9 - abs(t - 5) * 0.1)), crop: crop(n))
        }
        let view = peaks.view(track: 1, emotion: .happy, from: 3, to: 7)
        XCTAssertEqual(view?.seconds ?? -1, 5, accuracy: 1e-9)
        XCTAssertEqual(view?.crop, crop(25))
        // A span on the falling side gets its own strongest, not the overall peak.
        XCTAssertEqual(peaks.view(track: 1, emotion: .happy, from: 8.5, to: 9.5)?.seconds ?? -1, 8, accuracy: 1e-9)
        XCTAssertNil(peaks.view(track: 2, emotion: .happy, from: 0, to: 10), "no such track")
    }

    /// Ten hours read five times a second keep at most `maximumStretches` stretches, and still find the peak.
    func testMemoryStaysBoundedOverAVeryLongTrack() {
        var peaks = PeakViews(stretchSeconds: 2, maximumStretches: 64)
        let frames = 10 * 3600 * 5
        for n in 0..<frames {
            let t = Double(n) * 0.2
            let p: Float = n == 123_457 ? 0.99 : 0.5
            peaks.add(track: 7, seconds: t, scores: scores(happy: p), crop: crop(n))
        }
        XCTAssertLessThanOrEqual(peaks.stretchCount(track: 7), 64)
        let view = peaks.view(track: 7, emotion: .happy, from: 24_000, to: 25_000)
        XCTAssertEqual(view?.probability ?? 0, 0.99, accuracy: 1e-6)
        XCTAssertEqual(view?.seconds ?? -1, 123_457 * 0.2, accuracy: 1e-6)
    }

    /// Many tracks over a long time (a crowd, a stream cut every few seconds) keep at most `maximumTotal`
    /// stretches over all of them; the latest tracks keep their views.
    func testMemoryStaysBoundedOverManyTracks() {
        var peaks = PeakViews(stretchSeconds: 2, maximumStretches: 16, maximumTotal: 100)
        for track in 0..<2000 {
            // Each track lives 10 s at 5 readings a second, one after another.
            for n in 0..<50 {
                let t = Double(track) * 10 + Double(n) * 0.2
                peaks.add(track: track, seconds: t, scores: scores(happy: 0.6), crop: crop(n))
            }
            XCTAssertLessThanOrEqual(peaks.stretchTotal, 100)
        }
        XCTAssertNotNil(peaks.view(track: 1999, emotion: .happy, from: 19_990, to: 20_000), "the latest track")
        XCTAssertNil(peaks.view(track: 0, emotion: .happy, from: 0, to: 10), "the first, long gone, forgotten")
    }
}
