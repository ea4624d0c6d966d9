import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// `moodline regroup`: a folder regrouped by an edited `persons.csv`, or at another distance from the kept
/// embeddings, ends exactly as an analysis with that grouping would have written it; a grouping that cannot be, or a
/// damaged record, is refused with the file named and the folder left as it was.
final class RegroupTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    /// The woman, the astronaut, the woman (`CutTestMedia.twoPeopleFramedAlike`): three tracks, two persons as
    /// analysed. Merged by hand into one, the folder matches an analysis at a distance that merges them; split into
    /// three, one at a distance that merges none; and regrouped at those distances from the kept embeddings, it
    /// matches those analyses to the byte, run.json's counts and pipeline included.
    func testAMergeOrSplitRewritesEveryOutputAsAnAnalysisWithThatGroupingWould() throws {
        let root = try TestMedia.temporaryFolder(for: self)
        let edit = try CutTestMedia.twoPeopleFramedAlike(in: root)
        // Folders named alike in length: ELAN's files link each other by absolute path.
        let analysed = try analyse(edit, into: root.appendingPathComponent("a"), distance: nil)
        XCTAssertEqual(try personColumn(analysed), ["1", "2", "1"], "the woman twice, the astronaut between")
        let merged = try analyse(edit, into: root.appendingPathComponent("m"), distance: 4)
        XCTAssertEqual(try personColumn(merged), ["1", "1", "1"])
        let split = try analyse(edit, into: root.appendingPathComponent("s"), distance: 0)
        XCTAssertEqual(try personColumn(split), ["1", "2", "3"])

        // By hand: the edited persons.csv (any numbers will do: persons are numbered again by first appearance).
        let table = analysed.appendingPathComponent("persons.csv")
        try replacePersons(in: table, with: ["7", "7", "7"])
        let outcome = try Regrouping.regroup(folder: analysed.path)
        XCTAssertEqual(outcome.personsBefore, 2)
        XCTAssertEqual(outcome.persons, 1)
        // All but the distance the analysis grouped at, which persons.json and the embeddings' first line state.
        try assertSameOutputs(analysed, merged, except: ["persons.json", "face_embeddings.jsonl"])
        try assertSameJSON(analysed, merged, "persons.json", ignoring: ["same_person_distance"])
        XCTAssertEqual(try embeddingLines(analysed), try embeddingLines(merged))
        try replacePersons(in: table, with: ["1", "3", "2"])
        XCTAssertEqual(try Regrouping.regroup(folder: analysed.path).persons, 3)
        try assertSameOutputs(analysed, split, except: ["persons.json", "face_embeddings.jsonl"])
        XCTAssertEqual(try embeddingLines(analysed), try embeddingLines(split))
        let manifest = try json(analysed.appendingPathComponent("run.json"))
        XCTAssertEqual(manifest["regrouped_by"] as? String, "table persons.csv")

        // From the embeddings, at the distances the other analyses used.
        XCTAssertEqual(try Regrouping.regroup(folder: analysed.path, by: .distance(4)).persons, 1)
        try assertSameOutputs(analysed, merged, except: [])
        try assertSameManifests(analysed, merged)
        XCTAssertEqual(try Regrouping.regroup(folder: analysed.path, by: .distance(0)).persons, 3)
        try assertSameOutputs(analysed, split, except: [])
        try assertSameManifests(analysed, split)
    }

    /// Five faces at once (the group photo as a 1 s video): no two of them can be one person. A table that says so,
    /// names an unknown track or leaves one out is refused naming the file, and the folder is left as it was.
    func testAGroupingThatCannotBeIsRefusedAndChangesNothing() throws {
        let root = try TestMedia.temporaryFolder(for: self)
        let video = root.appendingPathComponent("group.mp4").path
        try TestProcess.ffmpeg([
            "-loop", "1", "-t", "1", "-framerate", "5", "-i", TestMedia.multiFace, "-vf",
            "scale=1000:666,format=yuv420p",
            "-c:v", "libx264", video,
        ])
        let folder = try analyse(video, into: root.appendingPathComponent("out"), distance: nil, embeddings: false)
        let table = folder.appendingPathComponent("persons.csv")
        let original = try Data(contentsOf: table)
        let tracks = try personColumn(folder).count
        XCTAssertGreaterThanOrEqual(tracks, 4)
        let before = try snapshot(folder)
        let cases: [(persons: [String], rows: [String]?, says: String)] = [
            (["1", "1"] + (2..<tracks).map(String.init), nil, "on screen at the same time"),
            ((1...tracks).map(String.init), ["99,1"], "track 99 is not among the run's tracks"),
            ((1..<tracks).map(String.init), nil, "has no person"),
            (["x"] + (2...tracks).map(String.init), nil, "line 2"),
        ]
        for (persons, extra, says) in cases {
            try original.write(to: table)
            try replacePersons(in: table, with: persons, extraRows: extra ?? [])
            XCTAssertThrowsError(try Regrouping.regroup(folder: folder.path)) { error in
                XCTAssertTrue("\(error)".contains("persons.csv") && "\(error)".contains(says), "\(error)")
            }
            var after = try snapshot(folder)
            after["persons.csv"] = before["persons.csv"]
            XCTAssertEqual(after, before, "nothing but the edited table changed (\(says))")
        }
        XCTAssertThrowsError(try Regrouping.regroup(folder: folder.path, by: .distance(0.5))) { error in
            XCTAssertTrue("\(error)".contains("--write-embeddings"), "\(error)")
        }
    }

    /// A record cut short anywhere, or with any byte changed (each record carries a checksum), is refused as
    /// damaged, naming it; nothing traps, and the folder keeps its outputs and run.json.
    func testADamagedRecordIsRefusedNamingIt() throws {
        let root = try TestMedia.temporaryFolder(for: self)
        let edit = try CutTestMedia.twoPeopleFramedAlike(in: root)
        let folder = try analyse(edit, into: root.appendingPathComponent("out"), distance: nil)
        let record = folder.appendingPathComponent("readings.bin")
        let whole = try Data(contentsOf: record)
        let before = try snapshot(folder)
        var generator = SeededGenerator(seed: 7)
        var damaged: [Data] = [Data(), whole.prefix(10)]
        for _ in 0..<12 { damaged.append(whole.prefix(Int.random(in: 20..<whole.count, using: &generator))) }
        for _ in 0..<12 {
            var bytes = whole
            for _ in 0..<4 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= 0xA5 }
            damaged.append(bytes)
        }
        for (n, bytes) in damaged.enumerated() {
            try bytes.write(to: record)
            XCTAssertThrowsError(try Regrouping.regroup(folder: folder.path), "case \(n)") { error in
                XCTAssertTrue(
                    "\(error)".contains("readings.bin") && "\(error)".contains("damaged"), "case \(n): \(error)")
            }
            var after = try snapshot(folder)
            after["readings.bin"] = before["readings.bin"]
            XCTAssertEqual(after, before, "case \(n): a refused record changes nothing")
        }
        try whole.write(to: record)
        XCTAssertNoThrow(try Regrouping.regroup(folder: folder.path))
    }

    // MARK: Helpers

    private func analyse(_ path: String, into output: URL, distance: Double?, embeddings: Bool = true) throws -> URL {
        var pipeline = try TestPipelines.builtIn("interview")
        if let distance { pipeline.persons.samePersonDistance = distance }
        if embeddings { pipeline.outputs.formats.append(.faceEmbeddings) }
        let batch = BatchAnalysis(
            videoPipeline: pipeline, photoPipeline: try TestPipelines.builtIn("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        XCTAssertTrue(try batch.run(paths: [path], reporter: SilentReporter()).succeeded)
        return output.appendingPathComponent(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    /// The `person` column of `persons.csv`, in track order.
    private func personColumn(_ folder: URL) throws -> [String] {
        let lines = try String(contentsOf: folder.appendingPathComponent("persons.csv"), encoding: .utf8)
            .split(separator: "\n")
        return lines.dropFirst().map { String($0.split(separator: ",")[1]) }
    }

    private func replacePersons(in table: URL, with persons: [String], extraRows: [String] = []) throws {
        let lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n").map(String.init)
        var rows = [lines[0]]
        for (line, person) in zip(lines.dropFirst(), persons) {
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[1] = person
            rows.append(cells.joined(separator: ","))
        }
        try ((rows + extraRows).joined(separator: "\r\n") + "\r\n").write(to: table, atomically: true, encoding: .utf8)
    }

    /// Every file but run.json and those named, byte for byte, the folders' own paths aside (ELAN links its files
    /// by absolute path).
    private func assertSameOutputs(_ a: URL, _ b: URL, except: Set<String>, line: UInt = #line) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: b.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(
            Set(try FileManager.default.contentsOfDirectory(atPath: a.path).filter { !$0.hasPrefix(".") }), Set(names),
            line: line)
        for name in names where name != "run.json" && !except.contains(name) {
            let text = { (folder: URL) in
                try String(contentsOf: folder.appendingPathComponent(name), encoding: .isoLatin1)
                    .replacingOccurrences(of: folder.path, with: "FOLDER")
            }
            XCTAssertTrue(try text(a) == text(b), "\(name) differs", line: line)
        }
    }

    private func assertSameJSON(_ a: URL, _ b: URL, _ name: String, ignoring: Set<String>) throws {
        var (x, y) = (try json(a.appendingPathComponent(name)), try json(b.appendingPathComponent(name)))
        for key in ignoring { (x[key], y[key]) = (nil, nil) }
        XCTAssertEqual(NSDictionary(dictionary: x), NSDictionary(dictionary: y), name)
    }

    /// What run.json says of the results: counts, the subject's reading, the outputs and their sizes, the pipeline.
    private func assertSameManifests(_ a: URL, _ b: URL) throws {
        let (x, y) = (try json(a.appendingPathComponent("run.json")), try json(b.appendingPathComponent("run.json")))
        for key in [
            "counts", "subject_reading", "outputs", "output_bytes", "pipeline", "status", "errors", "shot_cuts",
        ] {
            XCTAssertEqual(x[key] as? NSObject, y[key] as? NSObject, key)
        }
    }

    /// `face_embeddings.jsonl` but its first line (which states the distance grouped at).
    private func embeddingLines(_ folder: URL) throws -> [Substring] {
        try String(contentsOf: folder.appendingPathComponent("face_embeddings.jsonl"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0 }
    }

    private func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Every file's bytes by name (hidden ones aside).
    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }
}
