/// Joins the report fragments of a photo set's shards (see `PhotoReportWriter`) into the lines one unsharded run would
/// have written: each shard showed its own first photos, names and failures, so the caps are applied again over the
/// whole set, in order.
enum ReportFragments {
    static func joined(
        _ shards: [[Substring]], maximumPhotos: Int = PhotoReportWriter.maximumPhotos,
        maximumNames: Int = PhotoReportWriter.maximumNamesWithoutFace, maximumFailures: Int = ReportPage.maximumFailures
    ) -> [Substring] {
        var photos = 0, names = 0, failures = 0
        var lines: [Substring] = []
        for line in shards.joined() {
            if line.hasPrefix("P") {
                // A photo the whole set shows is among its shard's first, so its card is there.
                lines.append(photos < maximumPhotos ? line : line.prefix { $0 != " " })
                photos += 1
            } else if line.hasPrefix("N") {
                lines.append(names < maximumNames ? line : "N")
                names += 1
            } else if line.hasPrefix("X") {
                lines.append(failures < maximumFailures ? line : "X")
                failures += 1
            } else {
                lines.append(line)
            }
        }
        return lines
    }
}
