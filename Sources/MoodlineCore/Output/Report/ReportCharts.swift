import Foundation

/// The report's charts as inline SVG (no scripts, no network): a stacked area of a track's smoothed probabilities,
/// its episodes as bands, and the detection coverage, all on one time axis so they line up.
enum ReportCharts {
    /// Each emotion's colour, in `Emotion.allCases` order (angry, disgust, fear, happy, sad, surprise, neutral).
    static let colours = ["#d62728", "#8c564b", "#9467bd", "#f2b701", "#1f77b4", "#17becf", "#9e9e9e"]
    static let width = 900.0

    static func colour(_ emotion: Emotion) -> String { colours[emotion.index] }

    /// x position of a time on an axis from `start` to `end` seconds.
    private static func x(_ t: Double, _ start: Double, _ end: Double) -> Double {
        end > start ? (t - start) / (end - start) * width : 0
    }

    private static func f(_ v: Double) -> String { FixedPoint.format(v, decimals: 1) }

    /// A stacked area of the timeline's probabilities (at most `maxPoints` points, evenly thinned), 0 at the bottom.
    static func stackedArea(
        _ timeline: [TimelinePoint], start: Double, end: Double, height: Double = 140, maxPoints: Int = 600
    ) -> String {
        stackedArea([timeline], start: start, end: end, height: height, maxPoints: maxPoints)
    }

    /// Several timelines (one person's tracks, which never overlap) on one axis, each its own areas, so the gaps
    /// between them stay empty; at most `maxPoints` points in all.
    static func stackedArea(
        _ timelines: [[TimelinePoint]], start: Double, end: Double, height: Double = 140, maxPoints: Int = 600
    ) -> String {
        let total = timelines.reduce(0) { $0 + $1.count }
        let step = max(1, (total + maxPoints - 1) / maxPoints)
        var svg =
            "<svg class=\"plot\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"smoothed probabilities over time\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>"
        for timeline in timelines {
            svg += areas(stride(from: 0, to: timeline.count, by: step).map { timeline[$0] }, start, end, height)
        }
        // The probability scale, over the areas: quarter lines and 0, 0.5 and 1 at the left edge.
        for level in [0.25, 0.5, 0.75] {
            svg +=
                "<line class=\"grid\" x1=\"0\" x2=\"\(f(width))\" y1=\"\(f(height * (1 - level)))\" y2=\"\(f(height * (1 - level)))\" stroke=\"#fff\" stroke-opacity=\"0.6\" stroke-dasharray=\"2 3\"/>"
        }
        for (level, y) in [("1", 10.0), ("0.5", height / 2 + 4), ("0", height - 2)] {
            svg +=
                "<text class=\"scale\" x=\"2\" y=\"\(f(y))\" font-size=\"10\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\(level)</text>"
        }
        return svg + "</svg>"
    }

    /// The seven stacked areas of one timeline's points.
    private static func areas(_ points: [TimelinePoint], _ start: Double, _ end: Double, _ height: Double) -> String {
        var svg = ""
        var below = [Double](repeating: 0, count: points.count)
        for (c, emotion) in Emotion.allCases.enumerated() {
            let above = zip(below, points).map { $0 + Double($1.scores.probabilities[c]) }
            var path = ""
            for (i, p) in points.enumerated() {
                path += (i == 0 ? "M" : "L") + f(x(p.timeSeconds, start, end)) + "," + f(height * (1 - above[i]))
            }
            for (i, p) in points.enumerated().reversed() {
                path += "L" + f(x(p.timeSeconds, start, end)) + "," + f(height * (1 - below[i]))
            }
            if points.count == 1 {
                // A single reading: a thin bar rather than an invisible line.
                let x0 = x(points[0].timeSeconds, start, end)
                svg +=
                    "<rect x=\"\(f(x0))\" y=\"\(f(height * (1 - above[0])))\" width=\"3\" height=\"\(f(height * (above[0] - below[0])))\" fill=\"\(colours[c])\"/>"
            } else if !points.isEmpty {
                svg +=
                    "<path class=\"area\" data-emotion=\"\(emotion.rawValue)\" d=\"\(path)Z\" fill=\"\(colours[c])\"/>"
            }
            below = above
        }
        return svg
    }

