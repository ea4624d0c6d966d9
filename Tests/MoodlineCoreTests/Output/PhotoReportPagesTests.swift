import Foundation
import MoodlineTestSupport
import XCTest

@testable import MoodlineCore

/// A photo set's report split into pages, from its fragments read as a stream.
final class PhotoReportPagesTests: XCTestCase {
    private func card(_ n: Int) -> String { "<figure class=\"photo\" data-file=\"p\(n).jpg\">p\(n)</figure>" }

    private func fragments(photos: Int, withoutFace: Int, failed: Int) -> [String] {
        (0..<photos).map { "P2 -,- " + card($0) } + (0..<withoutFace).map { "N <li>empty\($0).jpg</li>" }
            + (0..<failed).map { "X <li>bad\($0).jpg: not a picture</li>" }
    }

    private func pages(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("report") }.sorted()
    }

    private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    func testALargeSetIsSplitIntoLinkedPagesAndTheListsAreOnTheFirst() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let per = PhotoReportPages.photosPerPage
        let lines = fragments(photos: 2 * per + 50, withoutFace: 3, failed: 2)
        let file = folder.appendingPathComponent("fragments")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        // A page an earlier, larger run left.
        try "old".write(to: folder.appendingPathComponent("report-4.html"), atomically: true, encoding: .utf8)
        let writer = PhotoReportPages(folder: folder.path, title: "t", header: "<h1>set</h1>")
        XCTAssertEqual(try writer.write { TextFileLines(path: file.path, chunkBytes: 97) }, 3)
        XCTAssertEqual(try pages(in: folder), ["report-2.html", "report-3.html", "report.html"])
        let first = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        let second = try String(contentsOf: folder.appendingPathComponent("report-2.html"), encoding: .utf8)
        let third = try String(contentsOf: folder.appendingPathComponent("report-3.html"), encoding: .utf8)
        XCTAssertEqual(count("<figure class=\"photo\"", in: first), per)
        XCTAssertEqual(count("<figure class=\"photo\"", in: second), per)
        XCTAssertEqual(count("<figure class=\"photo\"", in: third), 50)
        XCTAssertTrue(first.contains(card(0)) && second.contains(card(per)) && third.contains(card(2 * per + 49)))
        for (n, page) in [first, second, third].enumerated() {
            XCTAssertTrue(page.contains("<h1>set</h1>"), "every page has the header")
            XCTAssertTrue(page.contains("Page \(n + 1) of 3"))
            XCTAssertTrue(page.contains("\(2 * (2 * per + 50)) face(s) in \(2 * per + 50) photo(s)"))
        }
        XCTAssertTrue(first.contains("<a href=\"report-2.html\">2</a>") && first.contains("<b>1</b>"))
        XCTAssertTrue(third.contains("<a href=\"report.html\">1</a>"))
        XCTAssertTrue(first.contains("Photos without a face (3)") && first.contains("<li>empty2.jpg</li>"))
        XCTAssertTrue(first.contains("Files that failed (2)"))
        XCTAssertFalse(second.contains("Photos without a face"), "the lists are on the first page only")

        // A rerun with a smaller set leaves one page and no stale ones.
        let small = folder.appendingPathComponent("small")
        try (fragments(photos: 5, withoutFace: 0, failed: 0).joined(separator: "\n")).write(
            to: small, atomically: true, encoding: .utf8)
        XCTAssertEqual(try writer.write { TextFileLines(path: small.path) }, 1)
        XCTAssertEqual(try pages(in: folder), ["report.html"])
        let only = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertFalse(only.contains("Page 1 of"), "a single page has no page links")
        XCTAssertEqual(count("<figure class=\"photo\"", in: only), 5, "the last line counts without its newline")
    }

    /// With persons, each face's key becomes its person in the card, and the person filter offers each person with
    /// their photo count and pages, those in most photos first.
    func testPersonsAreFilledInAndOfferedWithTheirPages() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let per = PhotoReportPages.photosPerPage
        let card = { (n: Int) in
            "<figure class=\"photo\" data-file=\"p\(n).jpg\" data-persons=\"&PS;\"><span>&P;happy</span><span>&P;sad</span></figure>"
        }
        // Photo n's faces are keys 2n+1 and 2n+2; key k is person k (mod 7) + 1, but for key 2 (no person).
        let lines = (0..<(per + 10)).map { "P2 \(2 * $0 + 1),\(2 * $0 + 2) " + card($0) }
        let person = { (key: Int) in key == 2 ? nil : key % 7 + 1 }
        let writer = PhotoReportPages(folder: folder.path, title: "t", header: "")
        XCTAssertEqual(try writer.write(person: person) { lines }, 2)
        let first = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(
            first.contains("data-file=\"p0.jpg\" data-persons=\"2\"><span>P2 happy</span><span>sad</span>"), "keys 1, 2"
        )
        XCTAssertTrue(
            first.contains("data-file=\"p1.jpg\" data-persons=\"4 5\"><span>P4 happy</span><span>P5 sad</span>"))
        XCTAssertFalse(first.contains("&P;") || first.contains("&PS;"))
        // 210 photos, 419 faces with persons over 7 persons: each in 59 to 61 photos, on both pages.
        let options = try NSRegularExpression(
            pattern: "<option value=\"(\\d+)\">person \\d+ \\((\\d+) photos; pages 1, 2\\)")
        let offered = options.matches(in: first, range: NSRange(first.startIndex..., in: first)).map {
            (
                Int((first as NSString).substring(with: $0.range(at: 1)))!,
                Int((first as NSString).substring(with: $0.range(at: 2)))!
            )
        }
        XCTAssertEqual(offered.count, 7)
        XCTAssertEqual(offered.map(\.1), offered.map(\.1).sorted(by: >), "most photos first")
        XCTAssertEqual(
            offered.map(\.1).reduce(0, +), 2 * (per + 10) - 1, "each photo counted once for each person in it")
    }

    /// The further pages are named so that `run.json`, the server and merge know them.
    func testFurtherPagesAreNamedAndRecognised() {
        XCTAssertEqual(PhotoReportPages.extraFileNames(pages: 1), [])
        XCTAssertEqual(PhotoReportPages.extraFileNames(pages: 3), ["report-2.html", "report-3.html"])
        for name in ["report-2.html", "report-17.html"] { XCTAssertTrue(PhotoReportPages.isExtraPage(name), name) }
        for name in ["report.html", "report-1.html", "report-.html", "report-x.html", "report-2.htm", "index.html"] {
            XCTAssertFalse(PhotoReportPages.isExtraPage(name), name)
        }
    }

    /// Lines are read in chunks, whatever their length against the chunk's.
    func testLinesAreReadWholeAcrossChunks() throws {
        let file = try TestMedia.temporaryFolder(for: self).appendingPathComponent("lines")
        let lines = (0..<300).map { String(repeating: "x", count: $0 % 37) + "\($0)" }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        for chunk in [1, 7, 64, 1 << 16] {
            XCTAssertEqual(Array(TextFileLines(path: file.path, chunkBytes: chunk)), lines, "chunk \(chunk)")
        }
        XCTAssertEqual(Array(TextFileLines(path: file.path + ".missing")), [])
    }
}
