import Foundation

/// `moodline agree`'s results as files: `agreement.json` for scripts and `agreement.html` for people.
public enum AgreementReport {
    /// The comparison as JSON (keys sorted, numbers to 4 decimals).
    public static func json(_ comparison: CodingComparison, results: String, includeUncertain: Bool) throws -> String {
        let object: [String: Any] = [
            "results": results,
            "person": comparison.person,
            "include_uncertain": includeUncertain,
            "frames": comparison.frames,
            "frames_read": comparison.framesRead,
            "coders": comparison.coders.map {
                [
                    "name": $0.name, "frames_coded": $0.framesCoded,
                    "labels_outside_the_seven": $0.labelsOutsideTheSeven,
                ] as [String: Any]
            },
            "tool_against_coders": zip(comparison.coders, comparison.toolAgainstCoders).map { coder, agreement in
                ["coder": coder.name, "agreement": json(agreement)] as [String: Any]
            },
            "coders_against_each_other": comparison.codersAgainstEachOther.map(json) ?? NSNull(),
            "tool_version": MoodlineVersion.string,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func rounded(_ value: Double?) -> Any {
        value.map { ($0 * 10_000).rounded() / 10_000 } ?? NSNull()
    }

    private static func interval(_ range: ClosedRange<Double>?) -> Any {
        range.map { [rounded($0.lowerBound), rounded($0.upperBound)] } ?? NSNull()
    }

    private static func json(_ a: Agreement) -> [String: Any] {
        [
            "compared": a.compared, "observed": rounded(a.observed), "expected": rounded(a.expected),
            "kappa": rounded(a.kappa), "kappa_ci95_independent": interval(a.kappaIntervalIndependent),
            "kappa_ci95_blocks": interval(a.kappaIntervalBlocks),
            "labels": Emotion.allCases.map(\.rawValue),
            "confusion_reference_by_rated": a.confusion,
            "classes": a.classes.map {
                [
                    "emotion": $0.emotion.rawValue, "support": $0.support, "precision": rounded($0.precision),
                    "recall": rounded($0.recall), "f1": rounded($0.f1),
                ] as [String: Any]
            },
            "over_time": a.overTime.map {
                [
                    "start_s": rounded($0.start), "end_s": rounded($0.end), "compared": $0.compared,
                    "agreement": rounded($0.agreement),
                ] as [String: Any]
            },
        ]
    }

    /// The comparison as a page: the figures, each confusion matrix and class table, and agreement over time.
    public static func page(_ comparison: CodingComparison, results: String) -> String {
        let e = MarkupText.escape
        var body = "<h1>Agreement with human coding</h1>\n"
        body +=
            "<p>\(e(results)): person \(comparison.person), \(comparison.frames) sampled frames, \(comparison.framesRead) with a reading.</p>\n"
        for coder in comparison.coders {
            body += "<p>Coder <b>\(e(coder.name))</b>: \(coder.framesCoded) frames coded"
            if !coder.labelsOutsideTheSeven.isEmpty {
                let labels = coder.labelsOutsideTheSeven.sorted { $0.key < $1.key }.map { "\(e($0.key)) (\($0.value))" }
                body +=
                    "; labels naming none of the seven, left out: \(labels.joined(separator: ", ")) (map them with --map)"
            }
            body += ".</p>\n"
        }
        for (coder, agreement) in zip(comparison.coders, comparison.toolAgainstCoders) {
            body += section(title: "Moodline against \(coder.name)", agreement, rated: "moodline")
        }
        if let humans = comparison.codersAgainstEachOther, comparison.coders.count == 2 {
            body += section(
                title: "\(comparison.coders[0].name) against \(comparison.coders[1].name) (the human ceiling)", humans,
                rated: comparison.coders[1].name)
        }
        body +=
            "<p><small>Kappa is Cohen's. The first interval takes frames as independent (Cohen 1960), which neighbouring video frames are not; the second resamples 10-second blocks whole (2,000 seeded resamples), and is the one to quote for video.</small></p>\n"
        return ReportPage.page(title: "Agreement: \(results)", body: body)
    }

    private static func section(title: String, _ a: Agreement, rated: String) -> String {
        let e = MarkupText.escape
        let p: (Double?) -> String = { $0.map { FixedPoint.format($0, decimals: 3) } ?? "–" }
        let range: (ClosedRange<Double>?) -> String = { $0.map { "\(p($0.lowerBound)) to \(p($0.upperBound))" } ?? "–" }
        var html = "<h2>\(e(title))</h2>\n<table class=\"agreement\">\n"
        html += "<tr><th>frames compared</th><td>\(a.compared)</td></tr>\n"
        html += "<tr><th>agreement</th><td>\(p(a.observed)) (by chance \(p(a.expected)))</td></tr>\n"
        html += "<tr><th>Cohen's kappa</th><td>\(p(a.kappa))</td></tr>\n"
        html += "<tr><th>95% interval, 10 s blocks</th><td>\(range(a.kappaIntervalBlocks))</td></tr>\n"
        html += "<tr><th>95% interval, frames independent</th><td>\(range(a.kappaIntervalIndependent))</td></tr>\n"
        html +=
            "</table>\n<h3>Confusion (rows: reference; columns: \(e(rated)))</h3>\n<table class=\"confusion\">\n<tr><th></th>"
        html += Emotion.allCases.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr>\n"
        for emotion in Emotion.allCases {
            html += "<tr><th>\(emotion.rawValue)</th>"
            html += a.confusion[emotion.index].map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        html += "</table>\n<h3>Per class</h3>\n<table class=\"classes\">\n"
        html += "<tr><th>emotion</th><th>frames</th><th>precision</th><th>recall</th><th>F1</th></tr>\n"
        for c in a.classes {
            html +=
                "<tr><td>\(c.emotion.rawValue)</td><td>\(c.support)</td><td>\(p(c.precision))</td><td>\(p(c.recall))</td><td>\(p(c.f1))</td></tr>\n"
        }
        html += "</table>\n" + overTime(a.overTime)
        return html
    }

    /// Agreement per bin as bars placed by time (height: agreement; a gap where nothing was compared), from the
    /// first bin's start to the last one's end.
    private static func overTime(_ bins: [Agreement.Bin]) -> String {
        guard let first = bins.first, let last = bins.last else { return "" }
        let width = 720.0, height = 80.0
        let span = max(last.end - first.start, 1e-9)
        let x = { (t: Double) in (t - first.start) / span * width }
        var svg =
            "<h3>Agreement over time (\(FixedPoint.format(first.end - first.start, decimals: 0)) s bins)</h3>\n<svg class=\"over-time\" width=\"\(Int(width))\" height=\"\(Int(height) + 14)\" role=\"img\" aria-label=\"agreement over time\">"
        svg += "<line x1=\"0\" y1=\"\(height)\" x2=\"\(width)\" y2=\"\(height)\" stroke=\"#999\"/>"
        for bin in bins {
            let h = bin.agreement * height
            svg +=
                "<rect x=\(quoted(x(bin.start) + 1)) y=\(quoted(height - h)) width=\(quoted(max(x(bin.end) - x(bin.start) - 2, 1))) height=\(quoted(h)) fill=\"#4a7fb5\"><title>\(FixedPoint.format(bin.start, decimals: 0))-\(FixedPoint.format(bin.end, decimals: 0)) s: \(FixedPoint.format(bin.agreement * 100, decimals: 0))% of \(bin.compared) frames</title></rect>"
        }
        svg +=
            "<text x=\"0\" y=\"\(Int(height) + 12)\" font-size=\"10\">\(ReportCharts.clock(first.start))</text><text x=\"\(Int(width) - 40)\" y=\"\(Int(height) + 12)\" font-size=\"10\">\(ReportCharts.clock(last.end))</text></svg>\n"
        return svg
    }

    private static func quoted(_ value: Double) -> String { "\"\(FixedPoint.format(value, decimals: 1))\"" }
}
