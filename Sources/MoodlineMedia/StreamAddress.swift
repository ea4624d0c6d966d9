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
    /// The input format to open it with when it cannot be probed (`v4l2` for a camera); nil lets FFmpeg probe.
    public let format: String?

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

    /// `-` (standard input), a V4L2 camera (`/dev/video0`: `/dev/video` and a number), or a URL with one of
    /// `schemes`; nil for anything else (a path).
    public init?(_ text: String) {
        if text == "-" {
            self.init(url: "pipe:0", protocols: "pipe", text: text, format: nil)
        } else if text.hasPrefix("/dev/video"), text.count > 10,
            text.dropFirst(10).allSatisfy({ $0.isASCII && $0.isNumber })
        {
            // FFmpeg's v4l2 device opens the camera itself; no protocol is involved.
            self.init(url: text, protocols: "file", text: text, format: "v4l2")
        } else if let colon = text.range(of: "://"),
            let protocols = Self.schemes[text[..<colon.lowerBound].lowercased()]
        {
            self.init(url: text, protocols: protocols, text: text, format: nil)
        } else {
            return nil
        }
    }

    private init(url: String, protocols: String, text: String, format: String?) {
        self.url = url
        self.protocols = protocols
        self.text = text
        self.format = format
    }

    /// Standard input.
    public var isStandardInput: Bool { url == "pipe:0" }

    /// A camera device.
    public var isCamera: Bool { format == "v4l2" }

    /// A file-system-safe name for the input's output folder: `stdin`, or the host and the last part of the path
    /// (`127.0.0.1-8080-live`).
    public var folderName: String {
        if isStandardInput { return "stdin" }
        if isCamera { return (text as NSString).lastPathComponent }
        var rest = text[text.range(of: "://")!.upperBound...]
        if let at = rest.lastIndex(of: "@"), rest[..<at].firstIndex(of: "/") == nil {
            rest = rest[rest.index(after: at)...]
        }
        let parts = rest.split(separator: "/").map(String.init)
        let host = parts.first ?? "stream"
        let last = parts.count > 1 ? parts.last!.split(separator: "?").first.map(String.init) ?? "" : ""
        let raw = ([host] + (last.isEmpty ? [] : [last])).joined(separator: "-")
        let safe = String(
            raw.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") ? $0 : "-" })
        let trimmed = safe.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        return trimmed.isEmpty ? "stream" : String(trimmed.prefix(80))
    }
}
