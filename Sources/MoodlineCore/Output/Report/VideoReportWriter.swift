import Foundation
import MoodlineMedia

/// Writes a video's `report.html`: one self-contained page (inline CSS and SVG, thumbnails as `data:` URLs, no
/// scripts and no network references), to check the readings by eye and to mail: the input's facts, the run's
/// problems, the detection coverage over time, then per person (the subject first) their face as the classifier saw
/// it, a stacked area of the smoothed probabilities of all their tracks and the episodes as bands on one time axis,
/// the share of time per emotion and the frames seen (and why readings are fewer than faces), with links to the data
/// files.
final class VideoReportWriter: FrameSink {
    private let folder: String
    var fileName: String { "report.html" }
    var linksOtherOutputs: Bool { true }

    // Per whole second of source time, frames sampled and frames with a face.
    private var coverage: [Int: (sampled: Int, withFace: Int)] = [:]
    // Per track, the sharpest certain view seen so far (by detection score), as the classifier's crop.
    private var thumbnails: [Int: (score: Double, crop: PixelBuffer)] = [:]
    // Per track, the face where each emotion read strongest, for each stretch of time: the episodes' faces.
    private var peaks = PeakViews()
    // Per track, the faces seen and how many of them were uncertain.
    private var facesSeen: [Int: (all: Int, uncertain: Int)] = [:]
    /// The data files this input gets beside the report, to link.
    private let dataFiles: [String]
    /// Whether uncertain readings count in the tracks (`quality.include_uncertain`).
    private let includesUncertain: Bool
    /// The segments (`--segments`) to mark on the time axes; empty without (or when their file cannot be read:
    /// `segments.csv`'s sink reports that).
    private let segments: [LabelledRange]

    init(context: SinkContext) {
        folder = context.folder
        let traits = context.input.traits
        var files: [String] = []
        for format in context.definition.outputs.formats where format.rawValue != "report" {
            for entry in OutputSinks.entries(format.rawValue, for: traits) where !files.contains(entry.file) {
                files.append(entry.file)
            }
        }
        dataFiles = files + [OutputFolder.manifestName]
        includesUncertain = context.definition.quality.includeUncertain
        let outputs = context.definition.outputs
        segments =
            outputs.segmentsFile(for: context.input.path).flatMap {
                try? RangeFile.read($0, tiers: outputs.segmentTiers)
            }
            ?? []
    }

    /// The segments' strip for a chart from `start` to `end`, or nothing without segments.
    private func segmentStrip(start: Double, end: Double) -> String {
        segments.isEmpty ? "" : ReportCharts.segmentBands(segments, start: start, end: end)
    }

    func consume(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        let second = Int(max(0, min(frame.stamp.timeSeconds, 1e9)))
        var bin = coverage[second] ?? (0, 0)
        bin.sampled += 1
        if !frame.faces.isEmpty { bin.withFace += 1 }
        coverage[second] = bin
        for (face, id) in zip(frame.faces, tracked.trackIDs) {
            guard let id else { continue }
            var seen = facesSeen[id] ?? (0, 0)
            seen.all += 1
            if face.quality.isUncertain { seen.uncertain += 1 }
            facesSeen[id] = seen
            guard let crop = face.crop else { continue }
            if includesUncertain || !face.quality.isUncertain {
                peaks.add(track: id, seconds: frame.stamp.timeSeconds, scores: face.scores, crop: crop)
            }
            let score = face.detection.score - (face.quality.isUncertain ? 1 : 0)
            if score > thumbnails[id]?.score ?? -.infinity { thumbnails[id] = (score, crop) }
        }
    }

    func discard() {}

    func finish(_ event: FinishEvent) throws {
        let header = ReportHeader(event)
        try WholeFile.write(
            text: ReportPage.page(title: header.title, body: header.html + body(event)),
            to: (folder as NSString).appendingPathComponent(fileName))
    }

    /// Episodes shown with their face, per track; the rest are in episodes.csv.
    static let maximumEpisodeFaces = 40

    /// Each episode with the face where its emotion read strongest, to check "sad 0:01-0:07" without scrubbing.
    private func episodeFaces(_ episodes: [Episode]) -> String {
        guard !episodes.isEmpty else { return "" }
        var html = "<div class=\"episode-faces\">"
        for episode in episodes.prefix(Self.maximumEpisodeFaces) {
            let span =
                "\(episode.emotion.rawValue) \(ReportCharts.clock(episode.onsetSeconds))–\(ReportCharts.clock(episode.offsetSeconds))"
            html +=
                "<figure class=\"episode-face\" style=\"border-color:\(ReportCharts.colour(episode.emotion))\">"
            if let view = peaks.view(
                track: episode.trackID, emotion: episode.emotion, from: episode.onsetSeconds, to: episode.offsetSeconds)
            {
                html +=
                    "<img class=\"face\" alt=\"\(span)\" width=\"64\" height=\"64\" src=\"\(Thumbnail.dataURL(view.crop))\">"
                html +=
                    "<figcaption>\(span)<br><small>peak \(FixedPoint.format(episode.peakProbability, decimals: 2)); face at \(ReportCharts.clock(view.seconds))</small></figcaption>"
            } else {
                html += "<figcaption>\(span)</figcaption>"
            }
            html += "</figure>"
        }
        if episodes.count > Self.maximumEpisodeFaces {
            html += "<p>and \(episodes.count - Self.maximumEpisodeFaces) more episode(s) in episodes.csv</p>"
        }
        return html + "</div>"
    }

