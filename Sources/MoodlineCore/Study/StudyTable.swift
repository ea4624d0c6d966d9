import Foundation

/// One long, tidy table for a whole study (`moodline summarize`): every input's persons (from `persons.json`) and
/// segments (from `segments.csv`, where it has one), a row each, with the user's own columns (participant,
/// condition, session) joined from a metadata table, ready for pandas or R.
public enum StudyTable {
    /// The columns before the metadata's: what the row is (`level` `person` or `segment`), then the readings.
    public static let columns =
        [
            "input", "folder", "level", "person", "subject", "segment", "tier", "label", "speaker", "start_s", "end_s",
            "duration_s", "frames_with_face", "face_coverage", "readings",
        ] + Emotion.allCases.map(\.rawValue) + ["dominant", "valence", "arousal"] + PersonBaseline.columns + ["note"]

    /// The input folders under `paths`: a folder holding `run.json` is one; another folder's subfolders that hold
    /// one are (an output directory of a batch). In name order, each once.
    ///
    /// - Throws: `RangeFileError` naming a path that is neither.
    public static func inputFolders(in paths: [String]) throws(RangeFileError) -> [String] {
        var found: [String] = []
        let manifest = { (folder: String) in
            FileManager.default.fileExists(
                atPath: (folder as NSString).appendingPathComponent(OutputFolder.manifestName))
        }
        for path in paths {
            if manifest(path) {
                found.append(path)
                continue
            }
            let children = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
                .filter { !$0.hasPrefix(".") }.map { (path as NSString).appendingPathComponent($0) }.filter(manifest)
            guard !children.isEmpty else {
                throw RangeFileError(
                    file: path, line: nil, message: "holds no results (no run.json in it or its folders)")
            }
            found += children
        }
        var seen: Set<String> = []
        return found.filter { seen.insert(PlannedInput.absolutePath($0)).inserted }
    }

    /// The rows of one input folder, as cells by column: its persons, then its segments.
    public static func rows(folder: String) throws(RangeFileError) -> [[String: String]] {
        let manifestPath = (folder as NSString).appendingPathComponent(OutputFolder.manifestName)
        guard let manifest = RunManifest.read(folder: folder) else {
            throw RangeFileError(file: manifestPath, line: nil, message: "cannot be read")
        }
        let base = ["input": manifest.input.path, "folder": folder]
        var rows: [[String: String]] = []
        let personsPath = (folder as NSString).appendingPathComponent("persons.json")
        if FileManager.default.fileExists(atPath: personsPath) {
            rows += try personRows(personsPath).map { base.merging($0) { a, _ in a } }
        }
        let segmentsPath = (folder as NSString).appendingPathComponent("segments.csv")
        if FileManager.default.fileExists(atPath: segmentsPath) {
            let table = try RangeFile.table(at: segmentsPath)
            let renamed = ["face_frames": "frames_with_face"]
            for (_, fields) in table.rows {
                var row = base
                row["level"] = "segment"
                for (name, value) in zip(table.header, fields) where columns.contains(renamed[name] ?? name) {
                    row[renamed[name] ?? name] = value
                }
                rows.append(row)
            }
        }
        return rows
    }

    /// A person row per person in `persons.json`: their mean probabilities, valence and arousal from them, frames
    /// with their face, and with a baseline each emotion relative to it.
    private static func personRows(_ path: String) throws(RangeFileError) -> [[String: String]] {
        guard
            let object = try? JSONSerialization.jsonObject(with: try RangeFile.contents(of: path)) as? [String: Any],
            let persons = object["persons"] as? [[String: Any]]
        else {
            throw RangeFileError(file: path, line: nil, message: "is not a persons.json this reads")
        }
        let probability: (Double) -> String = { FixedPoint.format($0, decimals: Precision.probability) }
        return persons.map { person in
            var row: [String: String] = ["level": "person"]
            row["person"] = (person["id"] as? Int).map(String.init) ?? ""
            row["subject"] = (person["subject"] as? Bool) == true ? "1" : "0"
            row["frames_with_face"] = (person["frames_shown"] as? Int).map(String.init) ?? ""
            row["start_s"] = (person["first_time_s"] as? Double).map {
                FixedPoint.format($0, decimals: Precision.seconds)
            }
            row["end_s"] = (person["last_time_s"] as? Double).map { FixedPoint.format($0, decimals: Precision.seconds) }
            row["duration_s"] = (person["screen_time_s"] as? Double).map {
                FixedPoint.format($0, decimals: Precision.seconds)
            }
            let means = (person["mean_probabilities"] as? [String: Double]).map { table in
                Emotion.allCases.map { table[$0.rawValue] ?? 0 }
            }
            if let means {
                for (emotion, p) in zip(Emotion.allCases, means) { row[emotion.rawValue] = probability(p) }
                row["dominant"] = Emotion.allCases[means.indices.max { means[$0] < means[$1] }!].rawValue
                let affect = AffectCoordinates.cells(means)
                row["valence"] = affect[0]
                row["arousal"] = affect[1]
            }
            if let baseline = person["baseline"] {
                let rest = (baseline as? [String: Any]).flatMap { b -> PersonBaseline? in
                    guard let readings = b["readings"] as? Int, let table = b["mean_probabilities"] as? [String: Double]
                    else { return nil }
                    return PersonBaseline(readings: readings, means: Emotion.allCases.map { table[$0.rawValue] ?? 0 })
                }
                for (name, cell) in zip(PersonBaseline.columns, PersonBaseline.cells(means, baseline: rest)) {
                    row[name] = cell
                }
            }
            return row
        }
    }

