/// Reads labelled ranges from a CSV with the columns `start,end,label` and optionally `speaker` (any order, named
/// in a header row; without a header, in that order). Times are seconds (`12.5`) or clock times (`1:02:03.5`).
enum CSVRanges {
    static func parse(_ text: String) throws(RangeFile.Failure) -> [LabelledRange] {
        let table = try RangeFile.table(text)
        guard !table.header.isEmpty else { return [] }
        var rows = table.rows
        let columns: (start: Int, end: Int, label: Int, speaker: Int?)
        if seconds(table.header[0]) != nil {
            // No header: the first row is data.
            rows.insert((1, table.header), at: 0)
            columns = (0, 1, 2, 3)
        } else {
            guard let start = table.column("start"), let end = table.column("end"), let label = table.column("label")
            else {
                throw RangeFile.Failure(
                    line: 1,
                    message:
                        "needs the columns start, end and label (and optionally speaker); its header has \(table.header.joined(separator: ", "))"
                )
            }
            columns = (start, end, label, table.column("speaker"))
        }
        return try rows.map { (line, fields) throws(RangeFile.Failure) in
            func field(_ index: Int) -> String {
                index < fields.count ? fields[index].trimmingCharacters(in: .whitespaces) : ""
            }
            guard let start = seconds(field(columns.start)), let end = seconds(field(columns.end)) else {
                throw RangeFile.Failure(
                    line: line, message: "cannot read the times '\(field(columns.start))' and '\(field(columns.end))'")
            }
            guard end > start else { throw RangeFile.Failure(line: line, message: "the range ends before it starts") }
            let speaker = columns.speaker.map(field).flatMap { $0.isEmpty ? nil : $0 }
            return LabelledRange(start: start, end: end, label: field(columns.label), speaker: speaker)
        }
    }

    /// Seconds from `12.5` or a clock time `[h:]mm:ss[.fff]`; nil for anything else.
    static func seconds(_ text: String) -> Double? { DecodeSettings.seconds(fromClock: text) }
}
