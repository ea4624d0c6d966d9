import Foundation

/// A photo set's `persons.csv` as a user edited it, read for `moodline regroup`: each face's number, photo and
/// person (an empty cell: no person). Read as CSV (quoted file names may hold commas, quotes and line breaks), as
/// spreadsheets write it: CRLF or LF, a byte-order mark first.
struct PhotoPersonsTable {
    let rows: [PhotoFacePerson]

    /// Reads the table and checks it against the set: each face number once and among the set's `faces`, persons
    /// numbered from 1, and no person twice in one photo.
    ///
    /// - Throws: `RegroupError` naming the file (and line) at fault.
    init(path: String, faces: Int) throws {
        let table: CSVTable
        do {
            table = try CSVTable(parsing: try PersonGrouping.tableText(path))
        } catch let error as CSVTable.Failure {
            throw RegroupError(path: path, message: "line \(error.line): \(error.message)")
        }
        guard let numberColumn = table.column("face_number"), let fileColumn = table.column("file"),
            let faceColumn = table.column("face"), let personColumn = table.column("person")
        else {
            throw RegroupError(
                path: path, message: "needs a header with the columns face_number, file, face and person")
        }
        var rows: [PhotoFacePerson] = []
        var seen: Set<Int> = []
        var personInPhoto: [String: [Int: Int]] = [:]
        for record in table.rows {
            let line = record.line
            let cells = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > max(numberColumn, fileColumn, faceColumn, personColumn),
                let number = Int(cells[numberColumn]), let face = Int(cells[faceColumn])
            else {
                throw RegroupError(path: path, message: "line \(line): needs a face number and a face position")
            }
            guard (1...max(faces, 1)).contains(number), faces > 0 else {
                throw RegroupError(
                    path: path, message: "line \(line): face \(number) is not among the set's \(faces) faces")
            }
            guard seen.insert(number).inserted else {
                throw RegroupError(path: path, message: "line \(line): face \(number) is listed twice")
            }
            var person: Int?
            if !cells[personColumn].isEmpty {
                guard let value = Int(cells[personColumn]), value >= 1 else {
                    throw RegroupError(
                        path: path, message: "line \(line): the person must be a number of 1 or more, or empty")
                }
                person = value
            }
            let file = record.fields[fileColumn]
            if let person {
                if let other = personInPhoto[file]?[person] {
                    throw RegroupError(
                        path: path,
                        message:
                            "person \(person): faces \(other) and \(number) are in one photo (\(file)), so cannot be one person"
                    )
                }
                personInPhoto[file, default: [:]][person] = number
            }
            rows.append(PhotoFacePerson(number: number, file: file, face: face, person: person))
        }
        self.rows = rows.sorted { $0.number < $1.number }
    }
}

/// The tables a user edits for `moodline regroup` read without regrouping: for the fuzz target.
public enum PersonsTableCheck {
    /// The rows of the `persons.csv` at `path`, read as a video's (tracks) and as a photo set's of `faces` faces;
    /// each reading throws `RegroupError` for a table it refuses.
    public static func rows(inFile path: String, faces: Int) -> (tracks: Int?, faces: Int?) {
        let tracks = try? PersonGrouping.readTable(path).count
        let photoFaces = try? PhotoPersonsTable(path: path, faces: faces).rows.count
        return (tracks, photoFaces)
    }
}
