import Foundation

/// Writes `episodes_tsconf.xml`, ELAN's time-series configuration for `episodes_timeseries.csv`: one track per curve
/// (named "track 2 (subject) happy"), read from its column with time in column 0, drawn on a fixed 0-1 range in the
/// report's colour for its emotion. ELAN lists the curves in its time-series viewer once `episodes.eaf` is opened.
///
/// The sample type is "Discontinuous Rate": each row carries its own time, since sampled frames can skip (a
/// corrupt stretch, a face-free gap) and ELAN would otherwise space them evenly.
final class ELANTimeSeriesConfigurationWriter: SummarySink {
    let folder: String
    var fileName: String { ELANTimeSeries.configurationFileName }

    init(context: SinkContext) {
        folder = context.folder
    }

    func contents(for event: FinishEvent) throws -> String {
        let data = (PlannedInput.absolutePath(folder) as NSString).appendingPathComponent(ELANTimeSeries.dataFileName)
        let date = ELANWriter.date(of: PlannedInput.absolutePath(event.input.path))
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<timeseries date=\"\(date)\" version=\"1.0\">\n"
        xml +=
            "    <tracksource sample-type=\"Discontinuous Rate\" source-url=\"\(MarkupText.escape(ELANWriter.fileURL(data)))\" time-column=\"0\">\n"
        xml +=
            "        <property key=\"provider\" value=\"mpi.eudico.client.annotator.timeseries.csv.CSVServiceProvider\"/>\n"
        for (n, curve) in ELANTimeSeries.curves(of: event).enumerated() {
            xml += "        <track derivative=\"0\" name=\"\(MarkupText.escape(curve.name))\">\n"
            xml += "            <property key=\"detect-range\" value=\"false\"/>\n"
            xml += "            <sample-position>\n                <pos col=\"\(n + 1)\" row=\"0\"/>\n"
            xml += "            </sample-position>\n"
            xml +=
                "            <description>smoothed probability of \(curve.emotion.rawValue), track \(curve.track.id)</description>\n"
            xml += "            <units>probability</units>\n"
            xml += "            <range max=\"1.0\" min=\"0.0\"/>\n"
            xml += "            <color>\(Self.rgb(curve.emotion.chartColour))</color>\n"
            xml += "        </track>\n"
        }
        xml += "    </tracksource>\n</timeseries>\n"
        return xml
    }

    /// `#f2b701` as ELAN's "242,183,1".
    static func rgb(_ hex: String) -> String {
        let digits = Array(hex.dropFirst())
        return stride(from: 0, to: 6, by: 2).map { String(Int(String(digits[$0...$0 + 1]), radix: 16) ?? 0) }
            .joined(separator: ",")
    }
}
