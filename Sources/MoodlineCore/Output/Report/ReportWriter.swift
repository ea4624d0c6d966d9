import Foundation
import MoodlineMedia

/// Writes `report.html`: one self-contained page (inline CSS and SVG, thumbnails as `data:` URLs, no scripts and
/// no network references), to check the readings by eye and to mail.
///
/// - A video: the input's facts, the run's problems, the detection coverage over time, then per track (the
///   subject first) the face as the classifier saw it, a stacked area of the smoothed probabilities, the episodes
///   as bands on the same time axis, the share of time per emotion and the frames seen.
/// - A photo set: a grid of the faces with their labels and confidences (the first `maximumFaces`), and the files
///   that failed. Each photo's part of the page is written as it comes to a checkpointed file of fragments, so a
///   resumed photo set's report is the same as an uninterrupted one's.
final class ReportWriter: CheckpointedSink {
    /// Faces shown in a photo set's grid; the rest are in `frames.csv` and `photos.csv`.
    static let maximumFaces = 600
    /// Failed files listed by name; the rest are counted.
    static let maximumFailures = 200
    /// Where a shard of a photo set keeps its report's fragments for `moodline merge` (hidden: not a result).
    static let fragmentsFileName = ".report-fragments"

    private let folder: String
    private let isVideo: Bool
    var fileName: String { "report.html" }

    // A video's coverage: per whole second of source time, frames sampled and frames with a face.
    private var coverage: [Int: (sampled: Int, withFace: Int)] = [:]
    // Per track, the sharpest certain view seen so far (by detection score), as the classifier's crop.
    private var thumbnails: [Int: (score: Double, crop: PixelBuffer)] = [:]
    // A photo set's fragments, one line each: `F <figure…>` for a face shown, `F` for one past the cap, `X <li…>` or
    // `X` for a failed file, `N` for a photo without a face.
    private let fragments: AtomicOutputFile?
    private var facesShown = 0
    private var failuresShown = 0

    init(context: SinkContext) throws {
        folder = context.folder
        isVideo = context.input.isVideo
        if isVideo {
            fragments = nil
        } else {
            let file = try AtomicOutputFile(folder: context.folder, name: "report.html", resuming: context.resumingPath)
            fragments = file
            if file.isResumed, let earlier = FileManager.default.contents(atPath: file.partialPath) {
                for line in String(decoding: earlier, as: UTF8.self).split(separator: "\n") {
                    if line.hasPrefix("F <") { facesShown += 1 }
                    if line.hasPrefix("X <") { failuresShown += 1 }
                }
            }
        }
    }

    func consume(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        if isVideo {
            let second = Int(max(0, min(frame.stamp.timeSeconds, 1e9)))
            var bin = coverage[second] ?? (0, 0)
            bin.sampled += 1
            if !frame.faces.isEmpty { bin.withFace += 1 }
            coverage[second] = bin
            for (face, id) in zip(frame.faces, tracked.trackIDs) {
                guard let id, let crop = face.crop else { continue }
                let score = face.detection.score - (face.quality.isUncertain ? 1 : 0)
                if score > thumbnails[id]?.score ?? -.infinity { thumbnails[id] = (score, crop) }
            }
            return
        }
        guard let fragments else { return }
        let file = frame.stamp.file ?? ""
        guard frame.hasPicture else {
            var line = "X"
            if failuresShown < Self.maximumFailures {
                failuresShown += 1
                line += " <li>\(MarkupText.escape(file)): \(MarkupText.escape(frame.problems.map(\.message).joined(separator: "; ")))</li>"
            }
            try fragments.write(line.replacingOccurrences(of: "\n", with: " ") + "\n")
            return
        }
        if frame.faces.isEmpty { try fragments.write("N\n") }
        for face in frame.faces {
            var line = "F"
            if facesShown < Self.maximumFaces {
                facesShown += 1
                line += " " + Self.figure(file: file, face: face)
            }
            try fragments.write(line.replacingOccurrences(of: "\n", with: " ") + "\n")
        }
    }

