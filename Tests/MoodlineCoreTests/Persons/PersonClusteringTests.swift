@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// Persons from segments' embeddings: synthetic 128-D embeddings with dlib-like spreads (people about 0.9 apart,
/// a person's segments about 0.3 from each other).
final class PersonClusteringTests: XCTestCase {
    private var generator = SeededGenerator(seed: 7)

    /// A random direction scaled to `length`.
    private func vector(length: Float) -> [Float] {
        var v = (0..<128).map { _ in Float.random(in: -1...1, using: &generator) }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / norm * length }
        return v
    }

    private func near(_ centre: [Float], spread: Float) -> [Float] {
        zip(centre, vector(length: spread)).map(+)
    }

    func testShotsOfThreePeopleBecomeThreePersonsNumberedByFirstAppearance() {
        let people = (0..<3).map { _ in vector(length: 0.65) } // pairwise about 0.9 apart
        // Seven shots: A, B, C, A, B, C, A, back to back.
        let order = [0, 1, 2, 0, 1, 2, 0]
        let segments = order.enumerated().map { shot, person in
            FaceSegment(
                id: shot + 1, span: Double(shot) * 10...Double(shot) * 10 + 9.8,
                embedding: near(people[person], spread: 0.2))
        }
        let ids = PersonClustering(threshold: 0.6).persons(of: segments)
        XCTAssertEqual(ids, [1, 2, 3, 1, 2, 3, 1])
    }

    /// Two faces on screen together are two people, however alike: twins in one shot, or one face found twice.
    func testSegmentsOnScreenTogetherAreNeverOnePerson() {
        let person = vector(length: 0.65)
        let segments = [
            FaceSegment(id: 1, span: 0...10, embedding: near(person, spread: 0.05)),
            FaceSegment(id: 2, span: 5...15, embedding: near(person, spread: 0.05)),
            FaceSegment(id: 3, span: 20...30, embedding: near(person, spread: 0.05)),
        ]
        let ids = PersonClustering(threshold: 0.6).persons(of: segments)
        XCTAssertNotEqual(ids[0], ids[1])
        XCTAssertTrue(ids[2] == ids[0] || ids[2] == ids[1], "the later segment joins one of them: \(ids)")
        // Nor does a group take in a segment that overlaps any of its members.
        XCTAssertEqual(Set(ids).count, 2)
    }

    /// Average linkage: a chain of segments drifting step by step from one person to another does not join the
    /// two ends, as single linkage would.
    func testAChainOfSmallStepsDoesNotJoinTwoPeople() {
        let a = vector(length: 0.65)
        let b = zip(a, vector(length: 1.6)).map(+) // far from a
        let steps = 6
        let segments = (0...steps).map { n in
            let t = Float(n) / Float(steps)
            return FaceSegment(
                id: n + 1, span: Double(n) * 10...Double(n) * 10 + 5, embedding: zip(a, b).map { $0 + ($1 - $0) * t })
        }
        // Neighbours are 1.6 / 6 ≈ 0.27 apart, the ends 1.6.
        let ids = PersonClustering(threshold: 0.6).persons(of: segments)
        XCTAssertNotEqual(ids.first, ids.last)
        XCTAssertEqual(ids.first, 1)
    }

    func testNoSegmentsGiveNoPersonsAndTheOrderOfInputDoesNotChangeTheGrouping() {
        XCTAssertEqual(PersonClustering(threshold: 0.6).persons(of: []), [])
        let people = (0..<4).map { _ in vector(length: 0.65) }
        var segments: [FaceSegment] = []
        for n in 0..<16 {
            segments.append(
                FaceSegment(
                    id: n + 1, span: Double(n)...Double(n) + 0.5, embedding: near(people[n % 4], spread: 0.2)))
        }
        let ids = PersonClustering(threshold: 0.6).persons(of: segments)
        XCTAssertEqual(ids, (0..<16).map { $0 % 4 + 1 })
        let reversed = Array(segments.reversed())
        let again = PersonClustering(threshold: 0.6).persons(of: reversed)
        XCTAssertEqual(Array(again.reversed()), ids, "same groups, numbered by first appearance")
    }
}

/// The greedy pass that replaces average linkage for very many segments.
final class GreedyPersonClusteringTests: XCTestCase {
    func testTheGreedyPassGroupsAsAverageLinkageDoesOnClearCases() {
        // Three people (embeddings near 0, 1 and 2 on one axis), each seen in turn, 600 times: 1,800 segments.
        var segments: [FaceSegment] = []
        for n in 0..<1800 {
            let who = n % 3
            let jitter = Float((n * 7919) % 100) / 1000
            segments.append(
                FaceSegment(
                    id: n, span: Double(n)...(Double(n) + 0.5), embedding: [Float(who) + jitter, 0]))
        }
        XCTAssertGreaterThan(segments.count, PersonClustering.averageLinkageLimit)
        let persons = PersonClustering(threshold: 0.6).persons(of: segments)
        XCTAssertEqual(Array(persons.prefix(6)), [1, 2, 3, 1, 2, 3])
        XCTAssertTrue(segments.indices.allSatisfy { persons[$0] == $0 % 3 + 1 })
        // Two faces on screen at once are never one person, however alike.
        let together = [
            FaceSegment(id: 0, span: 0...10, embedding: [0, 0]), FaceSegment(id: 1, span: 5...6, embedding: [0, 0]),
        ]
        XCTAssertEqual(PersonClustering(threshold: 0.6).greedyGroups(together).count, 2)
        XCTAssertNotEqual(
            PersonClustering(threshold: 0.6).greedyGroups(together)[0],
            PersonClustering(threshold: 0.6).greedyGroups(together)[1])
    }
}
