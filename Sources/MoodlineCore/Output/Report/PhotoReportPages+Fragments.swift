import Foundation

extension PhotoReportPages {
    /// Writes a photo set's pages again from fragments kept on disk (a shard's for merge, a set's for regroup), read
    /// as streams so a set of any size is written in flat memory: the header from `manifest`'s counts and problems,
    /// then each file's fragments in turn, as `line` gives them (it gets a fragment and its file's position in
    /// `fragments`). `person`: the person of a face's key, for a set with persons. Returns the number of pages.
    static func write(
        fragments: [String], manifest: RunManifest, folder: String, person: ((Int) -> Int?)?,
        line: @escaping (String, Int) -> String = { text, _ in text }
    ) throws -> Int {
        let header = ReportHeader(
            inputPath: manifest.input.path, pipelineName: manifest.pipeline["name"]?.text ?? "",
            framesSampled: manifest.counts.framesSampled, faces: manifest.counts.faces, tracks: nil,
            problems: manifest.errors.map { ReportHeader.Problem(file: $0.file, frame: $0.frame, message: $0.message) })
        return try PhotoReportPages(folder: folder, title: header.title, header: header.html).write(person: person) {
            fragments.indices.lazy.flatMap { k in TextFileLines(path: fragments[k]).lazy.map { line($0, k) } }
        }
    }
}
