import Foundation

/// `moodline regroup` for a photo set: writes its outputs again for another grouping of its faces into persons,
/// from what its run kept (each table's rows with their face numbers, the report's fragments, `run.json`, and
/// `face_embeddings.jsonl` where written), without decoding or running a network: `frames.csv`, `frames.jsonl`,
/// `photos.csv`, the report's pages, `persons.csv` and the embeddings, as a run with that grouping writes them.
enum PhotoRegrouping {
    static func regroup(
        folder: String, manifest: RunManifest, grouping: PersonGrouping, aside: String
    ) throws -> Regrouping.Outcome {
        let file = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        var definition = try PipelineFile.parse(
            try JSONEncoder().encode(manifest.pipeline), source: file(OutputFolder.manifestName))
        guard definition.persons.enabled else {
            throw RegroupError(
                path: folder, message: "this run grouped no persons (--no-persons): there is nothing to regroup")
        }
        let tables = manifest.outputs.filter { PersonColumnRows.unknownCells[$0] != nil }
        var kept = tables.map { file(PersonColumnRows.keptRowsName($0)) }
        if manifest.outputs.contains("report.html") { kept.append(file(PhotoReportWriter.fragmentsFileName)) }
        if let missing = kept.first(where: { !FileManager.default.isReadableFile(atPath: $0) }) {
            throw RegroupError(
                path: missing,
                message:
                    "is missing: this run kept no rows to regroup (an earlier version, a merged set, or --formats without readings); run the analysis again"
            )
        }
        let embeddingsPath = file(FaceEmbeddingsWriter.fileName)
        let embedded =
            manifest.outputs.contains(FaceEmbeddingsWriter.fileName)
            && FileManager.default.fileExists(atPath: embeddingsPath)
        let shard = ShardManifest(folderName: (folder as NSString).lastPathComponent, manifest: manifest)
        let parent = (folder as NSString).deletingLastPathComponent
        var persons: ShardPersons?
        let table: PersonTable
        let rows: [PhotoFacePerson]
        switch grouping {
        case .distance(let distance):
            guard embedded else {
                throw RegroupError(
                    path: embeddingsPath,
                    message: "is missing: grouping at another distance needs the run's embeddings (--write-embeddings)")
            }
            definition.persons.samePersonDistance = distance
            try definition.validate(source: "--same-person-distance")
            let clustered = try ShardPersons([shard], in: parent, inputPath: manifest.input.path, distance: distance)
            (persons, table, rows) = (clustered, clustered.table, clustered.personRows)
        case .table(let path):
            let edited = try PhotoPersonsTable(path: path, faces: manifest.counts.faces)
            // Each face at its photo's position (a new photo where the file changes, in face order).
            var photo = -1, lastFile: String?
            let segments = edited.rows.map { row -> FaceSegment in
                if row.file != lastFile { photo += 1 }
                lastFile = row.file
                return FaceSegment(id: row.number, span: Double(photo)...Double(photo), embedding: [], face: row.face)
            }
            let groups = Dictionary(
                uniqueKeysWithValues: edited.rows.compactMap { r in r.person.map { (r.number, $0) } })
            table = PersonTable(faces: segments, groupOfFace: groups)
            rows = edited.rows.map {
                PhotoFacePerson(
                    number: $0.number, file: $0.file, face: $0.face, person: table.person(ofTrack: $0.number))
            }
            if embedded {
                persons = try ShardPersons([shard], in: parent, inputPath: manifest.input.path).grouped(as: table)
            }
        }

        // The grouping stands: from here the outputs are replaced one by one, and the folder must not look complete
        // until the new run.json says so (the old one waits aside, for a retry).
        if rename(file(OutputFolder.manifestName), aside) != 0 && errno != ENOENT {
            throw OutputError(
                path: file(OutputFolder.manifestName),
                message: "cannot be set aside: \(String(cString: strerror(errno)))")
        }
        let person = { (key: Int) in table.person(ofTrack: key) }
        var outputs = manifest.outputs.filter { $0 != OutputFolder.manifestName && !PhotoReportPages.isExtraPage($0) }
        for name in tables {
            let output = try AtomicOutputFile(folder: folder, name: name)
            defer { output.discard() }
            try PersonColumnRows.join(
                [(path: file(PersonColumnRows.keptRowsName(name)), keyOffset: 0)],
                headerFrom: ShardJoin.headed.contains(name) ? file(name) : nil, into: output,
                unknown: PersonColumnRows.unknownCells[name] ?? "", person: person)
            try output.commit()
        }
        if outputs.contains("report.html") {
            let pages = try PhotoReportPages.write(
                fragments: [file(PhotoReportWriter.fragmentsFileName)], manifest: manifest, folder: folder,
                person: person)
            outputs += PhotoReportPages.extraFileNames(pages: pages)
        }
        if outputs.contains(PersonsCSVWriter.fileName) {
            try WholeFile.write(text: PhotoPersonsCSVWriter.contents(rows), to: file(PersonsCSVWriter.fileName))
        }
        if let persons, outputs.contains(FaceEmbeddingsWriter.fileName) {
            try persons.writeEmbeddings(into: folder)
        }
        var updated = manifest
        updated.pipeline = PipelineFile.json(definition)
        updated.counts.persons = table.count
        updated.outputs = outputs + [OutputFolder.manifestName]
        updated.outputBytes = RunManifest.outputBytes(outputs, folder: folder)
        updated.regroupedBy = grouping.description(in: folder)
        try updated.write(folder: folder)
        unlink(aside)
        return Regrouping.Outcome(
            folder: folder, personsBefore: manifest.counts.persons, persons: table.count, subject: nil,
            subjectReading: nil)
    }
}
