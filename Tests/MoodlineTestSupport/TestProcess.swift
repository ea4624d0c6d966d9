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
    public static func start(_ executable: String, _ arguments: [String], in folder: URL? = nil, input: Any? = nil) throws -> Process {
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
        let errorsPipe = process.standardError as! Pipe, outputPipe = process.standardOutput as! Pipe
        let errorsBox = DataBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorsBox.data = errorsPipe.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return Finished(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                        errors: String(decoding: errorsBox.data, as: UTF8.self))
    }

    /// Runs the ffmpeg tool quietly, failing the test if it fails.
    public static func ffmpeg(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try run("ffmpeg", ["-v", "error", "-y"] + arguments)
        XCTAssertEqual(result.status, 0, "ffmpeg \(arguments.joined(separator: " ")): \(result.errors)", file: file, line: line)
    }

    /// The `moodline` binary built beside the test bundle.
    public static var moodline: String {
        Bundle.main.bundleURL.appendingPathComponent("moodline").path
    }
}

/// Bytes read on another queue. `@unchecked Sendable`: written once before a semaphore is signalled, read after
/// waiting on it.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
