import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Persons on real faces: in an edit of seven shots of three women framed alike (`CutTestMedia.sevenShots`), each
/// shot's woman (the face at the centre; a neighbour's face is at the edge of some shots) carries her own person ID
/// in every shot and every output that lists tracks; and a cut between two people framed alike is found by checking
/// who the face is, without the picture difference.
final class PersonsMediaTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    func testSevenShotsOfThreeWomenAreThreePersons() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let edit = try CutTestMedia.sevenShots(in: folder)
        let results = try analyse(edit, into: folder.appendingPathComponent("out"))
        let rows = try Self.table(results.appendingPathComponent("frames.csv")).filter { $0["face_found"] == "1" }
        let (share, personOfWoman) = Self.agreement(Self.centralFaces(rows))
        XCTAssertGreaterThanOrEqual(share, 0.95, "rows carrying their woman's person ID")
        XCTAssertEqual(Set(personOfWoman.values).count, 3, "three women, three persons: \(personOfWoman)")
        print("persons: seven shots, \(Int((share * 100).rounded()))% of rows with their woman's person ID")

        let persons = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: results.appendingPathComponent("persons.json")))
                as? [String: Any])
        let list = try XCTUnwrap(persons["persons"] as? [[String: Any]])
        XCTAssertEqual(list.map { $0["id"] as! Int }, Array(1...list.count), "numbered by first appearance")
        XCTAssertLessThanOrEqual(list.count, 5, "the women and at most two neighbours")
        // The first woman has three shots, and her face is at the edge of the second woman's two (found in some
        // frames): the longest on screen, for 3/7 to 5/7 of the video.
        let first = try XCTUnwrap(list.first { "\($0["id"]!)" == personOfWoman[0] })
        XCTAssertEqual(persons["subject"] as? Int, first["id"] as? Int)
        XCTAssertGreaterThanOrEqual((first["tracks"] as! [Int]).count, 3)
        XCTAssertGreaterThanOrEqual(first["share_of_video"] as! Double, 3.0 / 7 - 0.05)
        XCTAssertLessThanOrEqual(first["share_of_video"] as! Double, 5.0 / 7 + 0.05)
        XCTAssertNotNil(first["representative"] as? [String: Any])

        // Every table that lists tracks names the same person for a track as frames.csv does.
        var personOfTrack: [String: String] = [:]
        for row in rows { personOfTrack[row["track"]!] = row["person"]! }
        for file in ["timeline.csv", "episodes.csv"] {
            for row in try Self.table(results.appendingPathComponent(file)) {
                XCTAssertEqual(row["person"], personOfTrack[row["track"]!], "\(file): track \(row["track"]!)")
            }
        }
        let seconds = try Self.table(results.appendingPathComponent("seconds.csv"))
        // The subject's rows cover every second analysed, as one series, across her three tracks.
        XCTAssertEqual(seconds.filter { $0["subject"] == "1" }.map { $0["second"]! }, (0...6).map(String.init))
        let jsonl = try String(contentsOf: results.appendingPathComponent("frames.jsonl"), encoding: .utf8)
        for line in jsonl.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            for face in object["faces"] as! [[String: Any]] {
                // A track left out of the summaries (every reading uncertain) has no person: null here, empty there.
                let person = face["person"] is NSNull ? "" : "\(face["person"]!)"
                XCTAssertEqual(person, personOfTrack["\(face["track"]!)"])
            }
        }
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: results.appendingPathComponent("run.json")))
            as! [String: Any]
        let counts = manifest["counts"] as! [String: Any]
        XCTAssertEqual(counts["persons"] as? Int, list.count)
        XCTAssertLessThan(
            counts["faces_embedded"] as! Int, counts["faces"] as! Int / 2, "a few faces per track, not every one")
    }

    /// Two people framed alike (`CutTestMedia.twoPeopleFramedAlike`), with the picture difference left out
    /// (`end_at_cuts` off) and every frame checked: the identity checks alone end the tracks at both cuts, and the
    /// woman's two shots are one person.
    func testACheckOfWhoTheFaceIsEndsATrackAtACutBetweenTwoPeople() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let edit = try CutTestMedia.twoPeopleFramedAlike(in: folder)
        var pipeline = try TestPipelines.builtIn("interview")
        pipeline.tracking.endAtCuts = false
        pipeline.persons.checkEverySeconds = 0.1
        let results = try analyse(edit, into: folder.appendingPathComponent("out"), pipeline: pipeline)
        let rows = try Self.table(results.appendingPathComponent("frames.csv")).filter { $0["face_found"] == "1" }
        let shot = { (row: [String: String]) in Int((Double(row["time_s"]!)! + 1e-6) / 2) }
        let shotsOfTrack = Dictionary(grouping: rows, by: { $0["track"]! }).mapValues { Set($0.map(shot)) }
        XCTAssertTrue(shotsOfTrack.values.allSatisfy { $0.count == 1 }, "no track crosses a cut: \(shotsOfTrack)")
        let personOfShot = Dictionary(grouping: rows, by: shot).mapValues { Set($0.map { $0["person"]! }) }
        XCTAssertEqual(personOfShot[0], personOfShot[2], "the woman, before and after the astronaut")
        XCTAssertEqual(personOfShot[0]?.count, 1)
        XCTAssertEqual(personOfShot[1]?.count, 1)
        XCTAssertNotEqual(personOfShot[0], personOfShot[1])

        var off = pipeline
        off.persons.enabled = false
        let plain = try analyse(edit, into: folder.appendingPathComponent("plain"), pipeline: off)
        let plainRows = try Self.table(plain.appendingPathComponent("frames.csv")).filter { $0["face_found"] == "1" }
        XCTAssertTrue(
            Dictionary(grouping: plainRows, by: { $0["track"]! }).values.contains { Set($0.map(shot)).count > 1 },
            "without either check, a track crosses a cut")
    }

    /// Each frame's face nearest the centre of the picture, where every shot has its woman (640 × 480, her face
    /// centre 140 px below the crop's top, scaled twice).
    private static func centralFaces(_ rows: [[String: String]]) -> [[String: String]] {
        Dictionary(grouping: rows, by: { $0["frame"]! }).values.map { faces in
            faces.min { distanceFromCentre($0) < distanceFromCentre($1) }!
        }
    }

    private static func distanceFromCentre(_ row: [String: String]) -> Double {
        let (x, y, w, h) = (Double(row["x"]!)!, Double(row["y"]!)!, Double(row["w"]!)!, Double(row["h"]!)!)
        return hypot(x + w / 2 - 320, y + h / 2 - 280)
    }

    private static func woman(atSeconds seconds: Double) -> Int {
        CutTestMedia.sevenShotsOrder[min(6, Int((seconds + 1e-6).rounded(.down)))]
    }

    /// The share of rows whose person is their woman's most common one, and that mapping.
    private static func agreement(_ rows: [[String: String]]) -> (share: Double, personOfWoman: [Int: String]) {
        var counts: [Int: [String: Int]] = [:]
        for row in rows {
            counts[woman(atSeconds: Double(row["time_s"]!)!), default: [:]][row["person"]!, default: 0] += 1
        }
        let mapping = counts.mapValues { $0.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key }
        let right = rows.filter { mapping[woman(atSeconds: Double($0["time_s"]!)!)] == $0["person"] }.count
        return (Double(right) / Double(max(1, rows.count)), mapping)
    }

    private func analyse(_ path: String, into output: URL, pipeline: PipelineDefinition? = nil) throws -> URL {
        let batch = BatchAnalysis(
            videoPipeline: try pipeline ?? TestPipelines.builtIn("interview"),
            photoPipeline: try TestPipelines.builtIn("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        XCTAssertTrue(try batch.run(paths: [path], reporter: SilentReporter()).succeeded)
        return output.appendingPathComponent(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    private static func table(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }
}
