import Foundation
import XCTest

/// Paths to the repository's samples and this target's fixtures, found from this file's location.
public enum TestMedia {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let samples = repositoryRoot.appendingPathComponent("Samples")
    public static let fixtures = repositoryRoot.appendingPathComponent("Tests/MoodlineMediaTests/Fixtures")

    public static var pexels: String { samples.appendingPathComponent("WolfgangLanger_Pexels.mp4").path }
    public static var multiFace: String { samples.appendingPathComponent("multi_face.jpg").path }
    public static var astronaut: String { samples.appendingPathComponent("astronaut.png").path }
    public static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    public static var weights: String { repositoryRoot.appendingPathComponent("Weights").path }

    /// A fixture of another test target, e.g. `golden("MoodlineCoreTests", "detections.json")`.
    public static func golden(_ target: String, _ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/\(target)/Fixtures/\(name)")
    }

    /// A JSON fixture decoded as `T`.
    public static func json<T: Decodable>(_ type: T.Type, _ target: String, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: golden(target, name)))
    }

    /// A fresh temporary folder, removed when the test ends.
    public static func temporaryFolder(for test: XCTestCase) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moodline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }
}
