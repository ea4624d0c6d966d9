import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest

final class InputPlannerTests: XCTestCase {
    func testPhotosOfAFolderShareOneInputAndVideosGetTheirOwn() throws {
        let root = try TestMedia.temporaryFolder(for: self).appendingPathComponent("party")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("late"), withIntermediateDirectories: true)
        for name in ["a.jpg", "late/b.png", "speech.mp4", "readme.txt"] {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent(name).path, contents: Data("x".utf8))
        }
        let (inputs, missing) = InputPlanner.plan([root.path, "/no/such/thing.mov"])
        XCTAssertEqual(missing.map(\.path), ["/no/such/thing.mov"])
        XCTAssertEqual(inputs.map(\.outputName), ["party", "speech"])
        guard case .photos(let folder, let files, let skipped) = inputs[0].kind else { return XCTFail("expected photos") }
        XCTAssertEqual(folder, root.path)
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["a.jpg", "b.png"])
        XCTAssertEqual(skipped.map { ($0.path as NSString).lastPathComponent }, ["readme.txt"])
        XCTAssertTrue(inputs[1].isVideo)
    }

    func testInputsWithTheSameNameGetDistinctOutputFolders() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        var paths: [String] = []
        for folder in ["one", "two", "three"] {
            try FileManager.default.createDirectory(at: base.appendingPathComponent(folder), withIntermediateDirectories: true)
            let path = base.appendingPathComponent("\(folder)/clip.mp4").path
            _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
            paths.append(path)
        }
        XCTAssertEqual(InputPlanner.plan(paths).inputs.map(\.outputName), ["clip", "clip-2", "clip-3"])
    }
}
