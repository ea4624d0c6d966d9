import Foundation
import MoodlineMedia

/// Numbered pictures read as one video: `frames/%05d.png` at a given rate, through FFmpeg's image2 demuxer. Frame
/// n (counting from the first file, numbered 0 to 4, and on while the numbers follow each other) is at n / rate
/// seconds. It gives what a video gives: frames.csv, tracks, the video pipeline.
public struct ImageSequenceInput: InputSource, Equatable {
    /// The path with a printf-style number in its file name: `%d`, or `%05d` for five digits with leading zeros.
    public let pattern: String
    public let framesPerSecond: Double

    public var traits: SourceTraits { SourceTraits(isLive: false, isReadableTwice: true, isPhotoSet: false) }

    public func makeFrameSource(_ setup: FrameSourceSetup) -> any FrameSource {
        let (pattern, rate) = (pattern, framesPerSecond)
        return VideoFileSource(
            path: pattern, options: setup.options, skipsUnsampledFrames: setup.decode.skipsUnsampledFrames
        ) {
            try MediaReader(sequence: pattern, framesPerSecond: rate, options: $0)
        }
    }

    /// The rate and each numbered file's name, size and modification time.
    public func fingerprint() -> InputFingerprint? {
        let files = Self.files(matching: pattern)
        guard !files.isEmpty else { return nil }
        return InputFingerprint(
            text: "sequence:\(framesPerSecond):\(files.count):" + InputFingerprint.listDigest(files, root: nil))
    }

    public func manifestFacts(sizeBytes: Int?) -> InputFacts {
        let files = Self.files(matching: pattern)
        let total = files.reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? NSNumber)?.intValue ?? 0)
        }
        return InputFacts(kind: "sequence", sizeBytes: total, files: files.count, includesMedia: true)
    }

    public func openAgain(_ options: DecoderOptions) throws -> MediaReader {
        try MediaReader(sequence: pattern, framesPerSecond: framesPerSecond, options: options)
    }

    /// A path whose file name holds one `%d` or `%0Nd` (and no file of that very name) is a sequence.
    static func claim(_ path: String, _ options: InputOptions) -> ClaimedInput? {
        let name = (path as NSString).lastPathComponent
        guard numberPattern(in: name) != nil, !FileManager.default.fileExists(atPath: path) else { return nil }
        if let root = options.confinedTo {
            // Only where the pattern's folder resolves inside the allowed one.
            let folder = (path as NSString).deletingLastPathComponent
            guard let resolved = realpath(folder.isEmpty ? "." : folder, nil), let allowed = realpath(root, nil) else {
                return nil
            }
            defer { free(resolved); free(allowed) }
            let (inside, base) = (String(cString: resolved), String(cString: allowed))
            guard inside == base || inside.hasPrefix(base.hasSuffix("/") ? base : base + "/") else { return nil }
        }
        let stem = name.replacingOccurrences(of: "%%", with: "%")
        let base = String((stem as NSString).deletingPathExtension.prefix { $0 != "%" }).trimmingCharacters(
            in: CharacterSet(charactersIn: "_-. "))
        let folderName =
            base.isEmpty ? ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent : base
        return ClaimedInput(
            source: ImageSequenceInput(pattern: path, framesPerSecond: options.sequenceFramesPerSecond),
            path: path, folderName: folderName.isEmpty ? "sequence" : folderName)
    }

    /// The files FFmpeg's image2 reads for the pattern, in order: the first of the numbers 0 to 4 that names a
    /// file, then each next number while it names one (a gap ends the sequence, as it ends FFmpeg's reading).
    static func files(matching pattern: String) -> [String] {
        let folder = (pattern as NSString).deletingLastPathComponent
        guard let name = NumberedName((pattern as NSString).lastPathComponent) else { return [] }
        let path = { (number: Int) in folder.isEmpty ? name.name(number) : folder + "/" + name.name(number) }
        guard var number = (0...4).first(where: { FileManager.default.fileExists(atPath: path($0)) }) else { return [] }
        var files: [String] = []
        while FileManager.default.fileExists(atPath: path(number)) {
            files.append(path(number))
            number += 1
        }
        return files
    }

    /// Whether `name` holds exactly one number (`%d`, `%Nd`, `%0Nd`; `%%` is a literal `%`).
    static func numberPattern(in name: String) -> NumberedName? { NumberedName(name) }
}

/// A file name with one printf-style number in it, split around it: `frame_%05d.png` is `frame_`, five digits
/// padded with zeros, `.png`.
struct NumberedName: Equatable {
    let prefix: String
    let width: Int
    let zeroPadded: Bool
    let suffix: String

    /// Nil unless `pattern` holds exactly one `%d`, `%Nd` or `%0Nd` (and otherwise only `%%`).
    init?(_ pattern: String) {
        var parts = ["", ""], numbers = 0, width = 0, zeroPadded = false
        var rest = Substring(pattern)
        while let percent = rest.firstIndex(of: "%") {
            parts[min(numbers, 1)] += rest[..<percent]
            rest = rest[rest.index(after: percent)...]
            if rest.first == "%" {
                parts[min(numbers, 1)] += "%"
                rest = rest.dropFirst()
                continue
            }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard rest.first == "d", digits.count <= 3 else { return nil }
            rest = rest.dropFirst()
            (width, zeroPadded) = (Int(digits) ?? 0, digits.hasPrefix("0"))
            numbers += 1
        }
        guard numbers == 1 else { return nil }
        parts[1] += rest
        (prefix, self.width, self.zeroPadded, suffix) = (parts[0], width, zeroPadded, parts[1])
    }

    /// The file name of `number`, as printf writes it.
    func name(_ number: Int) -> String {
        let digits = String(number)
        let padding = String(repeating: zeroPadded ? "0" : " ", count: max(0, width - digits.count))
        return prefix + padding + digits + suffix
    }
}
