import Foundation

/// A live input for FFmpeg to open: a network URL, standard input (`-`), read through exactly the protocols that
/// kind of address needs and never the `file` protocol, so nothing a stream says can make FFmpeg read a local file.
public struct StreamAddress: Sendable, Equatable {
    /// What FFmpeg opens: the URL, or `pipe:0` for standard input.
    public let url: String
    /// FFmpeg's protocol whitelist for it.
    public let protocols: String
    /// How the user wrote it (`-` for standard input).
    public let text: String

    /// The schemes Moodline reads live, with the protocols each is built on.
    static let schemes: [String: String] = [
        "http": "http,https,tcp,tls,crypto,httpproxy",
        "https": "http,https,tcp,tls,crypto,httpproxy",
        "rtsp": "rtsp,rtsps,rtp,srtp,udp,tcp,tls",
        "rtsps": "rtsp,rtsps,rtp,srtp,udp,tcp,tls",
        "rtmp": "rtmp,rtmps,tcp,tls",
        "rtmps": "rtmp,rtmps,tcp,tls",
        "udp": "udp",
        "rtp": "rtp,udp",
        "srt": "srt",
        "tcp": "tcp",
    ]

    /// `-` (standard input) or a URL with one of `schemes`; nil for anything else (a path).
    public init?(_ text: String) {
        self.text = text
        if text == "-" {
            url = "pipe:0"
            protocols = "pipe"
            return
        }
        guard let colon = text.range(of: "://") else { return nil }
        let scheme = text[..<colon.lowerBound].lowercased()
        guard let protocols = Self.schemes[scheme] else { return nil }
        url = text
        self.protocols = protocols
    }

    /// Standard input.
    public var isStandardInput: Bool { url == "pipe:0" }

    /// A file-system-safe name for the input's output folder: `stdin`, or the host and the last part of the path
    /// (`127.0.0.1-8080-live`).
    public var folderName: String {
        if isStandardInput { return "stdin" }
        var rest = text[text.range(of: "://")!.upperBound...]
        if let at = rest.lastIndex(of: "@"), rest[..<at].firstIndex(of: "/") == nil { rest = rest[rest.index(after: at)...] }
        let parts = rest.split(separator: "/").map(String.init)
        let host = parts.first ?? "stream"
        let last = parts.count > 1 ? parts.last!.split(separator: "?").first.map(String.init) ?? "" : ""
        let raw = ([host] + (last.isEmpty ? [] : [last])).joined(separator: "-")
        let safe = String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") ? $0 : "-" })
        let trimmed = safe.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        return trimmed.isEmpty ? "stream" : String(trimmed.prefix(80))
    }
}