    private func body(_ event: FinishEvent) -> String {
        // The axis spans what was analysed (a container's stated duration can be wrong, or crafted).
        let end = max(coverage.keys.max().map { Double($0 + 1) } ?? 0, event.tracks.map(\.lastSeconds).max() ?? 0)
        let start = 0.0
        // Links to the data beside the report: the files written before it, and run.json, always written last.
        let present = dataFiles.filter { event.outcome.outputs.contains($0) || $0 == OutputFolder.manifestName }
        var html =
            "<p class=\"data\">Data: "
            + present.map { "<a href=\"\(MarkupText.escape(MarkupText.urlPath($0)))\">\(MarkupText.escape($0))</a>" }
            .joined(separator: " · ") + "</p>\n"
        html += ReportPage.legend()
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
        let sortedBins = bins.keys.sorted().map {
            (start: Double($0), sampled: bins[$0]!.sampled, withFace: bins[$0]!.withFace)
        }
        let noFace = coverage.values.reduce(0) { $0 + $1.sampled - $1.withFace }
        html +=
            "<h2>Detection coverage</h2><p>Green: a face in every sampled frame; yellow: in some; red: in none "
            + "(\(noFace) sampled frame(s) without a face).</p>"
        html +=
            "<div class=\"chart\">"
            + ReportCharts.coverage(sortedBins, binSeconds: Double(binSeconds), start: start, end: end)
            + segmentStrip(start: start, end: end) + ReportCharts.axis(start: start, end: end) + "</div>\n"
        html += "<h2>Persons</h2>\n"
        let leftOut = event.outcome.tracksLeftOut
        if event.tracks.isEmpty && leftOut.isEmpty {
            html += "<p class=\"warning\" id=\"no-tracks\">No face was found in this video.</p>\n"
        }
        if !leftOut.isEmpty {
            // frames.csv names these tracks; say here why they have no section.
            html +=
                "<p class=\"warning\" id=\"tracks-left-out\">Left out: track \(leftOut.map(String.init).joined(separator: ", ")) "
                + "(in frames.csv), every reading uncertain (small, blurred, turned, tilted or low confidence).</p>\n"
        }
        let tracksByID = Dictionary(uniqueKeysWithValues: event.tracks.map { ($0.id, $0) })
        let persons = event.persons.persons
        for person in persons.filter({ $0.id == event.subject }) + persons.filter({ $0.id != event.subject }) {
            html += personSection(person, tracks: person.tracks.compactMap { tracksByID[$0] }, event, start, end)
        }
        return html
    }

    /// One person's panel: their best face, their summary over all their tracks, and every track's smoothed
    /// probabilities and episodes on one time axis.
    private func personSection(
        _ person: PersonSummary, tracks: [TrackSummary], _ event: FinishEvent, _ start: Double, _ end: Double
    ) -> String {
        let isSubject = person.id == event.subject
        let ids = tracks.map(\.id)
        var html =
            "<section class=\"track person\" data-person=\"\(person.id)\" data-tracks=\"\(ids.map(String.init).joined(separator: " "))\" data-subject=\"\(isSubject)\">"
        html +=
            "<h3>Person \(person.id)\(isSubject ? " <span class=\"subject\">main subject</span>" : "")</h3><div class=\"row\">"
        if let thumbnail = ids.compactMap({ thumbnails[$0] }).max(by: { $0.score < $1.score }) {
            html +=
                "<img class=\"face\" alt=\"person \(person.id)\" width=\"96\" height=\"96\" src=\"\(Thumbnail.dataURL(thumbnail.crop))\">"
        }
        let sampled = event.outcome.analysedFrames
        let share = sampled > 0 ? ", \(Int((person.share(ofFrames: sampled) * 100).rounded()))% of the video" : ""
        let frames = tracks.reduce(0) { $0 + $1.framesSeen }
        html +=
            "<table class=\"stats\"><tr><th>seen</th><td>\(ReportCharts.clock(person.firstSeconds))–\(ReportCharts.clock(person.lastSeconds)), "
            + "\(frames) frames, \(FixedPoint.format(person.screenSeconds, decimals: 1)) s on screen\(share)</td></tr>"
            + "<tr><th>tracks</th><td>\(ids.map(String.init).joined(separator: ", "))</td></tr>"
            + "<tr><th>dominant</th><td>\(person.dominantEmotion.rawValue)</td></tr><tr><th>time share</th><td>"
        html += zip(Emotion.allCases, person.timeShare).filter { $0.1 > 0.005 }.sorted { $0.1 > $1.1 }.map {
            "<span class=\"share\" style=\"border-color:\(ReportCharts.colour($0.0))\">\($0.0.rawValue) \(Int(($0.1 * 100).rounded()))%</span>"
        }.joined(separator: " ")
        html += "</td></tr>"
        let seen = ids.compactMap { facesSeen[$0] }.reduce((all: 0, uncertain: 0)) {
            ($0.all + $1.all, $0.uncertain + $1.uncertain)
        }
        if !includesUncertain, seen.uncertain > 0 {
            // Why the chart has fewer points than the person has faces.
            html +=
                "<tr><th>readings</th><td class=\"left-out\">\(frames) of \(seen.all) faces: \(seen.uncertain) uncertain "
                + "reading(s) (small, blurred, turned, tilted or low confidence) are left out of the chart and summary"
                + " (frames.csv has them all)</td></tr>"
        }
        html += "</table></div>"
        let episodes = event.episodes.filter { ids.contains($0.trackID) }.sorted {
            ($0.onsetSeconds, $0.trackID) < ($1.onsetSeconds, $1.trackID)
        }
        html +=
            "<div class=\"chart\">" + ReportCharts.stackedArea(tracks.map(\.timeline), start: start, end: end)
            + ReportCharts.episodeBands(episodes, start: start, end: end) + segmentStrip(start: start, end: end)
            + ReportCharts.axis(start: start, end: end) + "</div>"
        return html + episodeFaces(episodes) + "</section>\n"
    }
}
