import Foundation
import MoodlineMedia

/// The photos of a set, in sorted order, each one frame at time 0. A photo that cannot be read is still an item
/// (no picture, with its problem), so the set's report and checkpoint account for every file.
struct PhotoSetSource: FrameSource {
    let root: String?
    let files: [String]
    let options: DecoderOptions
    /// The first photo to read (after a checkpoint).
    let firstPhoto: Int

    mutating func open() throws -> SourceFacts { SourceFacts() }

    func expectedFrames(_ sampling: SamplingMode) -> Int? { files.count }

    mutating func frames(sampler: inout FrameSampler, deliver: (SourceItem) -> Bool) -> SourceEnd {
        for (index, path) in files.enumerated().dropFirst(firstPhoto) {
            guard deliver(photo(path, index: index)) else { break }
        }
        return SourceEnd()
    }

    private func photo(_ path: String, index: Int) -> SourceItem {
        let name = DecodeStage.relative(path, to: root)
        var problems: [InputProblem] = []
        var picture: DecodedFrame?
        var decoded = 0
        do {
            let summary = try MediaReader(path: path, options: options).decodeFrames { picture = $0 }
            decoded = summary.framesDecoded
            if picture == nil {
                problems = summary.problems.map { DecodeStage.problem($0, file: name) }
                if problems.isEmpty {
                    problems.append(InputProblem(file: name, frame: nil, code: .media(.damagedStream), message: "no picture could be decoded"))
                }
            }
        } catch {
            problems.append(DecodeStage.problem(error, file: name))
        }
        return SourceItem(timing: FrameTiming(index: 0, timeSeconds: 0, isKeyFrame: true), pixels: picture?.pixels,
                          scaleToSource: picture?.scaleToSource ?? 1, file: name, fileIndex: index, framesDecoded: decoded,
                          problems: problems)
    }
}
