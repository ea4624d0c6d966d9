import Foundation
import MoodlineCore
import XCTest

/// Runs one sink alone, as the runner would: frames in order, then the finish event (or a discard). Returns the
/// files it left in its folder, and fails the test if anything temporary is left over.
public enum SinkHarness {
    /// Feeds `frames` to `sink`, then finishes it (or discards it when `discard` is set); returns what is in
    /// `folder` afterwards, by file name.
    public static func run(
        _ sink: any FrameSink, frames: [TrackedFrame], finish: FinishEvent, folder: URL, discard: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> [String: Data] {
        for frame in frames { try sink.consume(frame) }
        if discard { sink.discard() } else { try sink.finish(finish) }
        var found: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            XCTAssertFalse(name.hasSuffix(".partial"), "\(name) left over", file: file, line: line)
            found[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return found
    }
}
