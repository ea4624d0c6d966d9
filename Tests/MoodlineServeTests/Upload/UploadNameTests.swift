import Foundation
import MoodlineTestSupport
import XCTest

@testable import MoodlineServe

/// The names uploads are stored under, the names shown back, and the file names read from request headers:
/// hostile names included, and thousands of random ones, none of which may produce a name that leaves its folder.
final class UploadNameTests: XCTestCase {
    private let safe = try! NSRegularExpression(pattern: #"^[0-9]+-[A-Za-z0-9_-]{1,48}\.[a-z0-9]+$"#)

    private func isSafe(_ name: String) -> Bool {
        safe.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }

    func testStoredNamesKeepLettersAndDigitsOfTheLastComponent() {
        XCTAssertEqual(
            UploadName.stored(original: "WolfgangLanger_Pexels.mp4", number: 1), "1-WolfgangLanger_Pexels.mp4")
        XCTAssertEqual(UploadName.stored(original: "../../etc/passwd.JPG", number: 2), "2-passwd.jpg")
        XCTAssertEqual(
            UploadName.stored(original: "C:\\Users\\me\\Interview 3 (final).MOV", number: 3), "3-Interview_3__final.mov"
        )
        XCTAssertEqual(UploadName.stored(original: ".hidden.png", number: 4), "4-hidden.png", "no hidden files")
        XCTAssertEqual(UploadName.stored(original: "....jpg", number: 4), "4-upload.jpg")
        XCTAssertEqual(UploadName.stored(original: "Ünïcødé 😀.webm", number: 5), "5-n_c_d.webm")
        XCTAssertNil(UploadName.stored(original: "notes.txt", number: 1))
        XCTAssertNil(UploadName.stored(original: "video", number: 1), "no extension, no kind")
        XCTAssertNil(UploadName.stored(original: "../../", number: 1))
        XCTAssertNil(UploadName.stored(original: "clip.mp4/..", number: 1))
    }

    func testRandomNamesAreStoredSafelyOrRefused() {
        var random = SeededGenerator(seed: 11)
        let alphabet = Array("./\\\0\n\r\"'% ~-_aZ9…é😀") + ["mp4", "jpg", "..", "/etc/", ".png"].flatMap { Array($0) }
        var stored = 0
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...40, using: &random)
            var name = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            if Bool.random(using: &random) {
                name += [".mp4", ".JPG", ".png", ".txt", ""].randomElement(using: &random)!
            }
            guard let result = UploadName.stored(original: name, number: 7) else { continue }
            stored += 1
            XCTAssertTrue(isSafe(result), "\(name.debugDescription) -> \(result)")
            XCTAssertFalse(UploadName.display(name).contains("/"), name.debugDescription)
            XCTAssertFalse(
                UploadName.display(name).unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) })
        }
        XCTAssertGreaterThan(stored, 500, "enough names were accepted for the check to mean something")
    }

    func testFileNamesFromContentDisposition() {
        XCTAssertEqual(ContentDisposition.fileName(in: #"form-data; name="file"; filename="clip.mp4""#), "clip.mp4")
        XCTAssertEqual(
            ContentDisposition.fileName(in: #"form-data; name="file"; filename="a \"quoted\" name.jpg""#),
            #"a "quoted" name.jpg"#)
        XCTAssertEqual(
            ContentDisposition.fileName(in: "form-data; name=\"file\"; filename*=UTF-8''%C3%A9t%C3%A9.png"), "été.png")
        XCTAssertEqual(ContentDisposition.fileName(in: "form-data; name=file; filename=bare.jpg; x=1"), "bare.jpg")
        XCTAssertNil(ContentDisposition.fileName(in: #"form-data; name="comment""#), "a form field, not a file")
        XCTAssertNil(ContentDisposition.fileName(in: #"form-data; filename="never closed"#))
    }

    func testBoundaries() {
        XCTAssertEqual(UploadReceiver.boundary(of: "multipart/form-data; boundary=abc"), "abc")
        XCTAssertEqual(UploadReceiver.boundary(of: #"Multipart/Form-Data; charset=utf-8; boundary="x y""#), "x y")
        XCTAssertNil(UploadReceiver.boundary(of: "multipart/form-data"))
        XCTAssertNil(UploadReceiver.boundary(of: "multipart/form-data; boundary=" + String(repeating: "b", count: 71)))
        XCTAssertNil(UploadReceiver.boundary(of: "application/json; boundary=abc"))
    }

    func testServerPathsStayInsideTheAllowedFolder() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let root = folder.appendingPathComponent("root")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("inner"), withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("inner/a.jpg"))
        try Data().write(to: folder.appendingPathComponent("outside.jpg"))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("link").path, withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("loop").path,
            withDestinationPath: root.appendingPathComponent("loop").path)
        let real = try XCTUnwrap(
            realpath(root.path, nil).map { pointer in
                defer { free(pointer) }; return String(cString: pointer)
            })
        XCTAssertEqual(try ServerPath.resolve("inner/a.jpg", inside: root.path), real + "/inner/a.jpg")
        XCTAssertEqual(try ServerPath.resolve("inner/../inner/a.jpg", inside: root.path), real + "/inner/a.jpg")
        XCTAssertEqual(try ServerPath.resolve(real + "/inner", inside: root.path), real + "/inner")
        for (path, status) in [
            ("../outside.jpg", 403), ("link/outside.jpg", 403), ("/etc/passwd", 403), ("loop", 404), ("nope.jpg", 404),
            ("inner/../../outside.jpg", 403),
        ] {
            XCTAssertThrowsError(try ServerPath.resolve(path, inside: root.path), path) { error in
                XCTAssertEqual((error as? Refusal)?.status.code, status, "\(path): \(error)")
            }
        }
        // A sibling whose name starts with the root's is not inside it.
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("root2"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try ServerPath.resolve("../root2", inside: root.path))
    }
}
