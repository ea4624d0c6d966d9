import Foundation
import XCTest

/// Runs programs from tests: the ffmpeg tool that makes hostile fixtures, and the built `moodline` binary.
public enum TestProcess {
    /// The result of a finished process.
    public struct Finished {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    /// Runs `executable` (a path, or a name looked up in /usr/bin) to completion.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], in folder: URL? = nil) throws -> Finished {
        let process = try start(executable, arguments, in: folder)
        return finish(process)
    }

    /// Starts `executable` with standard output and error captured; `finish` collects them.
    /// `input` is its standard input (nothing when nil): another process's output pipe, or one the test writes.
    public static func start(
        _ executable: String, _ arguments: [String], in folder: URL? = nil, input: Any? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/" + executable)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for a process from `start` and returns what it printed.
    public static func finish(_ process: Process) -> Finished {
        // Read both pipes to the end before waiting, so a chatty process cannot block on a full pipe.
        let errors = PipeText()
        errors.collect(from: (process.standardError as! Pipe).fileHandleForReading)
        let output = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errors.waitForEnd()
        return Finished(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: errors.text)
    }

    /// Runs the ffmpeg tool quietly, failing the test if it fails.
    public static func ffmpeg(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try run("ffmpeg", ["-v", "error", "-y"] + arguments)
        XCTAssertEqual(
            result.status, 0, "ffmpeg \(arguments.joined(separator: " ")): \(result.errors)", file: file, line: line)
    }

    /// The `moodline` binary built beside the test bundle.
    public static var moodline: String {
        Bundle.main.bundleURL.appendingPathComponent("moodline").path
    }
}
