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
    private func render(_ page: URL, fragment: String? = nil) throws -> (dom: String, console: [String]) {
        try XCTSkipUnless(
            FileManager.default.isExecutableFile(atPath: chromium),
            "Chromium is not installed (scripts/install-system-packages.sh --checks)")
        let result = try TestProcess.run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + page.deletingLastPathComponent().appendingPathComponent(".chromium").path,
                "--dump-dom", page.absoluteString + (fragment.map { "#" + $0 } ?? ""),
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
        // One panel per person: the woman, on one track.
        XCTAssertEqual(count("<section class=\"track person\"", in: dom), 1)
        XCTAssertTrue(dom.contains("data-person=\"1\" data-tracks=\"1\""))
        XCTAssertTrue(dom.contains("<h3>Person 1 <span class=\"subject\">main subject</span></h3>"))
        XCTAssertTrue(dom.contains("data-subject=\"true\""))
        XCTAssertEqual(count("<path class=\"area\"", in: dom), 7, "one stacked area per emotion")
        XCTAssertEqual(count("<rect class=\"episode\"", in: dom), 3, "sad, fear, happy")
        XCTAssertTrue(dom.contains("<svg class=\"coverage\""))
        XCTAssertTrue(dom.contains("<img class=\"face\"") && dom.contains("src=\"data:image/bmp;base64,"))
        XCTAssertTrue(dom.contains("99 frames sampled, 99 faces, 1 tracks"))
        // The probability scale on the stacked area.
        XCTAssertEqual(count("<text class=\"scale\"", in: dom), 3, "0, 0.5 and 1")
        // Each episode with the face where its emotion read strongest, inside the episode (give or take a stretch).
        let episodes = try NSRegularExpression(
            pattern:
                "<figure class=\"episode-face\"[^>]*><img[^>]*><figcaption>(\\w+) ([0-9:.]+)–([0-9:.]+)<br><small>peak [0-9.]+; face at ([0-9:.]+)</small>"
        )
        let found = episodes.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).map { match in
            (1...4).map { (dom as NSString).substring(with: match.range(at: $0)) }
        }
        XCTAssertEqual(found.map { $0[0] }, ["sad", "fear", "happy"])
        func seconds(_ clock: String) -> Double {
            clock.split(separator: ":").reduce(0) { $0 * 60 + Double($1)! }
        }
        for episode in found {
            XCTAssertGreaterThanOrEqual(seconds(episode[3]), seconds(episode[1]) - 2, "\(episode)")
            XCTAssertLessThanOrEqual(seconds(episode[3]), seconds(episode[2]) + 2, "\(episode)")
        }
        // Why the chart has fewer readings than the track has faces.
        let shown = try XCTUnwrap(
            try NSRegularExpression(pattern: "(\\d+) of 99 faces: (\\d+) uncertain reading\\(s\\)").firstMatch(
                in: dom, range: NSRange(dom.startIndex..., in: dom)), "the chart says why it has fewer readings")
        let charted = Int((dom as NSString).substring(with: shown.range(at: 1)))!
        let uncertain = Int((dom as NSString).substring(with: shown.range(at: 2)))!
        XCTAssertEqual(charted + uncertain, 99)
        XCTAssertGreaterThan(uncertain, 0)
        // Links to every data file written beside it, which exist.
        let links = try NSRegularExpression(pattern: "<p class=\"data\">.*?</p>").firstMatch(
            in: dom, range: NSRange(dom.startIndex..., in: dom)
        ).map { (dom as NSString).substring(with: $0.range) }
        let hrefs = try NSRegularExpression(pattern: "href=\"([^\"]+)\"").matches(
            in: links ?? "", range: NSRange((links ?? "").startIndex..., in: links ?? "")
        ).map { ((links ?? "") as NSString).substring(with: $0.range(at: 1)) }
        XCTAssertTrue(
            hrefs.contains("frames.csv") && hrefs.contains("episodes.eaf") && hrefs.contains("run.json"), "\(hrefs)")
        for href in hrefs {
            XCTAssertTrue(
                FileManager.default.fileExists(
                    atPath: page.deletingLastPathComponent().appendingPathComponent(href).path),
                href)
        }

        // The batch's index links the report.
        let index = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("href=\"WolfgangLanger_Pexels/report.html\""))
    }

    func testPhotoReportShowsEveryFaceOnItsPhotoAndTheFilesThatFailed() throws {
        let folder = try TestMedia.temporaryFolder(for: self).appendingPathComponent("shoot")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: folder.appendingPathComponent("group.jpg").path)
        try Data("not a photo".utf8).write(to: folder.appendingPathComponent("broken <b>.jpg"))
        // A picture with no face in it: a flat grey PNG.
        try TestProcess.run(
            "/usr/bin/ffmpeg",
            [
                "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240", "-frames:v", "1",
                folder.appendingPathComponent("wall.png").path,
            ])
        let load = { (name: String) in try TestPipelines.builtIn(name) }
        let output = try TestMedia.temporaryFolder(for: self)
        let batch = BatchAnalysis(
            videoPipeline: try load("interview"), photoPipeline: try load("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        _ = try batch.run(paths: [folder.path], reporter: SilentReporter())
        let (dom, console) = try render(output.appendingPathComponent("shoot/report.html"))
        XCTAssertEqual(console, [])
        // The group photo as a colour JPEG thumbnail, with its five faces' boxes drawn over it.
        XCTAssertEqual(count("<figure class=\"photo\"", in: dom), 1)
        XCTAssertEqual(count("class=\"box", in: dom), 5)
        XCTAssertEqual(count("src=\"data:image/jpeg;base64,", in: dom), 1)
        XCTAssertFalse(dom.contains("image/bmp"))
        // Files without a face by name, and the ones that failed.
        XCTAssertTrue(dom.contains("Photos without a face (1)"))
        XCTAssertTrue(dom.contains("<li>wall.png</li>"))
        XCTAssertTrue(dom.contains("Files that failed (1)"))
        // The hostile name is shown as text, not markup.
        XCTAssertTrue(dom.contains("broken &lt;b&gt;.jpg"))
        XCTAssertFalse(dom.contains("broken <b>.jpg"))
    }

    /// The sheet sorts and filters in the browser, from the choice in the address (so a view can be bookmarked):
    /// "photos with a happy face, most happy first" orders and hides the cards by their readings.
    func testPhotoSheetSortsAndFiltersByEmotion() throws {
        let folder = try TestMedia.temporaryFolder(for: self).appendingPathComponent("event")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The group photo whole, its right half (first in file order, read a little differently), and the astronaut
        // (one smiling face), so "most happy" orders them otherwise than by name.
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: folder.appendingPathComponent("b_whole.jpg").path)
        let crop = try TestProcess.run(
            "/usr/bin/ffmpeg",
            [
                "-v", "error", "-i", TestMedia.multiFace, "-vf", "crop=500:667:500:0", "-q:v", "2",
                folder.appendingPathComponent("a_right.jpg").path,
            ])
        XCTAssertEqual(crop.status, 0, crop.errors)
        try FileManager.default.copyItem(
            atPath: TestMedia.astronaut, toPath: folder.appendingPathComponent("c_astronaut.png").path)
        let output = try analyse([folder.path])
        let page = output.appendingPathComponent("event/report.html")
        let source = try String(contentsOf: page, encoding: .utf8)
        // What each card says of itself, in file order.
        let cards = try NSRegularExpression(
            pattern:
                "<figure class=\"photo\" data-file=\"([^\"]+)\" data-faces=\"\\d+\" data-labels=\"([^\"]*)\"[^>]* data-happy=\"([0-9.]+)\""
        )
        let found = cards.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { match in
            (1...3).map { (source as NSString).substring(with: match.range(at: $0)) }
        }
        XCTAssertEqual(found.map { $0[0] }, ["a_right.jpg", "b_whole.jpg", "c_astronaut.png"])
        let expectedHappy = found.filter { $0[1].split(separator: " ").contains("happy") }
            .sorted { (Double($0[2])!, $1[0]) > (Double($1[2])!, $0[0]) }.map { $0[0] }
        let happyInFileOrder = found.filter { $0[1].split(separator: " ").contains("happy") }.map { $0[0] }
        XCTAssertGreaterThanOrEqual(expectedHappy.count, 2)
        XCTAssertNotEqual(expectedHappy, happyInFileOrder, "the readings order the photos otherwise than their names")

        let (dom, console) = try render(page, fragment: "show=happy&sort=happy")
        XCTAssertEqual(console, [])
        let rendered = try NSRegularExpression(pattern: "<figure class=\"photo\" data-file=\"([^\"]+)\"([^>]*)>")
        let order = rendered.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).map { match in
            (
                (dom as NSString).substring(with: match.range(at: 1)),
                (dom as NSString).substring(with: match.range(at: 2)).contains(" hidden")
            )
        }
        XCTAssertEqual(order.filter { !$0.1 }.map(\.0), expectedHappy, "happy photos, most happy first")
        XCTAssertEqual(order.count, 3, "the others are hidden, not removed")
        XCTAssertTrue(dom.contains("\(expectedHappy.count) of 3 shown"))
    }

    /// With persons, each face is labelled with its person, and `#person=N` shows every photo of person N (here the
    /// astronaut, in two photos of three) and hides the others; the choice is offered with each person's photo count.
    func testPhotoSheetShowsEveryPhotoOfOnePerson() throws {
        let folder = try TestMedia.temporaryFolder(for: self).appendingPathComponent("party")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: folder.appendingPathComponent("a_group.jpg").path)
        try FileManager.default.copyItem(
            atPath: TestMedia.astronaut, toPath: folder.appendingPathComponent("b_astronaut.png").path)
        let small = try TestProcess.run(
            "/usr/bin/ffmpeg",
            [
                "-v", "error", "-i", TestMedia.astronaut, "-vf", "scale=300:300",
                folder.appendingPathComponent("c_small.jpg").path,
            ])
        XCTAssertEqual(small.status, 0, small.errors)
        let output = try analyse([folder.path])
        let rows = try String(contentsOf: output.appendingPathComponent("party/frames.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = try XCTUnwrap(rows[0].firstIndex(of: "person"))
        let personOf = { (file: String) in rows.dropFirst().filter { $0[0] == file }.map { $0[column] } }
        let astronaut = try XCTUnwrap(personOf("b_astronaut.png").first)
        XCTAssertEqual(personOf("c_small.jpg"), [astronaut], "the astronaut twice is one person")
        XCTAssertFalse(personOf("a_group.jpg").contains(astronaut))

        let page = output.appendingPathComponent("party/report.html")
        let source = try String(contentsOf: page, encoding: .utf8)
        XCTAssertTrue(source.contains("<option value=\"\(astronaut)\">person \(astronaut) (2 photos)</option>"))
        XCTAssertTrue(source.contains(">P\(astronaut) "), "the astronaut's face is labelled with her person")
        XCTAssertFalse(source.contains("&P;") || source.contains("&PS;"), "every marker filled in")
        let (dom, console) = try render(page, fragment: "person=\(astronaut)")
        XCTAssertEqual(console, [])
        let rendered = try NSRegularExpression(pattern: "<figure class=\"photo\" data-file=\"([^\"]+)\"([^>]*)>")
        let visible = rendered.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).filter {
            !(dom as NSString).substring(with: $0.range(at: 2)).contains(" hidden")
        }.map { (dom as NSString).substring(with: $0.range(at: 1)) }
        XCTAssertEqual(visible, ["b_astronaut.png", "c_small.jpg"])
        XCTAssertTrue(dom.contains("2 of 3 shown"))
    }
}
