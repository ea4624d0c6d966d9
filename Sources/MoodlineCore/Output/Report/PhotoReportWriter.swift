import Foundation
import MoodlineMedia

/// Writes a photo set's `report.html` (self-contained, like a video's): a contact sheet of the photos in colour with
/// every face's box drawn, labelled and coloured by its reading (uncertain ones dashed grey), which sorts and
/// filters by emotion in the browser ("best smiles": sort by happy); then the photos without a face by name, and the
/// files that failed. With persons, each face is labelled with its person and the sheet shows every photo of one
/// person on request. Each photo's part of the page is written as it comes to a checkpointed file of fragments, so a
/// resumed photo set's report is the same as an uninterrupted one's; a shard keeps its fragments for
/// `moodline merge`, and a set with persons for `moodline regroup`.
///
/// Thumbnails are JPEG, `previewSide` pixels on their longer side (about 10 KB each); a large set is split into
/// pages of `PhotoReportPages.photosPerPage` photos (`report.html`, `report-2.html`, ...), so no page grows past a
/// few megabytes whatever the size of the set.
final class PhotoReportWriter: CheckpointedSink {
    /// Photos without a face listed by name; the rest are counted.
    static let maximumNamesWithoutFace = 1000
    /// The longer side of a photo's thumbnail, in pixels.
    static let previewSide = 400
    /// Where a shard of a photo set keeps its report's fragments for `moodline merge` (hidden: not a result).
    static let fragmentsFileName = ".report-fragments"

    private let folder: String
    /// Whether the fragments stay (hidden) once the pages are written: a shard's for merge, and for regroup.
    private let keepsFragments: Bool
    var fileName: String { "report.html" }

    // The fragments, one line each: `P<faces> <keys> <figure…>` for a photo with faces (`keys`: each face's person
    // key, comma-separated, `-` for none), `N <name>` or `N` (past the cap) for a photo without a face, `X <li…>` or
    // `X` for a failed file.
    private let fragments: AtomicOutputFile
    /// Pages written by `finish` (the report may run to several).
    private var pages = 0
    private var namesShown = 0
    private var failuresShown = 0

    init(context: SinkContext) throws {
        folder = context.folder
        keepsFragments = context.input.shardOf != nil || context.keepsPhotoRows
        fragments = try AtomicOutputFile(folder: context.folder, name: "report.html", resuming: context.resumingPath)
        if fragments.isResumed {
            // Read as a stream: the fragments hold a card per photo, however large the set.
            for line in TextFileLines(path: fragments.partialPath) {
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
            let keys = tracked.personKeys.map { $0.map(String.init) ?? "-" }.joined(separator: ",")
            line = "P\(frame.faces.count) \(keys) " + PhotoCard.html(frame)
        }
        try fragments.write(line.replacingOccurrences(of: "\n", with: " ") + "\n")
    }

    var extraFileNames: [String] { PhotoReportPages.extraFileNames(pages: pages) }

    func discard() {
        fragments.discard()
        PhotoReportPages.removePages(after: 1, in: folder)
    }

    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try fragments.flushForCheckpoint() }

    func setAside(as path: String) throws { try fragments.setAside(as: path) }

    func finish(_ event: FinishEvent) throws {
        try fragments.flush()
        let header = ReportHeader(event)
        let path = fragments.partialPath
        let persons = event.persons
        pages = try PhotoReportPages(folder: folder, title: header.title, header: header.html).write(
            person: { persons.person(ofTrack: $0) }
        ) {
            TextFileLines(path: path)
        }
        if keepsFragments {
            // A shard keeps its fragments, so that merge can rebuild the whole set's pages exactly, and a set with
            // persons so that regroup can.
            try fragments.setAside(as: (folder as NSString).appendingPathComponent(Self.fragmentsFileName))
        } else {
            fragments.discard()
        }
    }
}
