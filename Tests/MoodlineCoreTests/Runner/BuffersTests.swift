import Foundation
@testable import MoodlineCore
import XCTest

/// The runner's buffers alone: feed, read, finish clean; the same items fed one at a time and all at once.
final class BuffersTests: XCTestCase {
    func testBoundedBufferDeliversEverythingInOrderAndEndsClean() {
        let buffer = BoundedBuffer<Int>(capacity: 3)
        let received = ResultBox<[Int]>()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var items: [Int] = []
            while let item = buffer.take() { items.append(item) }
            received.set(items)
            done.signal()
        }
        for i in 0..<100 { XCTAssertTrue(buffer.put(i)) }
        buffer.finish()
        done.wait()
        XCTAssertEqual(received.value, Array(0..<100))
        XCTAssertNil(buffer.take(), "nothing is left over")
    }

    func testAFullBufferBlocksItsProducer() {
        let buffer = BoundedBuffer<Int>(capacity: 2)
        buffer.put(1)
        buffer.put(2)
        let third = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            buffer.put(3)
            third.signal()
        }
        XCTAssertEqual(third.wait(timeout: .now() + 0.2), .timedOut, "the producer must wait while the buffer is full")
        XCTAssertEqual(buffer.take(), 1)
        XCTAssertEqual(third.wait(timeout: .now() + 5), .success)
        buffer.finish()
        XCTAssertEqual(buffer.take(), 2)
        XCTAssertEqual(buffer.take(), 3)
        XCTAssertNil(buffer.take())
    }

    func testCancelReleasesBothSides() {
        let buffer = BoundedBuffer<Int>(capacity: 1)
        buffer.put(1)
        let released = DispatchSemaphore(value: 0)
        let accepted = ResultBox<Bool>()
        DispatchQueue.global().async {
            accepted.set(buffer.put(2))
            released.signal()
        }
        buffer.cancel()
        XCTAssertEqual(released.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(accepted.value, false)
        XCTAssertNil(buffer.take())
    }

    /// A taken frame must be freed at once: the buffer holds only what is waiting (memory stays flat).
    func testBoundedBufferKeepsNoReferenceToTakenItems() {
        final class Payload: Sendable {}
        let buffer = BoundedBuffer<Payload>(capacity: 4)
        weak var taken: Payload?
        func passOneThrough() {
            let item = Payload()
            taken = item
            buffer.put(item)
            XCTAssertNotNil(buffer.take())
        }
        for _ in 0..<3 {
            passOneThrough()
            XCTAssertNil(taken, "the buffer still references an item it handed out")
        }
    }

    func testReorderBufferPutsOutOfOrderResultsBackInOrder() {
        let buffer = ReorderBuffer<String>(capacity: 8)
        for i in [3, 1, 0, 2, 5, 4] { XCTAssertTrue(buffer.put("item \(i)", sequence: i)) }
        buffer.finish(count: 6)
        var out: [String] = []
        while let item = buffer.take() { out.append(item) }
        XCTAssertEqual(out, (0..<6).map { "item \($0)" })
    }

    func testReorderBufferFromConcurrentWorkersMatchesSerialFeeding() {
        let buffer = ReorderBuffer<Int>(capacity: 4)
        let count = 200
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: count) { i in
                buffer.put(i * i, sequence: i)
            }
            buffer.finish(count: count)
        }
        var out: [Int] = []
        while let item = buffer.take() { out.append(item) }
        XCTAssertEqual(out, (0..<count).map { $0 * $0 })
    }
}
