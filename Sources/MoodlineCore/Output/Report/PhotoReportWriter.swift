import Foundation
import MoodlineMedia

/// Writes a photo set's `report.html` (self-contained, like a video's): a contact sheet of the photos in colour with
/// every face's box drawn, labelled and coloured by its reading (uncertain ones dashed grey), which sorts and
/// filters by emotion in the browser ("best smiles": sort by happy); then the photos without a face by name, and the
/// files that failed. Each photo's part of the page is written as it comes to a checkpointed file of fragments, so a
/// resumed photo set's report is the same as an uninterrupted one's, and a shard keeps its fragments for
/// `moodline merge`.
///
/// Thumbnails are JPEG, `previewSide` pixels on their longer side (about 10 KB each); the first `maximumPhotos`
/// photos with faces are shown, so the page stays a few megabytes whatever the size of the set.
final class PhotoReportWriter: CheckpointedSink {
    /// Photos with faces shown on the sheet; the rest are in `frames.csv` and `photos.csv`.
    static let maximumPhotos = 400
    /// Photos without a face listed by name; the rest are counted.
    static let maximumNamesWithoutFace = 1000
    /// The longer side of a photo's thumbnail, in pixels.
    static let previewSide = 400
    /// Where a shard of a photo set keeps its report's fragments for `moodline merge` (hidden: not a result).
    static let fragmentsFileName = ".report-fragments"

    private let folder: String
    var fileName: String { "report.html" }

    // The fragments, one line each: `P<faces> <figure…>` for a photo shown, `P<faces>` for one past the cap,
    // `N <name>` or `N` for a photo without a face, `X <li…>` or `X` for a failed file.
    private let fragments: AtomicOutputFile
    private var photosShown = 0
    private var namesShown = 0
    private var failuresShown = 0

    init(context: SinkContext) throws {
        folder = context.folder
        fragments = try AtomicOutputFile(folder: context.folder, name: "report.html", resuming: context.resumingPath)
        if fragments.isResumed, let earlier = FileManager.default.contents(atPath: fragments.partialPath) {
            for line in String(decoding: earlier, as: UTF8.self).split(separator: "\n") {
                if line.hasPrefix("P"), line.contains(" ") { photosShown += 1 }
                if line.hasPrefix("N ") { namesShown += 1 }
                if line.hasPrefix("X <") { failuresShown += 1 }
            }
        }
    }

    func consume(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        let file = frame.stamp.file ?? ""
        var line: String
        if !frame.hasPicture {
            line = "X"
            if failuresShown < ReportPage.maximumFailures {
                failuresShown += 1
                line +=
                    " <li>\(MarkupText.escape(file)): \(MarkupText.escape(frame.problems.map(\.message).joined(separator: "; ")))</li>"
            }
        } else if frame.faces.isEmpty {
            line = "N"
            if namesShown < Self.maximumNamesWithoutFace {
                namesShown += 1
                line += " <li>\(MarkupText.escape(file))</li>"
            }
        } else {
            line = "P\(frame.faces.count)"
            if photosShown < Self.maximumPhotos {
                photosShown += 1
                line += " " + PhotoCard.html(frame)
            }
        }
        try fragments.write(line.replacingOccurrences(of: "\n", with: " ") + "\n")
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

    /// A photo set's sheet, photos without a face and failures, from its fragments (one line per photo or failed
    /// file).
    static func photoBody(_ lines: [Substring]) -> String {
        let photos = lines.filter { $0.hasPrefix("P") }
        let shown = photos.compactMap { line in line.firstIndex(of: " ").map { line[line.index(after: $0)...] } }
        let faces = photos.reduce(0) { $0 + (Int($1.dropFirst().prefix { $0 != " " }) ?? 0) }
        let withoutFace = lines.filter { $0.hasPrefix("N") }
        let failures = lines.filter { $0.hasPrefix("X") }
        var html = ReportPage.legend()
        html +=
            "<h2>Photos</h2><p>\(faces) face(s) in \(photos.count) photo(s); \(withoutFace.count) photo(s) without a face"
            + (photos.count > shown.count
                ? "; the first \(shown.count) photos with faces are shown (all are in frames.csv and photos.csv)" : "")
            + ". Boxes are coloured by the reading; dashed grey boxes are uncertain readings (hover for why). Click a"
            + " photo to see it larger.</p>"
        if photos.isEmpty { html += "<p class=\"warning\" id=\"no-faces\">No face was found in these photos.</p>" }
        if !shown.isEmpty {
            html += PhotoCard.controls + "<div class=\"sheet\" id=\"sheet\">" + shown.joined() + "</div>\n"
            html += PhotoCard.script
        }
        if !withoutFace.isEmpty {
            let named = withoutFace.filter { $0.hasPrefix("N <") }
            html +=
                "<h2>Photos without a face (\(withoutFace.count))</h2>"
                + (named.count < withoutFace.count ? "<p>The first \(named.count) by name.</p>" : "")
                + "<ul class=\"no-face\">" + named.map { $0.dropFirst(2) }.joined() + "</ul>\n"
        }
        if !failures.isEmpty {
            html +=
                "<h2>Files that failed (\(failures.count))</h2><ul class=\"failures\">"
                + failures.filter { $0.hasPrefix("X <") }.map { $0.dropFirst(2) }.joined() + "</ul>\n"
        }
        return html
    }
}
