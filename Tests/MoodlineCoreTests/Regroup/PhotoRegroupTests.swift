import Foundation
@testable import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// `moodline regroup` on a photo set: regrouped at another distance from the kept embeddings, or by an edited
/// `persons.csv`, the folder ends as an analysis with that grouping writes it; a table that puts two faces of one
/// photo into one person is refused, naming the file, and nothing changes.
final class PhotoRegroupTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    /// Seven crops of one group photo (its people in every photo): analysed at 0.6 (the same people across photos
    /// are one person each) and at 0 (every face its own person). Regrouped at 0, the first folder equals the
    /// second; its persons.csv edited back to the first analysis's persons, it equals the first again.
    func testRegroupingAPhotoSetEqualsAnAnalysisWithThatGrouping() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 7)
        let grouped = try analyse(folder, into: base.appendingPathComponent("a"), distance: nil)
        let apart = try analyse(folder, into: base.appendingPathComponent("b"), distance: 0)
        let original = try XCTUnwrap(bytes(grouped.appendingPathComponent("persons.csv")))
        let personsBefore = try counts(grouped)["persons"] ?? 0
        XCTAssertGreaterThan(personsBefore, 1)
        XCTAssertGreaterThan(try counts(apart)["persons"] ?? 0, personsBefore)

        let outcome = try Regrouping.regroup(folder: grouped.path, by: .distance(0))
        XCTAssertEqual(outcome.personsBefore, personsBefore)
        XCTAssertEqual(outcome.persons, try counts(apart)["persons"])
        try assertSameOutputs(grouped, apart)
        XCTAssertEqual(try counts(grouped), try counts(apart))

        // By hand: the first analysis's table, written back over the regrouped one.
        try original.write(to: grouped.appendingPathComponent("persons.csv"))
        let back = try Regrouping.regroup(folder: grouped.path)
        XCTAssertEqual(back.persons, personsBefore)
        let reference = try analyse(folder, into: base.appendingPathComponent("c"), distance: nil)
        try assertSameOutputs(grouped, reference, except: ["face_embeddings.jsonl"])
        let manifest = try json(grouped.appendingPathComponent("run.json"))
        XCTAssertEqual(manifest["regrouped_by"] as? String, "table persons.csv")
    }

    /// Two faces of one photo in one person cannot be: refused naming the file and the faces; nothing changes. A
    /// face number the set does not have is refused too.
    func testATableThatPutsTwoFacesOfOnePhotoInOnePersonIsRefused() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 2)
        let output = try analyse(folder, into: base.appendingPathComponent("a"), distance: nil, embeddings: false)
        let table = output.appendingPathComponent("persons.csv")
        let before = try XCTUnwrap(bytes(output.appendingPathComponent("frames.csv")))
        var lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(lines.count, 3, "faces of two photos")
        let pristine = lines
        let file = lines[1].split(separator: ",")[1]
        let second = try XCTUnwrap(lines.indices.dropFirst(2).first { lines[$0].split(separator: ",")[1] == file })
        lines[second] =
            lines[second].split(separator: ",").dropLast().joined(separator: ",") + ","
            + lines[1].split(separator: ",").last!
        try (lines.joined(separator: "\n") + "\n").write(to: table, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Regrouping.regroup(folder: output.path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(table.path) && text.contains("in one photo (\(file))"), text)
        }
        XCTAssertEqual(bytes(output.appendingPathComponent("frames.csv")), before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("run.json").path))

        try "face_number,file,face,person\n999,x.jpg,0,1\n".write(to: table, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Regrouping.regroup(folder: output.path)) { error in
            XCTAssertTrue("\(error)".contains("face 999 is not among the set's"), "\(error)")
        }
        // Without the run's embeddings, another distance cannot be.
        XCTAssertThrowsError(try Regrouping.regroup(folder: output.path, by: .distance(0.5)))

        // One face taken out of its person (an empty cell): its row loses its person, the others keep theirs.
        let emptyBefore = try emptyPersonCells(output)
        lines = pristine
        lines[1] =
            lines[1].split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") + ","
        try (lines.joined(separator: "\n") + "\n").write(to: table, atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try Regrouping.regroup(folder: output.path))
        XCTAssertEqual(try emptyPersonCells(output), emptyBefore + 1)
    }

    /// How many face rows of frames.csv have no person.
    private func emptyPersonCells(_ folder: URL) throws -> Int {
        let rows = try String(contentsOf: folder.appendingPathComponent("frames.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let person = try XCTUnwrap(rows[0].firstIndex(of: "person"))
        let face = try XCTUnwrap(rows[0].firstIndex(of: "face"))
        return rows.dropFirst().filter { !$0[face].isEmpty && $0[person].isEmpty }.count
    }

    private func analyse(_ folder: URL, into output: URL, distance: Double?, embeddings: Bool = true) throws -> URL {
        var photos = try pipeline("photos")
        if embeddings { photos.outputs.formats.append(.faceEmbeddings) }
        if let distance { photos.persons.samePersonDistance = distance }
        XCTAssertTrue(try batch(output, photos: photos).run(paths: [folder.path], reporter: SilentReporter()).succeeded)
        return output.appendingPathComponent("event")
    }

    private func assertSameOutputs(_ a: URL, _ b: URL, except: Set<String> = [], line: UInt = #line) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: b.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(
            Set(try FileManager.default.contentsOfDirectory(atPath: a.path).filter { !$0.hasPrefix(".") }), Set(names),
            line: line)
        for name in names where name != "run.json" && !except.contains(name) {
            XCTAssertTrue(
                bytes(a.appendingPathComponent(name)) == bytes(b.appendingPathComponent(name)), "\(name) differs",
                line: line)
        }
    }

    private func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try XCTUnwrap(bytes(url))) as! [String: Any]
    }

    private func counts(_ folder: URL) throws -> [String: Int] {
        try json(folder.appendingPathComponent("run.json"))["counts"] as! [String: Int]
    }
}
