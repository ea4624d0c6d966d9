import Foundation
@testable import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Batches and photo folders for the tests of what happens around the analysis (reruns, resumes, shards).
extension XCTestCase {
    func pipeline(_ name: String) throws -> PipelineDefinition {
        try TestPipelines.builtIn(name)
    }

    func batch(
        _ output: URL, weights: String = TestMedia.weights, shard: Shard? = nil, overwrite: Bool = false,
        stop: StopRequest = StopRequest(), photos: PipelineDefinition? = nil
    ) throws -> BatchAnalysis {
        BatchAnalysis(
            videoPipeline: try pipeline("interview"), photoPipeline: try photos ?? pipeline("photos"),
            models: try ModelStore(folder: weights), outputDirectory: output.path, shard: shard, overwrite: overwrite,
            stop: stop)
    }

    /// The same photo as `x/a.jpg` and `y/a.jpg`: two inputs whose results want the same folder, `a`.
    func twoInputsOfOneName(_ base: URL) throws -> (first: String, second: String) {
        for folder in ["x", "y"] {
            try FileManager.default.createDirectory(
                at: base.appendingPathComponent(folder), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: TestMedia.multiFace, toPath: base.appendingPathComponent("\(folder)/a.jpg").path)
        }
        return (base.appendingPathComponent("x/a.jpg").path, base.appendingPathComponent("y/a.jpg").path)
    }

    /// Six photos of different sizes (so each has its own rows), in a folder.
    func photoFolder(_ base: URL, count: Int = 6) throws -> URL {
        let folder = base.appendingPathComponent("event")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<count {
            try TestProcess.ffmpeg([
                "-i", TestMedia.multiFace, "-vf", "crop=iw-\(40 * i):ih-\(20 * i)",
                folder.appendingPathComponent("p\(i).jpg").path,
            ])
        }
        return folder
    }

    func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    func bytes(_ url: URL) -> Data? { FileManager.default.contents(atPath: url.path) }
}
