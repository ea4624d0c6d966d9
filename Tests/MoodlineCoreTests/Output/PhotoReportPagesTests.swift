import Foundation
import MoodlineTestSupport
import XCTest

@testable import MoodlineCore

/// A photo set's report split into pages, from its fragments read as a stream.
final class PhotoReportPagesTests: XCTestCase {
    private func card(_ n: Int) -> String { "<figure class=\"photo\" data-file=\"p\(n).jpg\">p\(n)</figure>" }

    private func fragments(photos: Int, withoutFace: Int, failed: Int) -> [String] {
        (0..<photos).map { "P2 " + card($0) } + (0..<withoutFace).map { "N <li>empty\($0).jpg</li>" }
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
