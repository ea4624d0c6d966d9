import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest

final class InputDiscoveryTests: XCTestCase {
    func testFolderWalkIsRecursiveSortedAndSkipsHiddenAndNonMedia() throws {
        let root = try TestMedia.temporaryFolder(for: self)
        let manager = FileManager.default
        for folder in ["b", "a/deeper", ".hidden"] {
            try manager.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in [
            "z.jpg", "B.png", "a/deeper/clip.MP4", "a/one.mov", "b/photo.jpeg", ".secret.jpg",
            ".hidden/inside.jpg", "notes.txt", "b/data.csv",
        ] {
            _ = manager.createFile(atPath: root.appendingPathComponent(file).path, contents: Data("x".utf8))
        }
        let found = InputDiscovery.discover([root.path])
        XCTAssertEqual(
            found.files.map { String($0.path.dropFirst(root.path.count + 1)) },
            ["B.png", "a/deeper/clip.MP4", "a/one.mov", "b/photo.jpeg", "z.jpg"])
        XCTAssertEqual(found.files.map(\.kind), [.photo, .video, .video, .photo, .photo])
        XCTAssertTrue(found.files.allSatisfy { $0.folder == root.path })
        XCTAssertEqual(
            found.skipped.map { String($0.path.dropFirst(root.path.count + 1)) }, ["b/data.csv", "notes.txt"])
        XCTAssertTrue(found.skipped.allSatisfy { $0.reason == "not a video or image file extension" })
    }

    func testNamedFilesAreKeptAndMissingPathsReported() {
        let missing = "/no/such/place.mp4"
        let found = InputDiscovery.discover([
            TestMedia.pexels, missing, TestMedia.samples.appendingPathComponent("README.md").path,
        ])
        XCTAssertEqual(
            found.files.map(\.path), [TestMedia.pexels, TestMedia.samples.appendingPathComponent("README.md").path])
        XCTAssertEqual(found.files.first?.kind, .video)
        XCTAssertNil(found.files.last?.kind, "a file named directly is kept; FFmpeg decides")
        XCTAssertEqual(found.skipped, [SkippedPath(path: missing, reason: "no such file or folder", isError: true)])
    }

    func testAConfinedWalkSkipsAndReportsWhatLeadsOutsideTheRoot() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let manager = FileManager.default
        let root = base.appendingPathComponent("root"), outside = base.appendingPathComponent("outside")
        for folder in [root.appendingPathComponent("album/inner"), outside.appendingPathComponent("more")] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        for file in [
            root.appendingPathComponent("album/a.jpg"), root.appendingPathComponent("album/inner/b.jpg"),
            outside.appendingPathComponent("secret.jpg"), outside.appendingPathComponent("more/c.jpg"),
        ] {
            _ = manager.createFile(atPath: file.path, contents: Data("x".utf8))
        }
        let album = root.appendingPathComponent("album")
        try manager.createSymbolicLink(
            atPath: album.appendingPathComponent("secret.jpg").path,
            withDestinationPath: outside.appendingPathComponent("secret.jpg").path)
        try manager.createSymbolicLink(
            atPath: album.appendingPathComponent("more").path,
            withDestinationPath: outside.appendingPathComponent("more").path)
        try manager.createSymbolicLink(
            atPath: album.appendingPathComponent("same.jpg").path, withDestinationPath: "inner/b.jpg")

        let free = InputDiscovery.discover([album.path])
        XCTAssertEqual(free.files.count, 4, "unconfined (the command line), links are followed wherever they lead")

        let confined = InputDiscovery.discover(
            [album.path, outside.appendingPathComponent("secret.jpg").path], confinedTo: root.path)
        XCTAssertEqual(
            confined.files.map { String($0.path.dropFirst(album.path.count + 1)) }, ["a.jpg", "inner/b.jpg"])
        let outsides = confined.skipped.filter { $0.reason == InputDiscovery.outsideReason }
        XCTAssertEqual(
            outsides.map { ($0.path as NSString).lastPathComponent }.sorted(), ["more", "secret.jpg", "secret.jpg"])
        XCTAssertTrue(outsides.allSatisfy(\.isError), "reported, never dropped in silence")
        XCTAssertTrue(
            confined.skipped.contains { $0.path.hasSuffix("same.jpg") },
            "a link inside the root is the same file, analysed once")
    }
}
