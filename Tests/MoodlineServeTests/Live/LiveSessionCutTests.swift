import Foundation
import MoodlineCore
import MoodlineMedia
@testable import MoodlineServe
import MoodlineTestSupport
import XCTest

/// A live camera session ends its tracks at a shot cut as a video does: a camera turned from one person to another
/// framed alike gets a new face number.
final class LiveSessionCutTests: XCTestCase {
    /// A 640 × 480 JPEG of the woman whose face is centred at `centre` in the group photo, framed alike for each.
    private func portrait(_ centre: (Int, Int), in folder: URL, name: String) throws -> [UInt8] {
        let file = folder.appendingPathComponent(name)
        try TestProcess.ffmpeg([
            "-i", TestMedia.multiFace, "-vf", "crop=320:240:\(centre.0 - 160):\(centre.1 - 140),scale=640:480",
            "-frames:v", "1", file.path,
        ])
        return [UInt8](try Data(contentsOf: file))
    }

    private func session(_ tracking: TrackSettings) throws -> LiveSession {
        let definition = try TestPipelines.builtIn("interview")
        return try LiveSession(
            analyzer: FrameAnalyzer(definition: definition, models: ModelStore(folder: TestMedia.weights)),
            tracking: tracking, maximumSide: 1920, pictures: PictureMemoryBudget(capacityBytes: 64 << 20))
    }

    /// The track number of the largest face in each frame.
    private func mainTracks(_ frames: [[UInt8]], _ session: LiveSession) async -> [Int?] {
        var tracks: [Int?] = []
        for bytes in frames {
            let result = await session.analyse(bytes, dropped: 0)
            tracks.append(result.faces.max { $0.box[2] < $1.box[2] }?.track)
        }
        return tracks
    }

    /// The live page loads no face embedder and cuts no chips (a camera groups no persons), though the server's
    /// video pipeline groups persons.
    func testTheLivePageLoadsNoFaceEmbedder() throws {
        let server = try ServeHarness.server(in: try TestMedia.temporaryFolder(for: self))
        let analyzer = try server.live.analyzer()
        XCTAssertNil(analyzer.embedder)
        XCTAssertTrue(server.live.definition.groupsTrackPersons)
        XCTAssertEqual(server.live.definition, try TestPipelines.builtIn("interview"))
    }

    func testACutToAnotherPersonFramedAlikeGivesANewFaceNumber() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let first = try portrait((575, 377), in: folder, name: "first.jpg")
        let second = try portrait((724, 357), in: folder, name: "second.jpg")
        let frames = [first, first, second, second]
        let tracking = try TestPipelines.builtIn("interview").tracking
        let tracks = await mainTracks(frames, try session(tracking))
        XCTAssertNotNil(tracks[0])
        XCTAssertEqual(tracks[0], tracks[1])
        XCTAssertEqual(tracks[2], tracks[3])
        XCTAssertNotEqual(tracks[1], tracks[2], "\(tracks)")
        // Without cuts, the second woman took the first one's number.
        var noCuts = tracking
        noCuts.endAtCuts = false
        let plain = await mainTracks(frames, try session(noCuts))
        XCTAssertEqual(Set(plain.compactMap { $0 }).count, 1, "\(plain)")
    }
}