    /// The user's own columns per input, from a CSV whose first column names the input: its output folder's name,
    /// its file's name, or that name without the extension.
    public struct Metadata: Sendable {
        public let columns: [String]
        private let rows: [String: [String]]

        /// Reads the table at `path`.
        ///
        /// - Throws: `RangeFileError` naming the file (and line) at fault.
        public init(path: String) throws(RangeFileError) {
            let table = try RangeFile.table(at: path)
            guard table.header.count >= 2 else {
                throw RangeFileError(
                    file: path, line: 1, message: "needs a first column naming each input and at least one more")
            }
            let clash = table.header.dropFirst().filter { StudyTable.columns.contains($0) }
            guard clash.isEmpty else {
                throw RangeFileError(
                    file: path, line: 1, message: "has columns the table has already: \(clash.joined(separator: ", "))")
            }
            columns = Array(table.header.dropFirst())
            var rows: [String: [String]] = [:]
            for (line, fields) in table.rows {
                let key = fields[0].trimmingCharacters(in: .whitespaces)
                guard rows[key] == nil else {
                    throw RangeFileError(file: path, line: line, message: "names '\(key)' a second time")
                }
                // Exactly one cell per column: a spreadsheet's trailing commas dropped, short rows padded.
                let cells = Array(fields.dropFirst().prefix(columns.count))
                rows[key] = cells + Array(repeating: "", count: columns.count - cells.count)
            }
            self.rows = rows
        }

        /// The cells for the input at `input` (its path as given) written to the folder `folder`.
        func cells(input: String, folder: String) -> [String]? {
            let name = (input as NSString).lastPathComponent
            return rows[(folder as NSString).lastPathComponent] ?? rows[name]
                ?? rows[(name as NSString).deletingPathExtension]
        }

        /// The keys that name none of `inputs` (path, folder).
        func unmatched(_ inputs: [(input: String, folder: String)]) -> [String] {
            rows.keys.filter { key in
                !inputs.contains { input in
                    let name = (input.input as NSString).lastPathComponent
                    return [
                        (input.folder as NSString).lastPathComponent, name, (name as NSString).deletingPathExtension,
                    ]
                    .contains(key)
                }
            }.sorted()
        }
    }

    /// The whole table as CSV, and warnings: inputs the metadata does not name, metadata rows naming no input.
    public static func csv(
        folders: [String], metadata: Metadata?
    ) throws(RangeFileError) -> (
        text: String, warnings: [String]
    ) {
        var lines = [(columns + (metadata?.columns ?? [])).map(CSVText.field).joined(separator: ",")]
        var warnings: [String] = []
        var seen: [(input: String, folder: String)] = []
        for folder in folders {
            let rows = try rows(folder: folder)
            guard let first = rows.first else { continue }
            let key = (first["input"] ?? "", first["folder"] ?? "")
            seen.append(key)
            let extra: [String]
            if let metadata {
                if let cells = metadata.cells(input: key.0, folder: key.1) {
                    extra = cells
                } else {
                    extra = Array(repeating: "", count: metadata.columns.count)
                    warnings.append("\(folder): no row of the metadata names it")
                }
            } else {
                extra = []
            }
            for row in rows {
                lines.append(
                    (columns.map { CSVText.field(row[$0] ?? "") } + extra.map(CSVText.field)).joined(separator: ","))
            }
        }
        for key in metadata?.unmatched(seen) ?? [] { warnings.append("the metadata's '\(key)' names no input") }
        return (lines.joined(separator: "\n") + "\n", warnings)
    }
}
