import Foundation

/// Writes `episodes.eaf`, an ELAN annotation document (EAF 3.0): one tier per track (`track 1`, the subject's
/// `track 1 (subject)`), with an annotation per emotion episode, linked to the input video by absolute and relative
/// URL. Open it in ELAN, or import it into BORIS or other tools that read EAF, to code on top of Moodline's episodes.
///
/// The document's date is the input file's modification time, so rerunning gives the same file.
final class ELANWriter: SummarySink {
    let folder: String
    var fileName: String { "episodes.eaf" }

    init(context: SinkContext) {
        folder = context.folder
    }

    func contents(for event: FinishEvent) throws -> String {
        let media = PlannedInput.absolutePath(event.input.path)
        var slots: [Int] = []
        func slot(_ seconds: Double) -> String {
            slots.append(max(0, Int((seconds * 1000).rounded())))
            return "ts\(slots.count)"
        }
        var tiers = ""
        var annotationCount = 0
        for track in event.tracksSubjectFirst {
            let name = track.id == event.subject ? "track \(track.id) (subject)" : "track \(track.id)"
            tiers += "    <TIER LINGUISTIC_TYPE_REF=\"emotion\" TIER_ID=\"\(name)\" ANNOTATOR=\"moodline\">\n"
            for episode in event.episodes where episode.trackID == track.id {
                annotationCount += 1
                let (start, end) = (slot(episode.onsetSeconds), slot(episode.offsetSeconds))
                tiers +=
                    "        <ANNOTATION>\n"
                    + "            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a\(annotationCount)\" TIME_SLOT_REF1=\"\(start)\" TIME_SLOT_REF2=\"\(end)\">\n"
                    + "                <ANNOTATION_VALUE>\(episode.emotion.rawValue)</ANNOTATION_VALUE>\n"
                    + "            </ALIGNABLE_ANNOTATION>\n"
                    + "        </ANNOTATION>\n"
            }
            tiers += "    </TIER>\n"
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<ANNOTATION_DOCUMENT AUTHOR=\"moodline \(MoodlineVersion.string)\" DATE=\"\(Self.date(of: media))\" FORMAT=\"3.0\" VERSION=\"3.0\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">\n"
        xml += "    <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">\n"
        xml +=
            "        <MEDIA_DESCRIPTOR MEDIA_URL=\"\(MarkupText.escape(Self.fileURL(media)))\" MIME_TYPE=\"\(Self.mimeType(media))\""
            + " RELATIVE_MEDIA_URL=\"\(MarkupText.escape(Self.relativeURL(from: PlannedInput.absolutePath(folder), to: media)))\"/>\n"
        xml += "        <PROPERTY NAME=\"lastUsedAnnotationId\">\(annotationCount)</PROPERTY>\n"
        xml += "    </HEADER>\n    <TIME_ORDER>\n"
        for (n, ms) in slots.enumerated() {
            xml += "        <TIME_SLOT TIME_SLOT_ID=\"ts\(n + 1)\" TIME_VALUE=\"\(ms)\"/>\n"
        }
        xml += "    </TIME_ORDER>\n" + tiers
        xml +=
            "    <LINGUISTIC_TYPE GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"emotion\" TIME_ALIGNABLE=\"true\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"Time subdivision of parent annotation's time interval, no time gaps allowed within this interval\" STEREOTYPE=\"Time_Subdivision\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered\" STEREOTYPE=\"Symbolic_Subdivision\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"1-1 association with a parent annotation\" STEREOTYPE=\"Symbolic_Association\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"Time alignable annotations within the parent annotation's time interval, gaps are allowed\" STEREOTYPE=\"Included_In\"/>\n"
        xml += "</ANNOTATION_DOCUMENT>\n"
        return xml
    }

    /// `file:///…`, percent-encoded.
    static func fileURL(_ absolute: String) -> String { "file://" + MarkupText.urlPath(absolute) }

    /// The media's path relative to the folder the document is in, as a URL (`../../clip.mp4`).
    static func relativeURL(from folder: String, to media: String) -> String {
        let from = folder.split(separator: "/"), to = media.split(separator: "/")
        var common = 0
        while common < min(from.count, to.count - 1) && from[common] == to[common] { common += 1 }
        let ups = [String](repeating: "..", count: from.count - common)
        return MarkupText.urlPath((ups + to[common...].map(String.init)).joined(separator: "/"))
    }

    static func mimeType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "mp4", "m4v": "video/mp4"
        case "mov": "video/quicktime"
        case "mkv": "video/x-matroska"
        case "webm": "video/webm"
        case "avi": "video/x-msvideo"
        case "mpg", "mpeg", "ts": "video/mpeg"
        default: "unknown"
        }
    }

    /// The file's modification time as an XML date-time in UTC (the epoch when it cannot be read).
    static func date(of path: String) -> String {
        var info = stat()
        let seconds = stat(path, &info) == 0 ? info.st_mtim.tv_sec : 0
        var time = tm()
        var t = seconds
        gmtime_r(&t, &time)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(time.tm_year) + 1900, Int(time.tm_mon) + 1, Int(time.tm_mday),
            Int(time.tm_hour), Int(time.tm_min), Int(time.tm_sec))
    }
}
