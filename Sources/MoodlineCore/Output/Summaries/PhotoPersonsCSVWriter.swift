import Foundation

/// Writes a photo set's `persons.csv`: which person each embedded face is, one row per face
/// (`face_number,file,face,person`) in the order found. It is how a user corrects the grouping: give faces of one
/// person the same number, a face a new number to split it off, or an empty cell for no person, then run
/// `moodline regroup`, which reads the `face_number`, `file` and `person` columns.
final class PhotoPersonsCSVWriter: SummarySink {
    static let columns = ["face_number", "file", "face", "person"]
    let folder: String
    private let files: FileList?
    var fileName: String { PersonsCSVWriter.fileName }

    init(context: SinkContext) {
        folder = context.folder
        files = context.input.source.fileList
    }

    func contents(for event: FinishEvent) throws -> String {
        let rows = event.persons.segments.compactMap { segment -> PhotoFacePerson? in
            guard let face = segment.face else { return nil }
            let photo = Int(segment.span.lowerBound)
            let name =
                files.map { $0.files.indices.contains(photo) ? RelativePath.of($0.files[photo], in: $0.root) : "" }
                ?? ""
            return PhotoFacePerson(
                number: segment.id, file: name, face: face, person: event.persons.person(ofTrack: segment.id))
        }
        return Self.contents(rows)
    }

    /// The table of these faces, in order of their numbers.
    static func contents(_ rows: [PhotoFacePerson]) -> String {
        var text = columns.joined(separator: ",") + "\n"
        for row in rows.sorted(by: { $0.number < $1.number }) {
            text += "\(row.number),\(CSVText.field(row.file)),\(row.face),\(row.person.map(String.init) ?? "")\n"
        }
        return text
    }
}

/// A photo face's row in `persons.csv`: its number in the set, its photo and position, and its person.
struct PhotoFacePerson: Equatable {
    let number: Int
    let file: String
    let face: Int
    let person: Int?
}
