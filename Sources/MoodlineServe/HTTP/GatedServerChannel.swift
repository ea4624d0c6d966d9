import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1.1 channel with WebSocket upgrade, with the `RequestGate` put into each connection's
/// pipeline right after the HTTP decoder, where it sees parser errors and request heads before anything else.
struct GatedServerChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let inner: HTTP1WebSocketUpgradeChannel
    let rules: RequestGate.Rules

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { [rules] value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(RequestGate(rules: rules), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        // The one error Hummingbird logs here is a connection that ended before its first request reached the
        // upgrade handler: every request the gate answered itself. Those are not the server's errors.
        var quiet = logger
        quiet.logLevel = .critical
        await inner.handle(value: value, logger: quiet)
    }
}
