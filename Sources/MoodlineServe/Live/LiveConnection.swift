import Foundation
import HummingbirdWebSocket
import MoodlineCore
import NIOCore

/// One live page's WebSocket: each binary message is a JPEG or PNG frame, each reply a JSON result. A frame that
/// comes sooner than the frame-rate limit allows is dropped, answered with `{"dropped": N}` (the count so far);
/// a text message or a picture that cannot be read gets an error reply, and the connection goes on.
struct LiveConnection {
    let analyzers: LiveAnalyzers
    let settings: ServeSettings

    /// What the page is told when it connects.
    private struct Hello: Encodable {
        let emotions: [String]
        /// The report's colour for each emotion, so that the live page matches it.
        let colours: [String]
        let maximumFramesPerSecond: Double
        let maximumMessageBytes: Int
        /// The time constant of the page's chart smoothing: the pipeline's `smoothing.causalTimeConstant` (0: none).
        let smoothingSeconds: Double

        enum CodingKeys: String, CodingKey {
            case emotions, colours
            case maximumFramesPerSecond = "max_fps"
            case maximumMessageBytes = "max_message_bytes"
            case smoothingSeconds = "smoothing_s"
        }
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        guard analyzers.enter() else {
            try await outbound.close(
                .policyViolation,
                reason: "\(analyzers.limit) live cameras are connected already; close one and try again")
            return
        }
        let slot = LiveAnalyzers.Slot(of: analyzers)
        defer { slot.release() }
        let session: LiveSession
        do {
            session = try LiveSession(
                analyzer: analyzers.analyzer(), tracking: analyzers.definition.tracking,
                maximumSide: settings.maximumLiveSide,
                pictures: analyzers.pictures)
        } catch {
            try await send(["error": "the models could not be loaded: \(error)"], to: outbound)
            try await outbound.close(.unexpectedServerError, reason: "models unavailable")
            return
        }
        try await send(
            [
                "hello": Hello(
                    emotions: Emotion.allCases.map(\.rawValue), colours: Emotion.allCases.map(\.chartColour),
                    maximumFramesPerSecond: settings.liveFramesPerSecond,
                    maximumMessageBytes: settings.maximumLiveMessageBytes,
                    smoothingSeconds: analyzers.definition.smoothing.causalTimeConstant)
            ], to: outbound)
        let activity = LiveActivity()
        // Whichever ends first ends the other: the page closing, or the idle timer closing the page.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await receive(inbound: inbound, outbound: outbound, session: session, activity: activity)
            }
            group.addTask { try await closeWhenIdle(outbound: outbound, activity: activity, slot: slot) }
            try await group.next()
            group.cancelAll()
        }
    }

    private func receive(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, session: LiveSession,
        activity: LiveActivity
    ) async throws {
        let clock = ContinuousClock()
        let interval = Duration.seconds(1 / settings.liveFramesPerSecond)
        var lastTaken: ContinuousClock.Instant?
        var dropped = 0
        for try await message in inbound.messages(maxSize: settings.maximumLiveMessageBytes) {
            activity.touch(busy: true)
            defer { activity.touch(busy: false) }
            switch message {
            case .text:
                try await send(
                    ["error": "send each camera frame as one binary message: a JPEG or PNG picture"], to: outbound)
            case .binary(var buffer):
                let now = clock.now
                if let lastTaken, now - lastTaken < interval {
                    // Answered all the same, so that a page waiting for each reply before it sends again goes on.
                    dropped += 1
                    try await send(["dropped": dropped], to: outbound)
                    continue
                }
                lastTaken = now
                let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                let result = await session.analyse(bytes, dropped: dropped)
                try await send(result, to: outbound)
            }
        }
    }

    /// Closes the connection (1008, with the reason) once no message has come for `liveIdleSeconds`, so that an
    /// idle page, or one that never sends, does not hold a camera slot. The slot is given back before the close is
    /// sent, so a page that reconnects on the close finds it free (the connection itself may take longer to end).
    private func closeWhenIdle(
        outbound: WebSocketOutboundWriter, activity: LiveActivity, slot: LiveAnalyzers.Slot
    ) async throws {
        let limit = Duration.seconds(settings.liveIdleSeconds)
        while true {
            let idle = activity.idle
            if idle >= limit {
                let seconds = String(format: "%g", settings.liveIdleSeconds)
                slot.release()
                try await outbound.close(
                    .policyViolation,
                    reason: "no frame for \(seconds) s; closed to free the camera slot (reload to reconnect)")
                return
            }
            try await Task.sleep(for: limit - idle)
        }
    }

    private func send<Value: Encodable>(_ value: Value, to outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(String(decoding: JSONReply.encode(value), as: UTF8.self)))
    }
}
