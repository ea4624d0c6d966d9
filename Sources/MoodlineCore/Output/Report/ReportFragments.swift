/// Joins the report fragments of a photo set's shards (see `PhotoReportWriter`) into the lines one unsharded run would
/// have written: each shard showed its own first faces and failures, so the caps are applied again over the whole
/// set, in order.
enum ReportFragments {
    static func joined(
        _ shards: [[Substring]], maximumFaces: Int = PhotoReportWriter.maximumFaces,
        maximumFailures: Int = ReportPage.maximumFailures
    ) -> [Substring] {
        var faces = 0, failures = 0
        var lines: [Substring] = []
        for line in shards.joined() {
            if line.hasPrefix("F") {
                // A face the whole set shows is among its shard's first, so its figure is there.
                lines.append(faces < maximumFaces ? line : "F")
                faces += 1
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
