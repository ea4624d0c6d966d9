import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest

final class InputPlannerTests: XCTestCase {
    func testPhotosOfAFolderShareOneInputAndVideosGetTheirOwn() throws {
        let root = try TestMedia.temporaryFolder(for: self).appendingPathComponent("party")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("late"), withIntermediateDirectories: true)
        for name in ["a.jpg", "late/b.png", "speech.mp4", "readme.txt"] {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent(name).path, contents: Data("x".utf8))
        }
        let plan = InputPlanner.plan([root.path, "/no/such/thing.mov"])
        let inputs = plan.inputs
        XCTAssertEqual(plan.problems.map(\.path), ["/no/such/thing.mov"])
        XCTAssertEqual(inputs.map(\.outputName), ["party", "speech"])
        guard let photos = inputs[0].source as? PhotoSetInput,
            case let (folder, files, skipped) = (photos.root, photos.files, photos.skipped)
        else { return XCTFail("expected photos") }
        XCTAssertEqual(folder, root.path)
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["a.jpg", "b.png"])
        XCTAssertEqual(skipped.map { ($0.path as NSString).lastPathComponent }, ["readme.txt"])
        XCTAssertFalse(inputs[1].traits.isPhotoSet)
    }

    func testInputsWithTheSameNameGetDistinctOutputFolders() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        var paths: [String] = []
        for folder in ["one", "two", "three"] {
            try FileManager.default.createDirectory(
                at: base.appendingPathComponent(folder), withIntermediateDirectories: true)
            let path = base.appendingPathComponent("\(folder)/clip.mp4").path
            _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
            paths.append(path)
        }
        // Each gets a tag from its own absolute path: distinct, and the same in any order or company.
        let names = InputPlanner.plan(paths).inputs.map(\.outputName)
        XCTAssertEqual(Set(names).count, 3)
        XCTAssertTrue(names.allSatisfy { $0.hasPrefix("clip-") && $0.count == "clip-".count + 8 }, "\(names)")
        XCTAssertEqual(InputPlanner.plan(paths.reversed()).inputs.map(\.outputName), names.reversed())
        XCTAssertEqual(InputPlanner.plan([paths[0], paths[2]]).inputs.map(\.outputName), [names[0], names[2]])
        XCTAssertEqual(InputPlanner.plan([paths[1]]).inputs.map(\.outputName), ["clip"], "a name used once stays plain")
    }
}
