import Foundation
import NIOCore
import NIOHTTP1

/// The server's first look at each connection, in NIO's pipeline right after the HTTP decoder, before Hummingbird
/// or its WebSocket upgrade sees a request. It answers what the application never could:
///
/// - a `Host` that is not this server's (421) and, on state-changing requests and WebSocket upgrades, an `Origin`
///   or `Sec-Fetch-Site` from another site (403);
/// - a request the decoder cannot parse (400, or 431 for headers over the limits), which would otherwise only see
///   the connection drop;
/// - a client too slow to send its headers, or whose body stops arriving (408), which would otherwise hold the
///   connection, and whatever it reserved, for as long as it liked.
///
/// Each answer is JSON with the reason, `Connection: close`, and the connection is then closed. A WebSocket
/// upgrade that passes takes the gate out of the pipeline: the live socket keeps time on its own.
final class RequestGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What the gate enforces.
    struct Rules: Sendable {
        let policy: HostPolicy
        /// From the connection's start, or the end of the previous response, to a complete request head.
        let headerTimeout: TimeAmount
        /// The longest pause in a request's body.
        let bodyIdleTimeout: TimeAmount
        /// The decoder's header limits, in words, for the 431 reason.
        let headerLimits: String
    }

    private enum Phase {
        case waitingForHead, readingBody, answering, closing
    }

    private let rules: Rules
    private var phase = Phase.waitingForHead
    /// The current request's response has begun (its head went out) and not yet ended.
    private var responseStarted = false
    /// The current request's response has ended (a refusal may end it before its body is read).
    private var answered = false
    private var lastRead = NIODeadline.now()
    private var timer: Scheduled<Void>?

    init(rules: Rules) {
        self.rules = rules
    }

    func handlerAdded(context: ChannelHandlerContext) {
        waitForHead(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard phase != .closing else { return }
        lastRead = .now()
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let (status, reason) = refusal(of: head, local: context.channel.localAddress) {
                answer(context, status, reason)
                return
            }
            phase = .readingBody
            responseStarted = false
            answered = false
            watch(
                context, for: rules.bodyIdleTimeout,
                "the request's body stopped arriving (nothing for \(Self.seconds(rules.bodyIdleTimeout)))")
            context.fireChannelRead(data)
            if head.headers.contains(name: "upgrade") {
                timer?.cancel()
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        case .body:
            context.fireChannelRead(data)
        case .end:
            if answered {
                waitForHead(context)
            } else {
                // The application is working on the answer (an upload check, a progress stream): no clock runs.
                phase = .answering
                timer?.cancel()
            }
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            responseStarted = true
        case .head, .body:
            break
        case .end:
            responseStarted = false
            answered = true
            if phase == .answering { waitForHead(context) }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        switch phase {
        case .closing:
            return
        case .answering:
            // A pipelined request broke while the previous one is being answered: Hummingbird answers it after.
            context.fireErrorCaught(error)
        case .waitingForHead, .readingBody:
            if responseStarted || answered && phase == .readingBody {
                close(context)
            } else {
                let (status, reason) = MalformedRequest.answer(to: parserError, limits: rules.headerLimits)
                answer(context, status, reason)
            }
        }
    }

    /// Why a request head is refused, or nil to let it through.
    private func refusal(of head: HTTPRequestHead, local: SocketAddress?) -> (HTTPResponseStatus, String)? {
        let hosts = head.headers["host"]
        guard hosts.count == 1, let host = hosts.first else {
            return (.badRequest, "send exactly one Host header: this server's address")
        }
        guard rules.policy.allowsHost(host, local: local) else {
            return (
                .misdirectedRequest,
                "this server answers only to its own address in the Host header (a page reaching it under another name is refused)"
            )
        }
        guard head.headers.contains(name: "upgrade") || HostPolicy.changesState(head.method.rawValue) else {
            return nil
        }
        if let origin = head.headers.first(name: "origin"), !rules.policy.allowsOrigin(origin, local: local) {
            return (
                .forbidden, "requests from another web site's page are refused (Origin); use this server's own page"
            )
        }
        if let site = head.headers.first(name: "sec-fetch-site"), !HostPolicy.isOwnSite(site) {
            return (
                .forbidden,
                "requests from another web site's page are refused (Sec-Fetch-Site: \(site.prefix(20))); use this server's own page"
            )
        }
        return nil
    }

    private func waitForHead(_ context: ChannelHandlerContext) {
        phase = .waitingForHead
        lastRead = .now()
        watch(
            context, for: rules.headerTimeout,
            "the request's headers did not arrive within \(Self.seconds(rules.headerTimeout))")
    }

    /// Answers 408 with `reason` once nothing has been read for `timeout`.
    private func watch(_ context: ChannelHandlerContext, for timeout: TimeAmount, _ reason: String) {
        timer?.cancel()
        // Re-armed only when it fires early, rather than once for every chunk of an upload.
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: lastRead + timeout) { [self] in
            guard phase == .waitingForHead || phase == .readingBody else { return }
            if phase == .readingBody, NIODeadline.now() < lastRead + timeout {
                watch(context, for: timeout, reason)
            } else if responseStarted || answered {
                close(context)
            } else {
                answer(context, .requestTimeout, reason)
            }
        }
    }

    /// Sends `status` with `{"error": reason}` and closes the connection.
    private func answer(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ reason: String) {
        let body = ByteBuffer(bytes: JSONReply.encode(["error": reason]))
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", "\(body.readableBytes)"),
            ("Cache-Control", "no-store"), ("Connection", "close"),
        ])
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        close(context)
    }

    /// Closes the sending side at once, so the client reads the answer and the end, and the whole connection a
    /// moment later: closing while the client is still sending would reset it, and it could lose the answer.
    private func close(_ context: ChannelHandlerContext) {
        guard phase != .closing else { return }
        phase = .closing
        timer?.cancel()
        context.close(mode: .output, promise: nil)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            context.close(promise: nil)
        }
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        "\(amount.nanoseconds / 1_000_000_000) s"
    }
}
