import Foundation
import Hummingbird

/// A job's progress as Server-Sent Events: a `progress` event with the job's state whenever it changes (at most
/// five a second), and a last `done` event when it has finished, after which the stream ends.
enum ProgressEvents {
    static func response(for job: AnalysisJob) -> Response {
        let body = ResponseBody { writer in
            var sent = -1
            var quiet = 0
            while true {
                let state = job.snapshot
                if state.isFinished {
                    try await writer.write(event("done", state))
                    break
                }
                if state.version != sent {
                    try await writer.write(event("progress", state))
                    sent = state.version
                    quiet = 0
                } else {
                    quiet += 1
                    // A comment now and then keeps proxies and the browser from closing an idle stream.
                    if quiet % 75 == 0 { try await writer.write(ByteBuffer(string: ": still working\n\n")) }
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    private static func event(_ name: String, _ state: JobState) -> ByteBuffer {
        var text = "event: \(name)\ndata: "
        text += String(decoding: JSONReply.encode(state), as: UTF8.self)
        text += "\n\n"
        return ByteBuffer(string: text)
    }
}
