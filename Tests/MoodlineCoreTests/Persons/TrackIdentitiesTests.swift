import Foundation
import MoodlineMedia
import MoodlineTestSupport
import XCTest

@testable import MoodlineCore

/// An embedder whose descriptor is the chip's first byte, scaled: chips 1 apart in that byte are 0.1 apart.
private struct FirstByteEmbedder: FaceEmbedding {
    var chipSize: Int { 2 }
    var descriptorLength: Int { 2 }
    func embed(chips: [PixelBuffer]) -> [[Float]] { chips.map { [Float($0.bytes[0]) / 10, 0] } }
}

/// Identity checks as the ordered stages make them: when a track's face is embedded, when a check means another
/// person, and how a restarted track carries on; and persons made of the tracks.
final class TrackIdentitiesTests: XCTestCase {
    private func face(_ who: UInt8, certain: Bool = true, x: Double = 100) -> AnalysedFace {
        let box = Box(x: x, y: 100, width: 80, height: 80)
        let detection = DetectedFace(
            box: box, score: 0.9, rightEye: Point(x: x + 24, y: 130), leftEye: Point(x: x + 56, y: 130))
        // A clear face: a confident reading of a striped (sharp) crop. An uncertain one: no leaning, a flat crop.
        var probabilities = [Float](repeating: certain ? 0.1 / 6 : 1.0 / 7, count: 7)
        if certain { probabilities[Emotion.happy.index] = 0.9 }
        let scores = EmotionScores(probabilities: probabilities)
        let crop = PixelBuffer(
            width: 48, height: 48, layout: .grey,
            bytes: (0..<(48 * 48)).map { certain ? ($0 % 2 == 0 ? 0 : 255) : 128 })
        return AnalysedFace(
            detection: detection, cropToSource: .identity, scores: scores,
            quality: FaceQuality(face: detection, crop: crop, scores: scores, settings: QualitySettings()),
            chip: PixelBuffer(width: 2, height: 2, layout: .grey, bytes: [who, 0, 0, 0]))
    }

    func testATrackIsCheckedFirstThenEverySoOftenAndOnASuspiciousFrame() {
        var identities = TrackIdentities(
            settings: PersonSettings(checkEverySeconds: 2), embedder: FirstByteEmbedder())
        _ = identities.check([face(10)], trackIDs: [1], frameIndex: 0, at: 0, suspicious: false)
        XCTAssertEqual(identities.embedded, 1, "a new track is checked at once")
        _ = identities.check([face(10)], trackIDs: [1], frameIndex: 1, at: 1, suspicious: false)
        XCTAssertEqual(identities.embedded, 1, "not again before 2 s")
        _ = identities.check([face(10)], trackIDs: [1], frameIndex: 2, at: 1.2, suspicious: true)
        XCTAssertEqual(identities.embedded, 2, "a frame that changed much is checked")
        _ = identities.check([face(10)], trackIDs: [1], frameIndex: 3, at: 3.2, suspicious: false)
        XCTAssertEqual(identities.embedded, 3)
    }

    func testAFaceFarFromItsTracksEmbeddingIsAnotherPerson() {
        var identities = TrackIdentities(
            settings: PersonSettings(splitDistance: 0.7, checkEverySeconds: 1), embedder: FirstByteEmbedder())
        _ = identities.check([face(10)], trackIDs: [1], frameIndex: 0, at: 0, suspicious: false)
        // 0.5 apart: the same person, seen a little differently; 0.8 apart: someone else.
        XCTAssertTrue(identities.check([face(15)], trackIDs: [1], frameIndex: 1, at: 1, suspicious: false).isEmpty)
        let others = identities.check(
            [face(10), face(20, x: 300)], trackIDs: [1, 1], frameIndex: 2, at: 2, suspicious: true)
        XCTAssertEqual(others.map(\.face), [1])
        XCTAssertEqual(others.first?.embedding, [2, 0])
        // The track's embedding is the mean of its checks that agreed.
        XCTAssertEqual(identities.embedding(of: 1)?[0] ?? 0, (1.0 + 1.5 + 1.0) / 3, accuracy: 1e-6)
    }

    func testAClearFaceReplacesTheUncertainOnesATrackStartedWith() {
        var identities = TrackIdentities(
            settings: PersonSettings(splitDistance: 10, checkEverySeconds: 1), embedder: FirstByteEmbedder())
        _ = identities.check([face(40, certain: false)], trackIDs: [1], frameIndex: 0, at: 0, suspicious: false)
        _ = identities.check([face(20)], trackIDs: [1], frameIndex: 5, at: 1, suspicious: false)
        _ = identities.check([face(44, certain: false)], trackIDs: [1], frameIndex: 10, at: 2, suspicious: false)
        XCTAssertEqual(identities.embedding(of: 1), [2, 0], "only the clear face counts")
        XCTAssertEqual(identities.sighting(of: 1)?.frameIndex, 5)

        // Far from the blurred start, the first clear face does not split the track: it replaces what it had.
        var strict = TrackIdentities(
            settings: PersonSettings(splitDistance: 0.6, checkEverySeconds: 1), embedder: FirstByteEmbedder())
        _ = strict.check([face(40, certain: false)], trackIDs: [1], frameIndex: 0, at: 0, suspicious: false)
        XCTAssertTrue(strict.check([face(20)], trackIDs: [1], frameIndex: 5, at: 1, suspicious: false).isEmpty)
        XCTAssertEqual(strict.embedding(of: 1), [2, 0])
    }

