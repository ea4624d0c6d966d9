import MoodlineMedia
import Synchronization
import XCTest

@testable import MoodlineCore

/// `FaceFollower` against a scripted scene: each frame's first byte is its number, and both stub detectors read the
/// scene's faces for that frame from a table, the finder only within its region and with boxes drawn by another
/// convention (10% smaller, 5% lower), as BlazeFace short range draws them against full range.
final class FaceFollowerTests: XCTestCase {
    /// The faces of each frame, by frame number.
    struct Scene: Sendable {
        var faces: [Int: [Box]]

        func frameNumber(_ pixels: PixelBuffer) -> Int { Int(pixels.bytes[0]) }
    }

    /// The whole-frame detector: the scene's faces as they are.
    final class Searcher: FaceDetecting, Sendable {
        let scene: Scene
        let calls = Mutex(0)
        init(_ scene: Scene) { self.scene = scene }

        func detect(in frame: PixelBuffer) throws -> [DetectedFace] {
            calls.withLock { $0 += 1 }
            // The searcher gives a nose, which the finder does not.
            return (scene.faces[scene.frameNumber(frame)] ?? []).map {
                var face = FaceFollowerTests.face($0)
                face = DetectedFace(
                    box: face.box, score: face.score, rightEye: face.rightEye, leftEye: face.leftEye,
                    others: [.nose: Point(x: $0.centre.x, y: $0.y + 0.6 * $0.height)])
                return face
            }
        }
    }

    /// The cheap detector: faces whose centre lies in the region, boxes in its own convention.
    final class Finder: RegionFaceDetecting, Sendable {
        let scene: Scene
        let calls = Mutex(0)
        init(_ scene: Scene) { self.scene = scene }

        func detect(in frame: PixelBuffer) throws -> [DetectedFace] { [] }

        func detect(in frame: PixelBuffer, region: Box) throws -> [DetectedFace] {
            calls.withLock { $0 += 1 }
            // The finder gives an ear, which the searcher does not.
            return (scene.faces[scene.frameNumber(frame)] ?? []).filter { region.contains($0.centre) }.map {
                let face = FaceFollowerTests.face(
                    Box(
                        x: $0.x + 0.05 * $0.width, y: $0.y + 0.1 * $0.height, width: 0.9 * $0.width,
                        height: 0.9 * $0.height))
                return DetectedFace(
                    box: face.box, score: face.score, rightEye: face.rightEye, leftEye: face.leftEye,
                    others: [.rightEar: Point(x: $0.x, y: $0.centre.y)])
            }
        }
    }

    static func face(_ box: Box) -> DetectedFace {
        DetectedFace(
            box: box, score: 0.9, rightEye: Point(x: box.x + 0.3 * box.width, y: box.y + 0.4 * box.height),
            leftEye: Point(x: box.x + 0.7 * box.width, y: box.y + 0.4 * box.height))
    }

    static func frame(_ number: Int) -> PixelBuffer {
        var bytes = [UInt8](repeating: 0, count: 64 * 64 * 3)
        bytes[0] = UInt8(number)
        return PixelBuffer(width: 64, height: 64, layout: .rgb, bytes: bytes)
    }

    /// A plain grey picture's signature; `level` far from the last frame's makes a cut.
    static func signature(_ level: Float) -> FrameSignature {
        var histogram = [Float](repeating: 0, count: FrameSignature.bins)
        histogram[Int(level) * FrameSignature.bins / 256] = 1
        return FrameSignature(
            thumbnail: [Float](repeating: level, count: FrameSignature.side * FrameSignature.side),
            histogram: histogram)
    }

    /// Runs the scene's frames `0..<count` at 5 fps; `cutAt`: the frame where the picture changes.
    func run(
        _ scene: Scene, frames count: Int, cutAt: Int? = nil, searchEvery: Double = 1
    ) throws -> (steps: [FaceFollower.Step], faces: [[DetectedFace]], searcher: Searcher, finder: Finder) {
        let searcher = Searcher(scene), finder = Finder(scene)
        var follower = FaceFollower(
            searcher: searcher, finder: finder,
            settings: DetectorSettings(scheme: .follow, searchIntervalSeconds: searchEvery),
            minimumFaceSizePixels: 0, cutSettings: TrackSettings())
        var steps: [FaceFollower.Step] = [], faces: [[DetectedFace]] = []
        for number in 0..<count {
            let level: Float = cutAt.map { number >= $0 } == true ? 220 : 40
            let (found, step) = try follower.faces(
                in: Self.frame(number), scale: 1, at: Double(number) / 5, signature: Self.signature(level))
            steps.append(step)
            faces.append(found)
        }
        XCTAssertEqual(follower.searches, steps.filter { $0 == .searched }.count)
        XCTAssertEqual(follower.follows, steps.filter { $0 == .followed }.count)
        return (steps, faces, searcher, finder)
    }

