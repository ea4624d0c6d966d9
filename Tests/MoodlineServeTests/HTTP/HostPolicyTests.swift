@testable import MoodlineServe
import NIOCore
import XCTest

/// Which Host and Origin headers name the server, for each kind of address it may listen on.
final class HostPolicyTests: XCTestCase {
    private func local(_ ip: String, _ port: Int) throws -> SocketAddress {
        try SocketAddress(ipAddress: ip, port: port)
    }

    func testLoopbackAnswersItsOwnNamesWithItsPortOnly() throws {
        let policy = HostPolicy(boundHost: "127.0.0.1")
        let address = try local("127.0.0.1", 8080)
        for host in ["127.0.0.1:8080", "localhost:8080", "LocalHost:8080", "[::1]:8080"] {
            XCTAssertTrue(policy.allowsHost(host, local: address), host)
        }
        for host in [
            "127.0.0.1", "127.0.0.1:8081", "evil.example:8080", "localhost.evil.example:8080", "localhost:8080x",
            "user@localhost:8080", "", ":8080", "[::1:8080", "127.0.0.1:99999",
        ] {
            XCTAssertFalse(policy.allowsHost(host, local: address), host)
        }
        XCTAssertTrue(policy.allowsHost("localhost", local: try local("127.0.0.1", 80)), "port 80 may be left out")
        XCTAssertFalse(policy.allowsHost("localhost:8080", local: nil), "no address, no answer")
    }

    func testOriginsMustBeThisServersOwnPages() throws {
        let policy = HostPolicy(boundHost: "127.0.0.1")
        let address = try local("127.0.0.1", 8080)
        XCTAssertTrue(policy.allowsOrigin("http://127.0.0.1:8080", local: address))
        XCTAssertTrue(policy.allowsOrigin("http://localhost:8080", local: address))
        for origin in [
            "null", "http://evil.example", "https://127.0.0.1:8080", "http://127.0.0.1:3000", "http://127.0.0.1:8080/x",
            "file://",
        ] {
            XCTAssertFalse(policy.allowsOrigin(origin, local: address), origin)
        }
    }

    func testAWildcardAddressAnswersTheAddressTheClientUsedAndTheHostGiven() throws {
        let policy = HostPolicy(boundHost: "0.0.0.0")
        XCTAssertTrue(
            policy.allowsHost("192.168.1.20:9000", local: try local("192.168.1.20", 9000)),
            "the machine's address the client reached")
        XCTAssertFalse(policy.allowsHost("192.168.1.21:9000", local: try local("192.168.1.20", 9000)))
        XCTAssertFalse(
            policy.allowsHost("localhost:9000", local: try local("192.168.1.20", 9000)),
            "not loopback: localhost is not implied")
        XCTAssertTrue(
            policy.allowsHost("localhost:9000", local: try local("127.0.0.1", 9000)),
            "a connection on loopback answers to localhost")
        XCTAssertFalse(policy.allowsHost("evil.example:9000", local: try local("127.0.0.1", 9000)))
        let named = HostPolicy(boundHost: "studio.local")
        XCTAssertTrue(named.allowsHost("studio.local:9000", local: try local("192.168.1.20", 9000)), "the --host value")
        let six = HostPolicy(boundHost: "::1")
        XCTAssertTrue(six.allowsHost("[::1]:9000", local: try local("::1", 9000)))
        XCTAssertTrue(six.allowsHost("localhost:9000", local: try local("::1", 9000)))
    }

    func testStateChangingMethodsAndOwnSites() {
        XCTAssertTrue(HostPolicy.changesState("POST"))
        XCTAssertTrue(HostPolicy.changesState("delete"))
        XCTAssertFalse(HostPolicy.changesState("GET"))
        XCTAssertTrue(HostPolicy.isOwnSite("same-origin"))
        XCTAssertTrue(HostPolicy.isOwnSite("none"))
        XCTAssertFalse(HostPolicy.isOwnSite("same-site"))
        XCTAssertFalse(HostPolicy.isOwnSite("cross-site"))
    }
}
