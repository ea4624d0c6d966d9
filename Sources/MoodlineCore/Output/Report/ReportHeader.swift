import Foundation
import MoodlineMedia

/// The top of a report: the input's facts, the counts and the run's problems. Kept apart from the sink so that
/// `moodline merge` can rebuild a photo set's page from its shards' `run.json` files exactly as one run writes it.
struct ReportHeader {
    /// One problem as the report lists it.
    struct Problem {
        var file: String
        var frame: Int?
        var message: String
    }

    var inputPath: String
    var media: MediaInfo?
    var pipelineName: String
    var framesSampled: Int
    var faces: Int
    /// Tracks found, for a video; nil for a photo set (no tracks line).
    var tracks: Int?
    /// `track 3 (longest)`, when a main subject was chosen.
    var subject: String?
    var problems: [Problem]

    /// The page's title.
    var title: String { "Moodline report: \((inputPath as NSString).lastPathComponent)" }

    init(
        inputPath: String, media: MediaInfo? = nil, pipelineName: String, framesSampled: Int, faces: Int,
        tracks: Int?, subject: String? = nil, problems: [Problem]
    ) {
        self.inputPath = inputPath
        self.media = media
        self.pipelineName = pipelineName
        self.framesSampled = framesSampled
        self.faces = faces
        self.tracks = tracks
        self.subject = subject
        self.problems = problems
    }

    /// The header of a run's report, from its finish event.
    init(_ event: FinishEvent) {
        let o = event.outcome
        self.init(
            inputPath: event.input.shown, media: o.media, pipelineName: event.definition.name,
            framesSampled: o.framesSampled,
            faces: o.faces, tracks: event.input.traits.isTimed ? event.tracks.count : nil,
            subject: event.subject.map { "person \($0) (\(event.definition.tracking.subject.rawValue))" },
            problems: o.problems.map { Problem(file: $0.file, frame: $0.frame, message: $0.message) })
    }

    var html: String {
        let e = MarkupText.escape
        var html = "<h1>\(e((inputPath as NSString).lastPathComponent))</h1>\n<table class=\"facts\">"
        html += "<tr><th>input</th><td>\(e(inputPath))</td></tr>"
        if let media {
            var facts = "\(media.width)×\(media.height), \(e(media.codec))"
            if let duration = media.durationSeconds { facts += ", \(ReportCharts.clock(duration))" }
            if let rate = media.averageFrameRate { facts += ", \(FixedPoint.format(rate, decimals: 2)) fps" }
            if media.rotationDegrees != 0 { facts += ", rotated \(media.rotationDegrees)°" }
            html += "<tr><th>media</th><td>\(facts)</td></tr>"
        }
        html += "<tr><th>pipeline</th><td>\(e(pipelineName))</td></tr>"
        html +=
            "<tr><th>analysed</th><td id=\"counts\">\(framesSampled) \(tracks != nil ? "frames sampled" : "photos"), \(faces) faces"
            + (tracks.map { ", \($0) tracks" } ?? "") + "</td></tr>"
        if let subject { html += "<tr><th>subject</th><td>\(subject)</td></tr>" }
        html +=
            "<tr><th>status</th><td id=\"status\">\(problems.isEmpty ? "ok" : "\(problems.count) problem(s)")</td></tr></table>\n"
        if !problems.isEmpty {
            html += "<h2>Problems</h2><ul class=\"problems\">"
            for problem in problems.prefix(ReportPage.maximumFailures) {
                html +=
                    "<li>\(e(InputProblem.describe(file: problem.file, frame: problem.frame, message: problem.message)))</li>"
            }
            html += "</ul>\n"
        }
        return html
    }
}