    /// One face drifting right 4 px a frame.
    static let drifting = Scene(
        faces: Dictionary(
            uniqueKeysWithValues: (0..<40).map { ($0, [Box(x: 10 + 4 * Double($0), y: 20, width: 40, height: 40)]) }))

    func testAFaceIsSearchedForOnceASecondAndFollowedBetween() throws {
        let result = try run(Self.drifting, frames: 15)
        let searched = result.steps.indices.filter { result.steps[$0] == .searched }
        XCTAssertEqual(searched, [0, 5, 10], "a search at the start and every second at 5 fps")
        XCTAssertEqual(result.searcher.calls.withLock { $0 }, 3)
        // Each search also reads the face once with the finder to learn its convention; each other frame once.
        XCTAssertEqual(result.finder.calls.withLock { $0 }, 15)
        for (number, faces) in result.faces.enumerated() {
            XCTAssertEqual(faces.count, 1, "frame \(number)")
            let truth = Self.drifting.faces[number]![0]
            // Followed boxes come back in the searcher's convention.
            XCTAssertEqual(faces[0].box.intersectionOverUnion(with: truth), 1, accuracy: 1e-9, "frame \(number)")
            XCTAssertEqual(faces[0].rightEye.x, truth.x + 0.3 * truth.width, accuracy: 1e-9)
            XCTAssertEqual(faces[0].rightEye.y, truth.y + 0.4 * truth.height, accuracy: 1e-9)
            // The searcher's landmarks and no others: its nose kept in place, the finder's ear left out.
            XCTAssertEqual(Set(faces[0].landmarks.keys), [.rightEye, .leftEye, .nose], "frame \(number)")
            XCTAssertEqual(faces[0][.nose]!.y, truth.y + 0.6 * truth.height, accuracy: 1e-9)
        }
    }

    func testALostFaceIsSearchedForAtOnce() throws {
        var scene = Self.drifting
        // At frame 3 the face jumps far away (and stays): not found near where it was, so frame 3 itself is searched.
        scene.faces[3] = [Box(x: 400, y: 300, width: 40, height: 40)]
        scene.faces[4] = [Box(x: 404, y: 300, width: 40, height: 40)]
        let result = try run(scene, frames: 5)
        XCTAssertEqual(result.steps, [.searched, .followed, .followed, .searched, .followed])
        XCTAssertEqual(result.faces[3].map(\.box), [Box(x: 400, y: 300, width: 40, height: 40)])
    }

    func testAShotCutIsSearched() throws {
        let result = try run(Self.drifting, frames: 5, cutAt: 2)
        XCTAssertEqual(result.steps, [.searched, .followed, .searched, .followed, .followed])
    }

    func testAFaceThatAppearsIsFoundByTheNextSearch() throws {
        var scene = Self.drifting
        for number in 7..<15 { scene.faces[number]!.append(Box(x: 200, y: 200, width: 50, height: 50)) }
        let result = try run(scene, frames: 15)
        XCTAssertEqual(result.faces[9].count, 1, "followed frames see only the faces known")
        XCTAssertEqual(result.faces[10].count, 2, "the search a second after the last finds it")
        XCTAssertEqual(result.faces[11].count, 2, "and from then on it is followed")
        XCTAssertEqual(result.steps[11], .followed)
    }

    func testCrowdsAndEmptyFramesAreSearchedEveryFrame() throws {
        let crowd = Scene(
            faces: Dictionary(
                uniqueKeysWithValues: (0..<6).map { number in
                    (number, (0..<4).map { Box(x: 60 * Double($0), y: 10, width: 40, height: 40) })
                }))
        XCTAssertEqual(try run(crowd, frames: 6).steps, Array(repeating: .searched, count: 6))
        XCTAssertEqual(try run(Scene(faces: [:]), frames: 4).steps, Array(repeating: .searched, count: 4))
    }

    func testAGapInTimeIsSearched() throws {
        let searcher = Searcher(Self.drifting), finder = Finder(Self.drifting)
        var follower = FaceFollower(
            searcher: searcher, finder: finder, settings: DetectorSettings(scheme: .follow), minimumFaceSizePixels: 0,
            cutSettings: TrackSettings())
        let times = [0.0, 0.2, 3.0, 3.2]
        let steps = try times.enumerated().map { number, time in
            try follower.faces(in: Self.frame(number), scale: 1, at: time, signature: Self.signature(40)).step
        }
        XCTAssertEqual(steps, [.searched, .followed, .searched, .followed])
    }

    func testFacesBelowTheMinimumSizeAreNotFollowed() throws {
        let searcher = Searcher(Self.drifting), finder = Finder(Self.drifting)
        var follower = FaceFollower(
            searcher: searcher, finder: finder, settings: DetectorSettings(scheme: .follow),
            minimumFaceSizePixels: 100, cutSettings: TrackSettings())
        let (faces, _) = try follower.faces(in: Self.frame(0), scale: 2, at: 0, signature: Self.signature(40))
        XCTAssertTrue(faces.isEmpty, "40 px at scale 2 is 80 source pixels, under 100")
    }
}
