import Foundation
import Hummingbird

/// A job's progress as Server-Sent Events: a `progress` event with the job's state each time it changes, and a
/// last `done` event when it has finished, after which the stream ends. The job publishes its changes
/// (`AnalysisJob.updates`); nothing here looks for them.
enum ProgressEvents {
    /// What the stream writes next.
    private enum Event: Sendable {
        case state(JobState)
        /// A comment in a quiet stretch, which keeps proxies and the browser from closing an idle stream.
        case keepAlive
    }

    /// Seconds without a change after which a keep-alive comment is sent.
    static let keepAliveSeconds = 15

    static func response(for job: AnalysisJob) -> Response {
        let body = ResponseBody { writer in
            let (events, sink) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(8))
            let changes = Task {
                for await state in job.updates() { sink.yield(.state(state)) }
                sink.finish()
            }
            // A timer for the connection's sake, not a poll: the job's state only ever arrives as an event.
            let keepAlive = Task {
                while (try? await Task.sleep(for: .seconds(ProgressEvents.keepAliveSeconds))) != nil {
                    sink.yield(.keepAlive)
                }
            }
            defer {
                changes.cancel()
                keepAlive.cancel()
            }
            for await event in events {
                switch event {
                case .state(let state) where state.isFinished:
                    try await writer.write(Self.event("done", state))
                case .state(let state):
                    try await writer.write(Self.event("progress", state))
                case .keepAlive:
                    try await writer.write(ByteBuffer(string: ": still working\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    private static func event(_ name: String, _ state: JobState) -> ByteBuffer {
        var text = "event: \(name)\ndata: "
        text += String(decoding: JSONReply.encode(state), as: UTF8.self)
        text += "\n\n"
        return ByteBuffer(string: text)
    }
}
