import Foundation

/// Writes `index.html` in the output folder: the batch's inputs, each with its status, faces, tracks, the main
/// subject's reading and a link to its `report.html`, and the paths that could not be read.
enum BatchIndex {
    static let fileName = "index.html"

    static func write(_ outcome: BatchOutcome, outputDirectory: String) throws {
        let e = MarkupText.escape
        var body = "<h1>Moodline batch</h1>\n<table class=\"inputs\"><tr><th>input</th><th>status</th><th>faces</th><th>tracks</th><th>reading</th></tr>"
        for (input, result) in outcome.results {
            let folder = (result.outputFolder as NSString).lastPathComponent
            let report = (result.outputFolder as NSString).appendingPathComponent("report.html")
            let name = FileManager.default.fileExists(atPath: report)
                ? "<a href=\"\(e(MarkupText.urlPath(folder)))/report.html\">\(e(input.path))</a>" : e(input.path)
            let status = result.skippedAsUnchanged ? "unchanged" : result.status.rawValue
            let reading = result.subjectReading.map { "\($0.emotion.rawValue) \(Int(($0.share * 100).rounded()))%" } ?? ""
            let counted = !result.skippedAsUnchanged
            body += "<tr class=\"input\" data-status=\"\(status)\"><td>\(name)</td><td>\(status)</td><td>\(counted ? "\(result.faces)" : "")</td>"
                + "<td>\(counted && input.isVideo ? "\(result.tracks)" : "")</td><td>\(reading)</td></tr>"
        }
        body += "</table>\n"
        if !outcome.problems.isEmpty {
            body += "<h2>Paths that could not be read</h2><ul class=\"problems\">"
            for problem in outcome.problems { body += "<li>\(e(problem.path)): \(e(problem.reason))</li>" }
            body += "</ul>\n"
        }
        try WholeFile.write(text: ReportWriter.page(title: "Moodline batch", body: body),
                            to: (outputDirectory as NSString).appendingPathComponent(fileName), durable: false)
    }
}
