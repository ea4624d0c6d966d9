@testable import MoodlineCore
import XCTest

/// Kappa, its intervals, the confusion matrix and F1, checked against cases worked by hand.
final class AgreementTests: XCTestCase {
    /// `count` pairs of (reference, rated), one a second from `start`.
    private func pairs(_ groups: [(Emotion, Emotion, Int)], start: Double = 0) -> [Agreement.Pair] {
        var time = start
        var result: [Agreement.Pair] = []
        for (reference, rated, count) in groups {
            for _ in 0..<count {
                result.append(Agreement.Pair(time: time, reference: reference, rated: rated))
                time += 1
            }
        }
        return result
    }

    /// Two raters, 50 items, two labels: 20 both happy, 15 both sad, 5 happy/sad, 10 sad/happy.
    /// po = 35/50 = 0.7; the reference says happy 25 times, the rated 30: pe = 0.5·0.6 + 0.5·0.4 = 0.5;
    /// kappa = (0.7 − 0.5)/(1 − 0.5) = 0.4; SE = sqrt(0.7·0.3/(50·0.25)) = 0.129615; 95%: 0.4 ± 0.254042.
    /// happy: precision 20/30, recall 20/25, F1 = 2·(2/3)(4/5)/((2/3)+(4/5)) = 0.727273.
    func testKappaAndF1MatchAHandWorkedCase() throws {
        let a = Agreement(
            pairs: pairs([(.happy, .happy, 20), (.sad, .sad, 15), (.happy, .sad, 5), (.sad, .happy, 10)]))
        XCTAssertEqual(a.compared, 50)
        XCTAssertEqual(a.observed, 0.7, accuracy: 1e-12)
        XCTAssertEqual(a.expected, 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(a.kappa), 0.4, accuracy: 1e-12)
        let interval = try XCTUnwrap(a.kappaIntervalIndependent)
        XCTAssertEqual(interval.lowerBound, 0.4 - 0.254042, accuracy: 1e-5)
        XCTAssertEqual(interval.upperBound, 0.4 + 0.254042, accuracy: 1e-5)
        XCTAssertEqual(a.confusion[Emotion.happy.index][Emotion.sad.index], 5)
        XCTAssertEqual(a.confusion[Emotion.sad.index][Emotion.happy.index], 10)
        let happy = a.classes[Emotion.happy.index]
        XCTAssertEqual(happy.support, 25)
        XCTAssertEqual(try XCTUnwrap(happy.precision), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(happy.recall), 0.8, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(happy.f1), 0.727273, accuracy: 1e-6)
        let fear = a.classes[Emotion.fear.index]
        XCTAssertEqual(fear.support, 0)
        XCTAssertNil(fear.precision)
        XCTAssertNil(fear.f1)
    }

    /// A class the reference gives and the rated never does has F1 0 (not undefined), so a macro-F1 over the
    /// classes is not flattered; times far from 0 s give just their own bins.
    func testAClassNeverRatedScoresZeroAndBinsStartWhereFramesAre() throws {
        let a = Agreement(
            pairs: pairs([(.fear, .neutral, 4), (.neutral, .neutral, 6)], start: 36_000), binSeconds: 60)
        let fear = a.classes[Emotion.fear.index]
        XCTAssertNil(fear.precision)
        XCTAssertEqual(fear.recall, 0)
        XCTAssertEqual(fear.f1, 0)
        XCTAssertEqual(a.overTime.map(\.start), [36_000])
        XCTAssertEqual(a.overTime.map(\.agreement), [0.6])
    }

    /// Three labels (Fleiss, Levin & Paik's textbook table, 100 items): counts by row
    /// [[44, 5, 1], [7, 20, 3], [9, 5, 6]]: po = 0.70, pe = 0.5·0.6 + 0.3·0.3 + 0.2·0.1 = 0.41, kappa = 0.29/0.59.
    func testKappaWithThreeLabels() throws {
        let a = Agreement(
            pairs: pairs([
                (.neutral, .neutral, 44), (.neutral, .happy, 5), (.neutral, .sad, 1), (.happy, .neutral, 7),
                (.happy, .happy, 20), (.happy, .sad, 3), (.sad, .neutral, 9), (.sad, .happy, 5), (.sad, .sad, 6),
            ]))
        XCTAssertEqual(a.observed, 0.70, accuracy: 1e-12)
        XCTAssertEqual(a.expected, 0.41, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(a.kappa), 0.29 / 0.59, accuracy: 1e-12)
    }

    func testPerfectAgreementAndOneLabelThroughout() throws {
        let perfect = Agreement(pairs: pairs([(.happy, .happy, 10), (.sad, .sad, 10)]))
        XCTAssertEqual(try XCTUnwrap(perfect.kappa), 1, accuracy: 1e-12)
        // Both raters say neutral throughout: chance agreement is 1, and kappa is undefined, not 1 or 0.
        let constant = Agreement(pairs: pairs([(.neutral, .neutral, 30)]))
        XCTAssertEqual(constant.observed, 1)
        XCTAssertNil(constant.kappa)
        XCTAssertNil(constant.kappaIntervalIndependent)
        let none = Agreement(pairs: [])
        XCTAssertEqual(none.compared, 0)
        XCTAssertNil(none.kappa)
        XCTAssertTrue(none.overTime.isEmpty)
    }

    /// Video frames come in runs of the same label: resampling 10-second blocks whole gives a wider interval than
    /// taking each frame as independent, it holds the kappa, and it is the same on every run.
    func testTheBlockBootstrapIntervalIsWiderForRunsAndRepeatable() throws {
        var groups: [(Emotion, Emotion, Int)] = []
        for n in 0..<20 {
            // Ten frames a second of one kind: 200 s, 2,000 frames, 20 blocks of 10 s.
            let kind: (Emotion, Emotion) = [(.happy, .happy), (.sad, .sad), (.happy, .sad), (.neutral, .neutral)][n % 4]
            groups.append((kind.0, kind.1, 100))
        }
        let frames = pairs(groups).map { Agreement.Pair(time: $0.time / 10, reference: $0.reference, rated: $0.rated) }
        let a = Agreement(pairs: frames)
        let kappa = try XCTUnwrap(a.kappa)
        let blocks = try XCTUnwrap(a.kappaIntervalBlocks)
        let independent = try XCTUnwrap(a.kappaIntervalIndependent)
        XCTAssertTrue(blocks.contains(kappa), "\(blocks) holds \(kappa)")
        XCTAssertGreaterThan(
            blocks.upperBound - blocks.lowerBound, 2 * (independent.upperBound - independent.lowerBound))
        XCTAssertEqual(Agreement(pairs: frames).kappaIntervalBlocks, blocks)
        // Agreement over time: 60-s bins (the first holds kinds 1, 2, 3, 4, 1, 2: five of six agree), the last partial.
        XCTAssertEqual(a.overTime.map(\.compared), [600, 600, 600, 200])
        XCTAssertEqual(try XCTUnwrap(a.overTime[0].agreement), 5.0 / 6, accuracy: 1e-12)
    }
}
