import Foundation

/// Photos that share one set of outputs: a folder's, or one photo named on its own. Each is one frame at time 0,
/// and the set is checkpointed photo by photo.
public struct PhotoSetInput: InputSource, Equatable {
    /// The folder the photos were found in (nil for a photo named on its own).
    public let root: String?
    /// The photos' paths, in order.
    public let files: [String]
    /// Files in the folder that are not images.
    public let skipped: [SkippedPath]
    /// What each photo is called in the outputs where that is not its path in the folder (the names an upload's
    /// photos were sent under, not the names the server stored them as); nil: their paths.
    public var shownNames: [String]?

    public var traits: SourceTraits { SourceTraits(isLive: false, isReadableTwice: true, isPhotoSet: true) }

    public var fileList: FileList? { FileList(root: root, files: files) }

    public func makeFrameSource(_ setup: FrameSourceSetup) -> any FrameSource {
        PhotoSetSource(
            root: root, files: files, shownNames: shownNames, options: setup.options, firstPhoto: setup.firstPhoto)
    }

    /// A single photo's is a file's; a folder's hashes each photo's name, size and modification time (reading every
    /// photo again would cost as much as a large part of the analysis).
    public func fingerprint() -> InputFingerprint? {
        if root == nil, files.count == 1 { return InputFingerprint.file(files[0]).map(InputFingerprint.init(text:)) }
        return InputFingerprint(text: "photos:\(files.count):" + InputFingerprint.listDigest(files, root: root))
    }

    public func manifestFacts(sizeBytes: Int?) -> InputFacts {
        let total = files.reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? NSNumber)?.intValue ?? 0)
        }
        return InputFacts(kind: "photos", sizeBytes: total, files: files.count, skipped: skipped, includesMedia: false)
    }
}

extension InputSource where Self == PhotoSetInput {
    /// Photos found in `root` (nil for a photo named on its own), with the files beside them that are not images.
    public static func photos(root: String?, files: [String], skipped: [SkippedPath]) -> PhotoSetInput {
        PhotoSetInput(root: root, files: files, skipped: skipped)
    }
}
