import NIOCore

/// Which `Host` and `Origin` name this server, and which requests must come from its own pages.
///
/// A web page on another site can make the browser send requests here: with a foreign `Host` when a name it
/// controls is made to resolve to this machine (DNS rebinding), or with a foreign `Origin` when it posts a form
/// or opens a WebSocket. The server answers only its own names, and takes state-changing requests and WebSocket
/// upgrades only from its own pages or from clients that send no `Origin` (curl, scripts).
struct HostPolicy: Sendable {
    /// Host names (lowercased, IPv6 in brackets) accepted with the server's port.
    private let names: Set<String>

    /// - Parameter boundHost: the `--host` value the server listens on.
    init(boundHost: String) {
        var names: Set<String> = [Self.bracketed(boundHost.lowercased())]
        if Self.isLoopback(boundHost) {
            names.formUnion(["localhost", "127.0.0.1", "[::1]"])
        }
        self.names = names
    }

    /// Whether a `Host` header value names this server, reached at `local` (the address the connection came in
    /// on: with a wildcard `--host`, the machine's own address the client used).
    func allowsHost(_ host: String, local: SocketAddress?) -> Bool {
        guard let port = local?.port, let (name, given) = Self.split(host.lowercased()) else { return false }
        // A browser leaves the port out only when it is the scheme's default.
        guard given == port || (given == nil && port == 80) else { return false }
        return names.contains(name) || Self.addressNames(local).contains(name)
    }

    /// Whether an `Origin` header value is one of this server's own pages.
    func allowsOrigin(_ origin: String, local: SocketAddress?) -> Bool {
        let lowered = origin.lowercased()
        guard lowered.hasPrefix("http://") else { return false }
        let authority = lowered.dropFirst("http://".count)
        guard !authority.isEmpty, !authority.contains("/") else { return false }
        return allowsHost(String(authority), local: local)
    }

    /// Methods that change the server's state: only the server's own pages (or no page at all) may send them.
    static func changesState(_ method: String) -> Bool {
        ["POST", "PUT", "DELETE", "PATCH"].contains(method.uppercased())
    }

    /// `Sec-Fetch-Site` values a browser sends for the server's own pages or for what the user typed.
    static func isOwnSite(_ secFetchSite: String) -> Bool {
        ["same-origin", "none"].contains(secFetchSite.lowercased())
    }

    /// `name:port`, `[v6]:port`, or a name alone; nil for anything else.
    static func split(_ authority: String) -> (name: String, port: Int?)? {
        var name = Substring(authority), port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            name = authority[...close]
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { return nil }
                port = rest.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            name = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        guard !name.isEmpty, !name.contains(where: { $0 == "@" || $0 == " " || $0 == "/" }) else { return nil }
        guard let port else { return (String(name), nil) }
        guard let number = Int(port), (0...65535).contains(number), port.allSatisfy(\.isASCII) else { return nil }
        return (String(name), number)
    }

    private static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// The connection's own address, as a client would write it in `Host`; with a wildcard `--host`, a
    /// connection that came in on loopback also answers to the loopback names.
    private static func addressNames(_ local: SocketAddress?) -> [String] {
        guard var ip = local?.ipAddress?.lowercased() else { return [] }
        var names = [bracketed(ip)]
        // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d.
        if ip.hasPrefix("::ffff:"), ip.contains(".") {
            ip = String(ip.dropFirst("::ffff:".count))
            names.append(ip)
        }
        if isLoopback(ip) { names += ["localhost", "127.0.0.1", "[::1]"] }
        return names
    }
}
