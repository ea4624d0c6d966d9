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
        for file in ["z.jpg", "B.png", "a/deeper/clip.MP4", "a/one.mov", "b/photo.jpeg", ".secret.jpg",
                     ".hidden/inside.jpg", "notes.txt", "b/data.csv"] {
            _ = manager.createFile(atPath: root.appendingPathComponent(file).path, contents: Data("x".utf8))
        }
        let found = InputDiscovery.discover([root.path])
        XCTAssertEqual(found.files.map { String($0.path.dropFirst(root.path.count + 1)) },
                       ["B.png", "a/deeper/clip.MP4", "a/one.mov", "b/photo.jpeg", "z.jpg"])
        XCTAssertEqual(found.files.map(\.kind), [.photo, .video, .video, .photo, .photo])
        XCTAssertTrue(found.files.allSatisfy { $0.folder == root.path })
        XCTAssertEqual(found.skipped.map { String($0.path.dropFirst(root.path.count + 1)) }, ["b/data.csv", "notes.txt"])
        XCTAssertTrue(found.skipped.allSatisfy { $0.reason == "not a video or image file extension" })
    }

    func testNamedFilesAreKeptAndMissingPathsReported() {
        let missing = "/no/such/place.mp4"
        let found = InputDiscovery.discover([TestMedia.pexels, missing, TestMedia.samples.appendingPathComponent("README.md").path])
        XCTAssertEqual(found.files.map(\.path), [TestMedia.pexels, TestMedia.samples.appendingPathComponent("README.md").path])
        XCTAssertEqual(found.files.first?.kind, .video)
        XCTAssertNil(found.files.last?.kind, "a file named directly is kept; FFmpeg decides")
        XCTAssertEqual(found.skipped, [SkippedPath(path: missing, reason: "no such file or folder", isError: true)])
    }
}
