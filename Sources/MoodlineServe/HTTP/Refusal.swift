import Foundation
import Hummingbird

/// A request the server will not carry out, with the status and a reason a person can act on. Every refusal is
/// answered as `{"error": REASON}`; nothing else about the server (paths, stack traces) goes into it.
struct Refusal: Error, Equatable {
    let status: HTTPResponse.Status
    let reason: String

    init(_ status: HTTPResponse.Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    var response: Response {
        JSONReply.response(["error": reason], status: status)
    }
}

extension HTTPResponse.Status {
    /// 507: the disk is full or cannot be written (not among HTTPTypes' named statuses).
    static var insufficientStorage: Self { Self(code: 507, reasonPhrase: "Insufficient Storage") }
}

/// JSON replies: sorted keys, so that the same state reads the same.
enum JSONReply {
    static func response<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: encode(value))))
    }

    static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}