    func testARestartedTrackGetsANewIDAndKeepsItsBox() {
        var tracker = TrackAssigner(settings: TrackSettings())
        let box = Box(x: 100, y: 100, width: 80, height: 80)
        XCTAssertEqual(tracker.assign([box], at: 0), [1])
        XCTAssertEqual(tracker.restart(1), 2)
        XCTAssertNil(tracker.restart(7), "no such live track")
        XCTAssertEqual(tracker.assign([box], at: 0.2), [2], "the box goes on under the new ID")
        XCTAssertEqual(tracker.takeEnded(), [1])
    }

    func testTracksOfOnePersonAreGroupedAndNumberedByFirstAppearance() {
        var identities = TrackIdentities(settings: PersonSettings(), embedder: FirstByteEmbedder())
        // Tracks 1 and 3 are one person (0.2 apart), track 2 another (3.0 away), each at its own time.
        for (id, who, at) in [(1, UInt8(10), 0.0), (2, 40, 5), (3, 12, 10)] {
            _ = identities.check([face(who)], trackIDs: [id], frameIndex: id, at: at, suspicious: false)
        }
        let tracks = [(1, 0.0, 4.0), (2, 5.0, 9.0), (3, 10.0, 12.0)].map { id, first, last in
            TrackSummary(
                id: id, firstSeconds: first, lastSeconds: last, framesSeen: 10,
                meanProbabilities: EmotionScores(probabilities: [Float](repeating: 1.0 / 7, count: 7)),
                timeShare: [0, 0, 0, 1, 0, 0, 0], screenSeconds: last - first,
                meanBox: Box(x: 0, y: 0, width: 10, height: 10), timeline: [])
        }
        let table = PersonTable(tracks: tracks, identities: identities, settings: PersonSettings())
        XCTAssertEqual(table.personOfTrack, [1: 1, 2: 2, 3: 1])
        XCTAssertEqual(table.persons.map(\.tracks), [[1, 3], [2]])
        XCTAssertEqual(table.persons[0].screenSeconds, 6)
        XCTAssertEqual(table.persons[0].framesShown, 20, "10 frames seen on each of two tracks")
        XCTAssertEqual(table.persons[0].share(ofFrames: 40), 0.5)
        let counted = PersonTable(
            tracks: tracks, identities: identities, settings: PersonSettings(), facesOfTrack: [1: 12, 3: 1])
        XCTAssertEqual(counted.persons[0].framesShown, 13, "every face of the tracks, uncertain ones too")
        XCTAssertEqual(table.persons[0].representative?.frameIndex, 1, "from the longer of the two tracks")
        let alone = PersonTable(tracks: tracks, identities: nil, settings: PersonSettings())
        XCTAssertEqual(alone.personOfTrack, [1: 1, 2: 2, 3: 3], "without embeddings, a track is a person")
    }

    func testAJumpBelowTheCutThresholdIsFlagged() {
        var detector = ShotCutDetector(threshold: 0.35, ratio: 3)
        for _ in 0..<5 { XCTAssertFalse(detector.decide(difference: 0.002)) }
        XCTAssertFalse(detector.decide(difference: 0.02))
        XCTAssertTrue(detector.lastWasJump, "ten times the shot's median, above the floor")
        XCTAssertFalse(detector.decide(difference: 0.004))
        XCTAssertFalse(detector.lastWasJump)
        XCTAssertTrue(detector.decide(difference: 0.6))
        XCTAssertFalse(detector.lastWasJump, "a cut is not a jump")
    }
}

/// The staged rows of a per-frame table come back with their persons filled in, whatever their text holds.
final class PersonColumnRowsTests: XCTestCase {
    func testStagedRowsGetTheirPersonsAtCommit() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let rows = try PersonColumnRows(folder: folder.path, name: "t.csv", staged: true, unknown: "", live: false)
        try rows.write("a,person,b\n")
        try rows.write(prefix: "1,", track: 5, suffix: ",x\n")
        try rows.write(prefix: "\"odd\nname 3 4\",", track: nil, suffix: ",y\n")
        try rows.write(pieces: ["[", ",", "]\n"], tracks: [6, 99])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("t.csv").path))
        try rows.commit { [5: 1, 6: 2][$0] }
        XCTAssertEqual(
            try String(contentsOf: folder.appendingPathComponent("t.csv"), encoding: .utf8),
            "a,person,b\n1,1,x\n\"odd\nname 3 4\",,y\n[2,]\n")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path), ["t.csv"], "the staging file is gone")
    }

    func testDamagedStagedRowsFailTheCommitRatherThanTrap() throws {
        for damage in ["99999999999999999999 1 2\n", "1 5 -3 2\nab", "1 5 2 2\nab", "0 4\nabcd0 1"] {
            let folder = try TestMedia.temporaryFolder(for: self)
            let rows = try PersonColumnRows(folder: folder.path, name: "t.csv", staged: true, unknown: "", live: false)
            try rows.write(prefix: "x,", track: 1, suffix: "\n")
            // Bytes written behind the class's back, as a damaged disk or another process might leave them.
            let staged = try XCTUnwrap(
                FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.contains(".rows.") })
            try rows.flush()
            let handle = try XCTUnwrap(FileHandle(forWritingAtPath: folder.appendingPathComponent(staged).path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(damage.utf8))
            try handle.close()
            XCTAssertThrowsError(try rows.commit { _ in 1 }, damage)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("t.csv").path))
        }
    }

    func testDirectRowsAreFinalAsWritten() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let rows = try PersonColumnRows(
            folder: folder.path, name: "t.jsonl", staged: false, unknown: "null", live: false)
        try rows.write(prefix: "{\"person\":", track: 3, suffix: "}\n")
        try rows.commit { _ in 1 }
        XCTAssertEqual(
            try String(contentsOf: folder.appendingPathComponent("t.jsonl"), encoding: .utf8), "{\"person\":null}\n")
    }
}
