import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// The HTML report as a person sees it: rendered by headless Chromium (Debian's), with assertions on the DOM
/// after rendering and on the browser's console.
final class ReportTests: XCTestCase {
    private let chromium = "/usr/bin/chromium"

    override func setUp() {
        BLAS.setThreads(1)
    }

    private func analyse(_ paths: [String]) throws -> URL {
        let output = try TestMedia.temporaryFolder(for: self)
        let load = { (name: String) in try TestPipelines.builtIn(name) }
        let batch = BatchAnalysis(
            videoPipeline: try load("interview"), photoPipeline: try load("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        XCTAssertTrue(try batch.run(paths: paths, reporter: SilentReporter()).succeeded)
        return output
    }

    /// The DOM after rendering, and the console messages Chromium logged.
    private func render(_ page: URL) throws -> (dom: String, console: [String]) {
        try XCTSkipUnless(
            FileManager.default.isExecutableFile(atPath: chromium),
            "Chromium is not installed (scripts/install-system-packages.sh --checks)")
        let result = try TestProcess.run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + page.deletingLastPathComponent().appendingPathComponent(".chromium").path,
                "--dump-dom", page.absoluteString,
            ])
        XCTAssertEqual(result.status, 0, result.errors)
        return (result.output, result.errors.split(separator: "\n").filter { $0.contains("CONSOLE") }.map(String.init))
    }

    private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    func testVideoReportRendersTracksPlotsAndEpisodesWithNoConsoleErrors() throws {
        let output = try analyse([TestMedia.pexels])
        let page = output.appendingPathComponent("WolfgangLanger_Pexels/report.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        // Self-contained: nothing is fetched from the network.
        XCTAssertFalse(
            html.contains("http://") || html.contains("https://") || html.contains("<script"),
            "the report must work offline")
        let (dom, console) = try render(page)
        XCTAssertEqual(console, [], "console messages: \(console)")
        XCTAssertEqual(count("<section class=\"track\"", in: dom), 1)
        XCTAssertTrue(dom.contains("data-subject=\"true\""))
        XCTAssertEqual(count("<path class=\"area\"", in: dom), 7, "one stacked area per emotion")
        XCTAssertEqual(count("<rect class=\"episode\"", in: dom), 3, "sad, fear, happy")
        XCTAssertTrue(dom.contains("<svg class=\"coverage\""))
        XCTAssertTrue(dom.contains("<img class=\"face\"") && dom.contains("src=\"data:image/bmp;base64,"))
        XCTAssertTrue(dom.contains("99 frames sampled, 99 faces, 1 tracks"))

        // The batch's index links the report.
        let index = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("href=\"WolfgangLanger_Pexels/report.html\""))
    }

    func testPhotoReportShowsEveryFaceAndTheFilesThatFailed() throws {
        let folder = try TestMedia.temporaryFolder(for: self).appendingPathComponent("shoot")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: folder.appendingPathComponent("group.jpg").path)
        try Data("not a photo".utf8).write(to: folder.appendingPathComponent("broken <b>.jpg"))
        let load = { (name: String) in try TestPipelines.builtIn(name) }
        let output = try TestMedia.temporaryFolder(for: self)
        let batch = BatchAnalysis(
            videoPipeline: try load("interview"), photoPipeline: try load("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        _ = try batch.run(paths: [folder.path], reporter: SilentReporter())
        let (dom, console) = try render(output.appendingPathComponent("shoot/report.html"))
        XCTAssertEqual(console, [])
        XCTAssertEqual(count("<figure class=\"photo-face\"", in: dom), 5)
        XCTAssertTrue(dom.contains("Files that failed (1)"))
        // The hostile name is shown as text, not markup.
        XCTAssertTrue(dom.contains("broken &lt;b&gt;.jpg"))
        XCTAssertFalse(dom.contains("broken <b>.jpg"))
    }
}
