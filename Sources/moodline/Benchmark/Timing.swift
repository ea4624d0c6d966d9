import Foundation

/// Seconds taken by `work`, on the monotonic clock.
func secondsTaken(_ work: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The median of a non-empty list.
func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of no values")
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Runs FFmpeg's own decoder over `path` (`ffmpeg -v error -threads N -i FILE -f null -`) and returns its wall time.
func ffmpegDecodeSeconds(path: String, threads: Int) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["ffmpeg", "-nostdin", "-v", "error", "-threads", "\(threads)", "-i", path, "-f", "null", "-"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let seconds = try secondsTaken {
        try process.run()
        process.waitUntilExit()
    }
    guard process.terminationStatus == 0 else {
        throw BenchmarkError(
            message: "ffmpeg failed on \(path) (status \(process.terminationStatus)); is the ffmpeg tool installed?")
    }
    return seconds
}

/// Peak resident memory of this process so far, in megabytes (VmHWM from /proc).
func peakResidentMegabytes() -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
        return digits.map { $0 / 1024 }
    }
    return nil
}

/// A benchmark could not be run.
struct BenchmarkError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A table row: the first column left-aligned in 34 characters, the rest right-aligned in 11.
func tableRow(_ columns: [String]) -> String {
    guard let first = columns.first else { return "" }
    let name = first.padding(toLength: max(34, first.count), withPad: " ", startingAt: 0)
    let rest = columns.dropFirst().map { String(repeating: " ", count: max(0, 11 - $0.count)) + $0 }
    return ([name] + rest).joined(separator: " ")
}