    func discard() { fragments?.discard() }

    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile {
        guard let fragments else { throw OutputError(path: folder, message: "a video's report has no checkpoint") }
        return try fragments.flushForCheckpoint()
    }

    func setAside(as path: String) throws { try fragments?.setAside(as: path) }

    func finish(_ event: FinishEvent) throws {
        var body = ""
        if let fragments {
            try fragments.flush()
            let lines = String(decoding: FileManager.default.contents(atPath: fragments.partialPath) ?? Data(), as: UTF8.self).split(separator: "\n")
            body = Self.photoBody(lines)
        } else {
            body = videoBody(event)
        }
        let header = ReportHeader(event)
        try WholeFile.write(text: Self.page(title: header.title, body: header.html + body), to: (folder as NSString).appendingPathComponent(fileName))
        if let fragments, event.input.shardOf != nil {
            // A shard keeps its fragments, so that merge can rebuild the whole set's page exactly.
            try fragments.setAside(as: (folder as NSString).appendingPathComponent(Self.fragmentsFileName))
        } else {
            fragments?.discard()
        }
    }

    // MARK: - Sections

    private func videoBody(_ event: FinishEvent) -> String {
        // The axis spans what was analysed (a container's stated duration can be wrong, or crafted).
        let end = max(coverage.keys.max().map { Double($0 + 1) } ?? 0, event.tracks.map(\.lastSeconds).max() ?? 0)
        let start = 0.0
        var html = Self.legend()
        // Coverage in at most 450 bins of whole seconds.
        let binSeconds = max(1, Int((end / 450).rounded(.up)))
        var bins: [Int: (sampled: Int, withFace: Int)] = [:]
        for (second, bin) in coverage {
            let key = second / binSeconds * binSeconds
            var merged = bins[key] ?? (0, 0)
            merged.sampled += bin.sampled
            merged.withFace += bin.withFace
            bins[key] = merged
        }
        let sortedBins = bins.keys.sorted().map { (start: Double($0), sampled: bins[$0]!.sampled, withFace: bins[$0]!.withFace) }
        let noFace = coverage.values.reduce(0) { $0 + $1.sampled - $1.withFace }
        html += "<h2>Detection coverage</h2><p>Green: a face in every sampled frame; yellow: in some; red: in none "
            + "(\(noFace) sampled frame(s) without a face).</p>"
        html += "<div class=\"chart\">" + ReportCharts.coverage(sortedBins, binSeconds: Double(binSeconds), start: start, end: end)
            + ReportCharts.axis(start: start, end: end) + "</div>\n"
        html += "<h2>Tracks</h2>\n"
        if event.tracks.isEmpty { html += "<p class=\"warning\" id=\"no-tracks\">No face was found in this video.</p>\n" }
        for track in event.tracksSubjectFirst {
            let isSubject = track.id == event.subject
            html += "<section class=\"track\" data-track=\"\(track.id)\" data-subject=\"\(isSubject)\">"
            html += "<h3>Track \(track.id)\(isSubject ? " <span class=\"subject\">main subject</span>" : "")</h3><div class=\"row\">"
            if let thumbnail = thumbnails[track.id] {
                html += "<img class=\"face\" alt=\"track \(track.id)\" width=\"96\" height=\"96\" src=\"\(Thumbnail.dataURL(thumbnail.crop))\">"
            }
            html += "<table class=\"stats\"><tr><th>seen</th><td>\(ReportCharts.clock(track.firstSeconds))–\(ReportCharts.clock(track.lastSeconds)), "
                + "\(track.framesSeen) frames, \(FixedPoint.format(track.screenSeconds, decimals: 1)) s on screen</td></tr>"
                + "<tr><th>dominant</th><td>\(track.dominantEmotion.rawValue)</td></tr><tr><th>time share</th><td>"
            html += zip(Emotion.allCases, track.timeShare).filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.map {
                "<span class=\"share\" style=\"border-color:\(ReportCharts.colour($0.0))\">\($0.0.rawValue) \(Int(($0.1 * 100).rounded()))%</span>"
            }.joined(separator: " ")
            html += "</td></tr></table></div>"
            html += "<div class=\"chart\">" + ReportCharts.stackedArea(track.timeline, start: start, end: end)
                + ReportCharts.episodeBands(event.episodes.filter { $0.trackID == track.id }, start: start, end: end)
                + ReportCharts.axis(start: start, end: end) + "</div></section>\n"
        }
        return html
    }

    /// A photo set's grid and failures, from its fragments (one line per face, failed file or photo without a face).
    static func photoBody(_ lines: [Substring]) -> String {
        let faces = lines.filter { $0.hasPrefix("F") }, failures = lines.filter { $0.hasPrefix("X") }
        let shown = faces.filter { $0.hasPrefix("F <") }
        var html = Self.legend()
        html += "<h2>Faces</h2><p>\(faces.count) face(s); \(lines.filter { $0 == "N" }.count) photo(s) without a face"
            + (faces.count > shown.count ? "; the first \(shown.count) are shown (all are in frames.csv and photos.csv)" : "") + ".</p>"
        if faces.isEmpty { html += "<p class=\"warning\" id=\"no-faces\">No face was found in these photos.</p>" }
        html += "<div class=\"grid\">" + shown.map { $0.dropFirst(2) }.joined() + "</div>\n"
        if !failures.isEmpty {
            html += "<h2>Files that failed (\(failures.count))</h2><ul class=\"failures\">"
                + failures.filter { $0.hasPrefix("X <") }.map { $0.dropFirst(2) }.joined() + "</ul>\n"
        }
        return html
    }

    /// One face of a photo set's grid.
    private static func figure(file: String, face: AnalysedFace) -> String {
        let label = face.scores.label
        var html = "<figure class=\"photo-face\" style=\"border-color:\(ReportCharts.colour(label))\">"
        if let crop = face.crop { html += "<img alt=\"\(label.rawValue)\" width=\"96\" height=\"96\" src=\"\(Thumbnail.dataURL(crop))\">" }
        html += "<figcaption>\(label.rawValue) \(FixedPoint.format(face.scores.confidence, decimals: 2))"
            + (face.quality.isUncertain ? " <span class=\"uncertain\">uncertain: \(MarkupText.escape(face.quality.reasonText))</span>" : "")
            + "<br><small>\(MarkupText.escape((file as NSString).lastPathComponent))</small></figcaption></figure>"
        return html
    }

    static func legend() -> String {
        "<p class=\"legend\">" + Emotion.allCases.map {
            "<span><i style=\"background:\(ReportCharts.colour($0))\"></i>\($0.rawValue)</span>"
        }.joined(separator: " ") + "</p>\n"
    }

    /// A whole page with the report's style; `body` is trusted markup.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="moodline \(MoodlineVersion.string)">
        <title>\(MarkupText.escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:960px}
        h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:24px 0 6px}h3{font-size:15px;margin:0 0 6px}
        table{border-collapse:collapse}th{text-align:left;color:#666;font-weight:normal;padding:2px 12px 2px 0;vertical-align:top}
        td{padding:2px 0}.track{border-top:1px solid #ddd;padding:12px 0}.row{display:flex;gap:16px;align-items:flex-start;margin-bottom:8px}
        img.face{image-rendering:pixelated;border:1px solid #ccc}.subject{background:#222;color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}
        .share{border-left:8px solid;padding:0 6px 0 4px;margin-right:4px;white-space:nowrap}.chart svg{display:block}
        .legend span{margin-right:10px;white-space:nowrap}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
        .grid{display:flex;flex-wrap:wrap;gap:8px}.photo-face{margin:0;border-left:6px solid;padding:4px;width:110px;font-size:12px}
        .photo-face img{image-rendering:pixelated;display:block}.uncertain{color:#b00}.warning{color:#b00;font-weight:bold}
        .problems li,.failures li{font-family:monospace;font-size:12px}
        </style></head>
        <body>
        \(body)
        <p class="footer"><small>Written by moodline \(MoodlineVersion.string). Probabilities are smoothed over time; uncertain readings are left out of tracks unless asked for.</small></p>
        </body></html>

        """
    }
}
