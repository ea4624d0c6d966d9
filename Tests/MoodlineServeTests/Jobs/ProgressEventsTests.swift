import Foundation
import Hummingbird
import HummingbirdTesting
@testable import MoodlineServe
import MoodlineTestSupport
import XCTest

/// Progress and shutdown as events: a job publishes each change of its state, the events endpoint forwards them
/// and ends with the finished state, and stopping the server waits for the running jobs to end, not for a clock.
final class ProgressEventsTests: XCTestCase {
    func testAJobPublishesEachChangeThenEndsItsStreamsWhenFinished() async throws {
        let job = AnalysisJob(
            id: "0123456789abcdef", folder: "/nonexistent",
            inputs: [JobInput(path: "/nonexistent/a.jpg", name: "a.jpg")])
        var changes = job.updates().makeAsyncIterator()
        let first = await changes.next()
        XCTAssertEqual(first?.status, .queued, "a watcher starts with the state as it is")
        job.update { state in
            state.status = .running
            state.framesDone = 3
        }
        let second = await changes.next()
        XCTAssertEqual(second?.framesDone, 3)
        XCTAssertEqual(second?.version, 1)
        job.update { $0.status = .done }
        let last = await changes.next()
        XCTAssertEqual(last?.status, .done)
        let end = await changes.next()
        XCTAssertNil(end, "the stream ends with the finished state")

        // A watcher that comes after the end gets the finished state, and the end.
        var late = job.updates().makeAsyncIterator()
        let lateState = await late.next()
        XCTAssertEqual(lateState?.status, .done)
        let lateEnd = await late.next()
        XCTAssertNil(lateEnd)
    }

    func testTheEventsEndpointSendsProgressThenOneDoneEventAndEnds() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let server = try ServeHarness.server(in: folder)
        let video = try ServeHarness.file(TestMedia.fixture("nobframes.mp4"))
        try await server.makeApplication().test(.router) { client in
            let id = try await client.submit([(name: "clip.mp4", data: video)])
            let text = try await client.events(of: id)
            let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty && !$0.hasPrefix(":") }
            XCTAssertGreaterThanOrEqual(events.count, 2, text)
            XCTAssertTrue(events.dropLast().allSatisfy { $0.hasPrefix("event: progress\ndata: ") }, text)
            let done = try XCTUnwrap(events.last)
            XCTAssertTrue(done.hasPrefix("event: done\ndata: "), text)
            let json = Data(done.dropFirst("event: done\ndata: ".count).utf8)
            let finished = try JSONDecoder().decode(JobState.self, from: json)
            XCTAssertEqual(finished.status, .done)
            let state = try await client.state(of: id)
            XCTAssertEqual(finished, state, "the done event carries the job's final state")
            XCTAssertGreaterThan(state.framesDone, 0)

            // Asked for again once finished: the done event alone.
            let again = try await client.events(of: id)
            XCTAssertTrue(again.hasPrefix("event: done\n"), again)
        }
    }

    func testStoppingTheJobsWaitsForTheRunningOneToFinishItsOutputs() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let server = try ServeHarness.server(in: folder)
        let clock = ContinuousClock()
        let idle = await clock.measure { await server.stopJobs(waitingUpToSeconds: 60) }
        XCTAssertLessThan(idle, .seconds(1), "nothing running: no wait")

        let video = try ServeHarness.file(TestMedia.pexels)
        try await server.makeApplication().test(.router) { client in
            let id = try await client.submit([(name: "interview.mp4", data: video)])
            // Under way: the job's own events say when its first frames are analysed.
            let job = try XCTUnwrap(server.queue.job(id))
            for await state in job.updates() where state.framesDone > 0 || state.isFinished { break }
            let waited = await clock.measure { await server.stopJobs(waitingUpToSeconds: 60) }
            XCTAssertLessThan(waited, .seconds(50), "woken by the job's end, not the deadline")
            let state = try await client.state(of: id)
            XCTAssertEqual(state.status, .stopped, "\(state)")
            let input = try XCTUnwrap(state.inputs.first)
            XCTAssertEqual(input.name, "interview.mp4")
            XCTAssertTrue(
                input.files.contains { $0.hasSuffix("/frames.csv") },
                "what was analysed is written out: \(input.files)")
        }
    }
}
