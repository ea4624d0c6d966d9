import Foundation
import MoodlineMedia

/// Writes a photo set's `report.html` (self-contained, like a video's): a grid of the faces with their labels and
/// confidences (the first `maximumFaces`), and the files that failed. Each photo's part of the page is written as
/// it comes to a checkpointed file of fragments, so a resumed photo set's report is the same as an uninterrupted
/// one's, and a shard keeps its fragments for `moodline merge`.
final class PhotoReportWriter: CheckpointedSink {
    /// Faces shown in the grid; the rest are in `frames.csv` and `photos.csv`.
    static let maximumFaces = 600
    /// Where a shard of a photo set keeps its report's fragments for `moodline merge` (hidden: not a result).
    static let fragmentsFileName = ".report-fragments"

    private let folder: String
    var fileName: String { "report.html" }

    // The fragments, one line each: `F <figure…>` for a face shown, `F` for one past the cap, `X <li…>` or `X` for a
    // failed file, `N` for a photo without a face.
    private let fragments: AtomicOutputFile
    private var facesShown = 0
    private var failuresShown = 0

    init(context: SinkContext) throws {
        folder = context.folder
        fragments = try AtomicOutputFile(folder: context.folder, name: "report.html", resuming: context.resumingPath)
        if fragments.isResumed, let earlier = FileManager.default.contents(atPath: fragments.partialPath) {
            for line in String(decoding: earlier, as: UTF8.self).split(separator: "\n") {
                if line.hasPrefix("F <") { facesShown += 1 }
                if line.hasPrefix("X <") { failuresShown += 1 }
            }
        }
    }

    func consume(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        let file = frame.stamp.file ?? ""
        guard frame.hasPicture else {
            var line = "X"
            if failuresShown < ReportPage.maximumFailures {
                failuresShown += 1
                line +=
                    " <li>\(MarkupText.escape(file)): \(MarkupText.escape(frame.problems.map(\.message).joined(separator: "; ")))</li>"
            }
            try fragments.write(line.replacingOccurrences(of: "\n", with: " ") + "\n")
            return
        }
        if frame.faces.isEmpty { try fragments.write("N\n") }
        for face in frame.faces {
            var line = "F"
            if facesShown < Self.maximumFaces {
                facesShown += 1
                line += " " + Self.figure(file: file, face: face, damaged: !frame.problems.isEmpty)
            }
            try fragments.write(line.replacingOccurrences(of: "\n", with: " ") + "\n")
        }
    }

    func discard() { fragments.discard() }

    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try fragments.flushForCheckpoint() }

    func setAside(as path: String) throws { try fragments.setAside(as: path) }

    func finish(_ event: FinishEvent) throws {
        try fragments.flush()
        let lines = String(
            decoding: FileManager.default.contents(atPath: fragments.partialPath) ?? Data(), as: UTF8.self
        ).split(separator: "\n")
        let header = ReportHeader(event)
        try WholeFile.write(
            text: ReportPage.page(title: header.title, body: header.html + Self.photoBody(lines)),
            to: (folder as NSString).appendingPathComponent(fileName))
        if event.input.shardOf != nil {
            // A shard keeps its fragments, so that merge can rebuild the whole set's page exactly.
            try fragments.setAside(as: (folder as NSString).appendingPathComponent(Self.fragmentsFileName))
        } else {
            fragments.discard()
        }
    }

    /// A photo set's grid and failures, from its fragments (one line per face, failed file or photo without a face).
    static func photoBody(_ lines: [Substring]) -> String {
        let faces = lines.filter { $0.hasPrefix("F") }, failures = lines.filter { $0.hasPrefix("X") }
        let shown = faces.filter { $0.hasPrefix("F <") }
        var html = ReportPage.legend()
        html +=
            "<h2>Faces</h2><p>\(faces.count) face(s); \(lines.filter { $0 == "N" }.count) photo(s) without a face"
            + (faces.count > shown.count
                ? "; the first \(shown.count) are shown (all are in frames.csv and photos.csv)" : "") + ".</p>"
        if faces.isEmpty { html += "<p class=\"warning\" id=\"no-faces\">No face was found in these photos.</p>" }
        html += "<div class=\"grid\">" + shown.map { $0.dropFirst(2) }.joined() + "</div>\n"
        if !failures.isEmpty {
            html +=
                "<h2>Files that failed (\(failures.count))</h2><ul class=\"failures\">"
                + failures.filter { $0.hasPrefix("X <") }.map { $0.dropFirst(2) }.joined() + "</ul>\n"
        }
        return html
    }

    /// One face of a photo set's grid.
    /// `damaged`: the photo was decoded in part (its problem is listed at the top).
    private static func figure(file: String, face: AnalysedFace, damaged: Bool) -> String {
        let label = face.scores.label
        var html = "<figure class=\"photo-face\" style=\"border-color:\(ReportCharts.colour(label))\">"
        if let crop = face.crop {
            html += "<img alt=\"\(label.rawValue)\" width=\"96\" height=\"96\" src=\"\(Thumbnail.dataURL(crop))\">"
        }
        html +=
            "<figcaption>\(label.rawValue) \(FixedPoint.format(face.scores.confidence, decimals: 2))"
            + (face.quality.isUncertain
                ? " <span class=\"uncertain\">uncertain: \(MarkupText.escape(face.quality.reasonText))</span>" : "")
            + "<br><small>\(MarkupText.escape((file as NSString).lastPathComponent))</small>"
            + (damaged ? " <small class=\"uncertain\">damaged</small>" : "") + "</figcaption></figure>"
        return html
    }
}
