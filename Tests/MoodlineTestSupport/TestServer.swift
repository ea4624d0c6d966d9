import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import XCTest

/// A `moodline serve` process on a free loopback port, and plain HTTP calls to it.
public final class TestServer {
    /// What a request got back.
    public struct Reply {
        public let status: Int
        public let body: Data
        public let headers: [String: String]
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a JSON object (empty when it is not one).
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    public let process: Process
    /// e.g. http://127.0.0.1:41234
    public let address: String
    public let workFolder: URL
    /// The server's standard error, read as it comes: a pipe nobody reads would block the server once full, and a
    /// sanitizer's report on a server that died is the only account of why.
    private let errorLog = PipeText()
    private var stopRequested = false

    /// Starts the server with `arguments` after `serve --port 0 --work WORK`, and waits for its address.
    public init(workFolder: URL, arguments: [String] = [], timeout: Double = 120) throws {
        self.workFolder = workFolder
        process = try TestProcess.start(
            TestProcess.moodline, ["serve", "--port", "0", "--work", workFolder.path] + arguments)
        let output = (process.standardOutput as! Pipe).fileHandleForReading
        var printed = ""
        let deadline = Date().addingTimeInterval(timeout)
        while !printed.contains("\n"), Date() < deadline, process.isRunning {
            let data = output.availableData
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
        }
        guard let range = printed.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
            process.terminate()
            throw XCTSkip("the server did not start: \(printed)")
        }
        address = String(printed[range])
        errorLog.collect(from: (process.standardError as! Pipe).fileHandleForReading)
    }

    /// What the server has written to standard error so far.
    public var errors: String { errorLog.text }

    /// True under ThreadSanitizer (scripts/sanitize.sh sets TSAN_OPTIONS), which defers asynchronous signals to the
    /// instrumented tool and was seen to lose them (InterruptionTests): there the server is killed instead.
    public static var signalsMayBeLost: Bool { ProcessInfo.processInfo.environment["TSAN_OPTIONS"] != nil }

    /// Stops the server with SIGTERM (SIGKILL under ThreadSanitizer) and returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        stopRequested = true
        if process.isRunning { kill(process.processIdentifier, Self.signalsMayBeLost ? SIGKILL : SIGTERM) }
        // A server that ignores SIGTERM is killed after a minute, so a hang fails the test instead of the run.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        process.waitUntilExit()
        errorLog.waitForEnd(seconds: 10)
        return process.terminationStatus
    }

    /// Stops the server and fails the test when it had stopped on its own (a crash, or a sanitizer's report) or
    /// wrote a sanitizer's report, showing what it wrote to standard error. Tests call it when they end.
    public func stopCheckingItSurvived(file: StaticString = #filePath, line: UInt = #line) {
        let diedEarlier = !stopRequested && !process.isRunning
        let status = stop()
        let errors = errors
        let report = errors.contains("WARNING: ThreadSanitizer") || errors.contains("ERROR: AddressSanitizer")
        if diedEarlier || report {
            XCTFail(
                "the server \(diedEarlier ? "had stopped (status \(status))" : "wrote a sanitizer report"); its standard error:\n\(errors.suffix(20_000))",
                file: file, line: line)
        }
    }

    public func get(_ path: String) throws -> Reply {
        try send(URLRequest(url: URL(string: address + path)!))
    }

    public func postJSON(_ path: String, _ object: [String: Any]) throws -> Reply {
        var request = URLRequest(url: URL(string: address + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: object)
        return try send(request)
    }

    /// Posts files as `multipart/form-data`, each under the name given (which may be hostile on purpose).
    public func upload(_ files: [(name: String, data: Data)], to path: String = "/api/jobs") throws -> Reply {
        let boundary = "moodline-test-\(UUID().uuidString)"
        var body = Data()
        for file in files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var request = URLRequest(url: URL(string: address + path)!)
        request.httpMethod = "POST"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return try send(request)
    }

    /// Polls the job until it has finished, and returns its last state.
    public func waitForJob(_ id: String, timeout: Double = 600) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let state = try get("/api/jobs/\(id)").json
            if let status = state["status"] as? String, ["done", "failed", "stopped"].contains(status) { return state }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw XCTSkip("job \(id) did not finish within \(timeout) s")
    }

    /// Sends any request and waits for the reply.
    public func send(_ request: URLRequest) throws -> Reply {
        var request = request
        request.timeoutInterval = 600
        let box = ReplyBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let response = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in response.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
                box.reply = Reply(status: response.statusCode, body: data ?? Data(), headers: headers)
            }
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        if let reply = box.reply { return reply }
        throw box.error ?? URLError(.badServerResponse)
    }
}

/// Written by URLSession's queue before a semaphore is signalled, read after waiting on it.
private final class ReplyBox: @unchecked Sendable {
    var reply: TestServer.Reply?
    var error: (any Error)?
}
