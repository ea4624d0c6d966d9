import Foundation
import MoodlineMedia

/// The photos of a set, in sorted order, each one frame at time 0. A photo that cannot be read is still an item
/// (no picture, with its problem), so the set's report and checkpoint account for every file.
///
/// Two photos are decoded at once, on their own queue, and handed on in sorted order: a JPEG decoder uses one
/// core, and a set of photos would otherwise leave the other idle whenever detection waits for the next picture.
struct PhotoSetSource: FrameSource {
    let root: String?
    let files: [String]
    /// Each photo's name in the outputs, where not its path in `root` (`PhotoSetInput.shownNames`).
    let shownNames: [String]?
    let options: DecoderOptions
    /// The first photo to read (after a checkpoint).
    let firstPhoto: Int

    /// Photos being decoded at any time.
    static let photosInFlight = 2
    private static let queue = DispatchQueue(
        label: "moodline.photo-decode", qos: .userInitiated, attributes: .concurrent)

    mutating func open() throws -> SourceFacts { SourceFacts() }

    func expectedFrames(_ sampling: SamplingMode) -> Int? { files.count }

    mutating func frames(sampler: inout FrameSampler, deliver: (SourceItem) -> Bool) -> SourceEnd {
        let (root, files, options, shownNames) = (root, files, options, shownNames)
        var waiting = Array(files.indices.dropFirst(firstPhoto))[...]
        var inFlight: [PendingPhoto] = []
        func startMore() {
            while inFlight.count < Self.photosInFlight, let index = waiting.popFirst() {
                let pending = PendingPhoto()
                Self.queue.async {
                    pending.fulfil(
                        Self.photo(
                            files[index], index: index,
                            name: shownNames?[index] ?? RelativePath.of(files[index], in: root),
                            options: options))
                }
                inFlight.append(pending)
            }
        }
        startMore()
        while !inFlight.isEmpty {
            let item = inFlight.removeFirst().value()
            startMore()
            guard deliver(item) else { break }
        }
        // Ended early: let the photos still being decoded finish, so nothing runs on after the source.
        for pending in inFlight { _ = pending.value() }
        return SourceEnd()
    }

    private static func photo(_ path: String, index: Int, name: String, options: DecoderOptions) -> SourceItem {
        var problems: [InputProblem] = []
        var picture: DecodedFrame?
        var decoded = 0
        var facts: PhotoFacts?
        do {
            let reader = try MediaReader(path: path, options: options)
            facts = PhotoFacts(width: reader.info.width, height: reader.info.height, takenAt: reader.takenAt)
            let summary = try reader.decodeFrames { picture = $0 }
            decoded = summary.framesDecoded
            // A photo cut short is decoded in part, and says so (`damaged_picture`).
            problems = summary.problems.map { InputProblem.reading($0, file: name) }
            if picture == nil {
                if problems.isEmpty {
                    problems.append(
                        InputProblem(
                            file: name, frame: nil, code: .media(.damagedStream), message: "no picture could be decoded"
                        ))
                }
            }
        } catch {
            problems.append(InputProblem.reading(error, file: name))
        }
        var item = SourceItem(
            timing: FrameTiming(index: 0, timeSeconds: 0, isKeyFrame: true), pixels: picture?.pixels,
            scaleToSource: picture?.scaleToSource ?? 1, file: name, fileIndex: index, framesDecoded: decoded,
            problems: problems)
        item.photo = facts
        return item
    }
}

/// One photo being decoded on another queue; `value` waits for it.
private final class PendingPhoto: @unchecked Sendable {
    // Written once before the semaphore is signalled, read after waiting on it.
    private var item: SourceItem?
    private let done = DispatchSemaphore(value: 0)
    /// Whether the consumer has waited already (touched by the consumer only).
    private var waited = false

    func fulfil(_ item: SourceItem) {
        self.item = item
        done.signal()
    }

    /// The decoded item, once ready (waits until then; may be asked again).
    func value() -> SourceItem {
        if !waited {
            done.wait()
            waited = true
        }
        return item!
    }
}