    /// The episodes as coloured bands labelled with their emotion.
    static func episodeBands(_ episodes: [Episode], start: Double, end: Double, height: Double = 22) -> String {
        var svg =
            "<svg class=\"episodes\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"episodes\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#f0f0f0\"/>"
        for e in episodes {
            let x0 = x(e.onsetSeconds, start, end), x1 = x(e.offsetSeconds, start, end)
            svg +=
                "<rect class=\"episode\" x=\"\(f(x0))\" y=\"0\" width=\"\(f(max(1, x1 - x0)))\" height=\"\(f(height))\" fill=\"\(colour(e.emotion))\">"
            svg +=
                "<title>\(e.emotion.rawValue) \(FixedPoint.format(e.onsetSeconds, decimals: 1))–\(FixedPoint.format(e.offsetSeconds, decimals: 1)) s, peak \(FixedPoint.format(e.peakProbability, decimals: 2))</title></rect>"
            if x1 - x0 > 40 {
                svg +=
                    "<text x=\"\(f(x0 + 3))\" y=\"\(f(height - 7))\" font-size=\"11\" fill=\"#fff\">\(e.emotion.rawValue)</text>"
            }
        }
        return svg + "</svg>"
    }

    /// The segments (`--segments`) as labelled spans on the time axis, alternately shaded; overlapping ones (several
    /// ELAN tiers) share the strip, later over earlier. The full label and times are in each span's tooltip.
    static func segmentBands(_ segments: [LabelledRange], start: Double, end: Double, height: Double = 18) -> String {
        var svg =
            "<svg class=\"segments\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"segments\">"
        for (i, segment) in segments.enumerated() where segment.end > start && segment.start < end {
            let x0 = x(max(segment.start, start), start, end), x1 = x(min(segment.end, end), start, end)
            let label = MarkupText.escape(segment.label)
            svg +=
                "<g class=\"segment\"><rect x=\"\(f(x0))\" y=\"0\" width=\"\(f(max(1, x1 - x0)))\" height=\"\(f(height))\" fill=\"\(i % 2 == 0 ? "#cfd8dc" : "#b0bec5")\" stroke=\"#fff\">"
            svg += "<title>\(label) \(clock(segment.start))–\(clock(segment.end))</title></rect>"
            // As much of the label as fits, at about 6 px a character.
            let fits = Int((x1 - x0 - 6) / 6)
            if fits >= 3 {
                let text = segment.label.count > fits ? String(segment.label.prefix(fits - 1)) + "…" : segment.label
                svg +=
                    "<text x=\"\(f(x0 + 3))\" y=\"\(f(height - 5))\" font-size=\"10\" fill=\"#263238\">\(MarkupText.escape(text))</text>"
            }
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    /// Detection coverage: per bin, the share of sampled frames with a face (dark) or without (red).
    static func coverage(
        _ bins: [(start: Double, sampled: Int, withFace: Int)], binSeconds: Double, start: Double, end: Double,
        height: Double = 18
    ) -> String {
        var svg =
            "<svg class=\"coverage\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"detection coverage\">"
        for bin in bins where bin.sampled > 0 {
            let x0 = x(bin.start, start, end), x1 = x(bin.start + binSeconds, start, end)
            let share = Double(bin.withFace) / Double(bin.sampled)
            let fill = share == 0 ? "#e53935" : share < 1 ? "#fbc02d" : "#43a047"
            svg +=
                "<rect x=\"\(f(x0))\" y=\"0\" width=\"\(f(max(0.5, x1 - x0)))\" height=\"\(f(height))\" fill=\"\(fill)\"/>"
        }
        return svg + "</svg>"
    }

    /// Tick labels under the time axis (about 10, on round seconds).
    static func axis(start: Double, end: Double, height: Double = 16) -> String {
        let span = max(end - start, 1e-6)
        let rough = span / 10
        // A round step: 1, 2 or 5 times a power of ten (about ten ticks, however long the input).
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        var svg =
            "<svg class=\"axis\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\">"
        var t = (start / step).rounded(.up) * step
        while t <= end + 1e-9 {
            let px = x(t, start, end)
            svg += "<text x=\"\(f(min(px, width - 30)))\" y=\"12\" font-size=\"11\" fill=\"#555\">\(clock(t))</text>"
            t += step
        }
        return svg + "</svg>"
    }

    /// `m:ss` or `h:mm:ss` (with tenths under 10 s spans).
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e12 else { return FixedPoint.format(seconds, decimals: 0) + " s" }
        let whole = Int(seconds.rounded(.down))
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
        let ss = s < 10 ? "0\(s)" : "\(s)"
        let mm = m < 10 && h > 0 ? "0\(m)" : "\(m)"
        let fraction = seconds - Double(whole)
        return (h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)") + (fraction >= 0.05 ? "." + String(Int(fraction * 10)) : "")
    }
}

extension Emotion {
    /// The emotion's colour in the report's charts, for other views that should match them (the live page).
    public var chartColour: String { ReportCharts.colour(self) }
}
