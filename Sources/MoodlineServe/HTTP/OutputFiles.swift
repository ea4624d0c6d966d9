import Foundation

/// A job's result files as the web app offers them: those the analysis reports it wrote (listed from the results
/// folder only when the batch failed before reporting), and served only when a request names one of the listed
/// files (`AnalysisJob.offers`), so that no path in a request ever reaches the file system.
enum OutputFiles {
    /// Paths of the regular files under `folder`, relative to it, sorted; links and special files are left out.
    static func list(in folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            guard isRegularFile(folder + "/" + relative) else { continue }
            // Work in progress (hidden partial files) is not offered.
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            files.append(relative)
        }
        return files.sorted()
    }

    /// Whether `path` is a regular file itself (lstat: a link is not, whatever it points to).
    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// The address a file is downloaded from, each path component percent-encoded.
    static func address(job: String, file: String) -> String {
        let encoded = file.split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathComponentAllowed) ?? ""
        }
        return "/jobs/\(job)/files/" + encoded.joined(separator: "/")
    }

    /// The media type a browser needs to show or save the file.
    static func contentType(of file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "csv": "text/csv; charset=utf-8"
        case "json": "application/json"
        case "jsonl": "application/x-ndjson"
        case "vtt": "text/vtt; charset=utf-8"
        case "srt", "txt": "text/plain; charset=utf-8"
        case "eaf", "xml": "application/xml"
        case "mp4": "video/mp4"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        default: "application/octet-stream"
        }
    }
}

private extension CharacterSet {
    /// Unreserved characters only: everything else in a name is escaped.
    static let urlPathComponentAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
