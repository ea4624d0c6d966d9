import Foundation

/// Writes `index.html` in the output folder: every input folder there (read from its `run.json`, so inputs of
/// earlier runs are listed too), sorted by input, each with its status, faces, tracks, the main subject's reading
/// and a link to its `report.html`; then the paths this command could not read.
///
/// Shard folders (`NAME.shard-K-of-N`) are left out: they are parts of a set that `moodline merge` joins into
/// `NAME/`, which is listed. Folders without a Moodline `run.json` (another tool's, or one being written) are too.
enum BatchIndex {
    static let fileName = "index.html"

    static func write(problems: [SkippedPath], outputDirectory: String) throws {
        let e = MarkupText.escape
        var rows: [(folder: String, entry: IndexEntry)] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory)) ?? []
        where !name.hasPrefix(".") {
            let folder = (outputDirectory as NSString).appendingPathComponent(name)
            var status = stat()
            guard lstat(folder, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR, ShardMerge.parse(name) == nil,
                let entry = IndexEntry.read(folder: folder), entry.shard == nil
            else { continue }
            rows.append((name, entry))
        }
        rows.sort { ($0.entry.input.path, $0.folder) < ($1.entry.input.path, $1.folder) }
        // One cell a line: text extraction and screen readers then keep the input apart from its status.
        var body =
            "<h1>Moodline batch</h1>\n<table class=\"inputs\">\n<thead><tr>\n"
            + ["input", "status", "faces", "tracks", "reading"].map { "<th scope=\"col\">\($0)</th>\n" }.joined()
            + "</tr></thead>\n<tbody>\n"
        for (folder, entry) in rows {
            let hasReport = entry.outputs?.contains("report.html") ?? false
            let name =
                hasReport
                ? "<a href=\"\(e(MarkupText.urlPath(folder)))/report.html\">\(e(entry.input.path))</a>"
                : e(entry.input.path)
            let reading = entry.subjectReading.map { "\(e($0.emotion)) \(Int(($0.share * 100).rounded()))%" } ?? ""
            let cells = [
                name, e(entry.status), entry.counts?.faces.map(String.init) ?? "",
                entry.isVideo ? entry.counts?.tracks.map(String.init) ?? "" : "", reading,
            ]
            body +=
                "<tr class=\"input\" data-status=\"\(e(entry.status))\">\n" + cells.map { "<td>\($0)</td>\n" }.joined()
                + "</tr>\n"
        }
        body += "</tbody>\n</table>\n"
        if !problems.isEmpty {
            body += "<h2>Paths that could not be read</h2>\n<ul class=\"problems\">\n"
            for problem in problems { body += "<li>\(e(problem.path)): \(e(problem.reason))</li>\n" }
            body += "</ul>\n"
        }
        try WholeFile.write(
            text: ReportPage.page(title: "Moodline batch", body: body),
            to: (outputDirectory as NSString).appendingPathComponent(fileName), durable: false)
    }
}
