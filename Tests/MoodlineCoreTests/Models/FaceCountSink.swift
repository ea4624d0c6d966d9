import Foundation
import MoodlineCore

/// A test-only output: `faces.txt`, one line per sampled frame with its number of faces. It shows that an output
/// is one file and one registration line, and that it is off unless a pipeline names it.
final class FaceCountSink: FrameSink {
    private let folder: String
    private var lines: [String] = []
    var fileName: String { "faces.txt" }

    init(context: SinkContext) { folder = context.folder }

    func consume(_ frame: TrackedFrame) throws { lines.append("\(frame.frame.stamp.index) \(frame.frame.faces.count)") }

    func finish(_ event: FinishEvent) throws {
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: (folder as NSString).appendingPathComponent(fileName), atomically: true, encoding: .utf8)
    }

    func discard() {}
}
