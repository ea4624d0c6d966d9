import Foundation

/// Writes `episodes.eaf`, an ELAN annotation document (EAF 3.0): one tier per track (`track 1`, the subject's
/// `track 1 (subject)`), with an annotation per emotion episode, linked to the input video by absolute and relative
/// URL. Open it in ELAN, or import it into BORIS or other tools that read EAF, to code on top of Moodline's episodes.
///
/// - The episode tiers take their values from a controlled vocabulary of the seven emotions, so a coder who edits
///   them picks from the same list.
/// - Each track's episodes carry their peak probability on a dependent tier (`track 1 peak probability`).
/// - The document links the smoothed timeline as a time series (`episodes_tsconf.xml` and its CSV), so the curves
///   show under the video.
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
        // One tier per person, the subject first: a person's tracks never overlap in time, so their episodes do
        // not either.
        let persons = event.persons.persons
        for person in persons.filter({ $0.id == event.subject }) + persons.filter({ $0.id != event.subject }) {
            let name = person.id == event.subject ? "person \(person.id) (subject)" : "person \(person.id)"
            var probabilities = ""
            tiers += "    <TIER LINGUISTIC_TYPE_REF=\"emotion\" TIER_ID=\"\(name)\" ANNOTATOR=\"moodline\">\n"
            let episodes = event.episodes.filter { event.person(ofTrack: $0.trackID) == person.id }
                .sorted { ($0.onsetSeconds, $0.trackID) < ($1.onsetSeconds, $1.trackID) }
            for episode in episodes {
                annotationCount += 1
                let id = annotationCount
                let (start, end) = (slot(episode.onsetSeconds), slot(episode.offsetSeconds))
                tiers +=
                    "        <ANNOTATION>\n"
                    + "            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a\(id)\" TIME_SLOT_REF1=\"\(start)\" TIME_SLOT_REF2=\"\(end)\" CVE_REF=\"\(Self.vocabularyEntry(episode.emotion))\">\n"
                    + "                <ANNOTATION_VALUE>\(episode.emotion.rawValue)</ANNOTATION_VALUE>\n"
                    + "            </ALIGNABLE_ANNOTATION>\n"
                    + "        </ANNOTATION>\n"
                annotationCount += 1
                probabilities +=
                    "        <ANNOTATION>\n"
                    + "            <REF_ANNOTATION ANNOTATION_ID=\"a\(annotationCount)\" ANNOTATION_REF=\"a\(id)\">\n"
                    + "                <ANNOTATION_VALUE>\(FixedPoint.format(episode.peakProbability, decimals: 2))</ANNOTATION_VALUE>\n"
                    + "            </REF_ANNOTATION>\n"
                    + "        </ANNOTATION>\n"
            }
            tiers += "    </TIER>\n"
            tiers +=
                "    <TIER LINGUISTIC_TYPE_REF=\"probability\" PARENT_REF=\"\(name)\" TIER_ID=\"\(name) peak probability\" ANNOTATOR=\"moodline\">\n"
                + probabilities + "    </TIER>\n"
        }
        let folderPath = PlannedInput.absolutePath(folder)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<ANNOTATION_DOCUMENT AUTHOR=\"moodline \(MoodlineVersion.string)\" DATE=\"\(Self.date(of: media))\" FORMAT=\"3.0\" VERSION=\"3.0\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">\n"
        xml += "    <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">\n"
        xml +=
            "        <MEDIA_DESCRIPTOR MEDIA_URL=\"\(MarkupText.escape(Self.fileURL(media)))\" MIME_TYPE=\"\(Self.mimeType(media))\""
            + " RELATIVE_MEDIA_URL=\"\(MarkupText.escape(Self.relativeURL(from: folderPath, to: media)))\"/>\n"
        // The time series: ELAN finds the configuration by the document's name and the CSV through it.
        for (file, mime) in [
            (ELANTimeSeries.configurationFileName, "text/xml"), (ELANTimeSeries.dataFileName, "unknown"),
        ] {
            let path = (folderPath as NSString).appendingPathComponent(file)
            xml +=
                "        <LINKED_FILE_DESCRIPTOR LINK_URL=\"\(MarkupText.escape(Self.fileURL(path)))\" MIME_TYPE=\"\(mime)\""
                + " RELATIVE_LINK_URL=\"./\(MarkupText.urlPath(file))\"/>\n"
        }
        xml += "        <PROPERTY NAME=\"lastUsedAnnotationId\">\(annotationCount)</PROPERTY>\n"
        xml += "    </HEADER>\n    <TIME_ORDER>\n"
        for (n, ms) in slots.enumerated() {
            xml += "        <TIME_SLOT TIME_SLOT_ID=\"ts\(n + 1)\" TIME_VALUE=\"\(ms)\"/>\n"
        }
        xml += "    </TIME_ORDER>\n" + tiers
        xml +=
            "    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF=\"emotion\" GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"emotion\" TIME_ALIGNABLE=\"true\"/>\n"
        xml +=
            "    <LINGUISTIC_TYPE CONSTRAINTS=\"Symbolic_Association\" GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"probability\" TIME_ALIGNABLE=\"false\"/>\n"
        xml +=
            "    <LANGUAGE LANG_DEF=\"http://cdb.iso.org/lg/CDB-00130975-001\" LANG_ID=\"eng\" LANG_LABEL=\"English (eng)\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"Time subdivision of parent annotation's time interval, no time gaps allowed within this interval\" STEREOTYPE=\"Time_Subdivision\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"Symbolic subdivision of a parent annotation. Annotations refering to the same parent are ordered\" STEREOTYPE=\"Symbolic_Subdivision\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"1-1 association with a parent annotation\" STEREOTYPE=\"Symbolic_Association\"/>\n"
        xml +=
            "    <CONSTRAINT DESCRIPTION=\"Time alignable annotations within the parent annotation's time interval, gaps are allowed\" STEREOTYPE=\"Included_In\"/>\n"
        xml += "    <CONTROLLED_VOCABULARY CV_ID=\"emotion\">\n"
        xml += "        <DESCRIPTION LANG_REF=\"eng\">The seven emotions Moodline reads</DESCRIPTION>\n"
        for emotion in Emotion.allCases {
            xml +=
                "        <CV_ENTRY_ML CVE_ID=\"\(Self.vocabularyEntry(emotion))\">\n"
                + "            <CVE_VALUE DESCRIPTION=\"\" LANG_REF=\"eng\">\(emotion.rawValue)</CVE_VALUE>\n"
                + "        </CV_ENTRY_ML>\n"
        }
        xml += "    </CONTROLLED_VOCABULARY>\n"
        xml += "</ANNOTATION_DOCUMENT>\n"
        return xml
    }

    /// The controlled vocabulary's ID for an emotion's entry.
    static func vocabularyEntry(_ emotion: Emotion) -> String { "cve_\(emotion.rawValue)" }

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
