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

    /// The files the pattern names that exist, in number order.
    static func files(matching pattern: String) -> [String] {
        let folder = (pattern as NSString).deletingLastPathComponent
        guard let expression = numberPattern(in: (pattern as NSString).lastPathComponent),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)
        else { return [] }
        let numbered = names.compactMap { name -> (Int, String)? in
            let whole = NSRange(name.startIndex..., in: name)
            guard let match = expression.firstMatch(in: name, range: whole), match.range == whole,
                let digits = Range(match.range(at: 1), in: name), let number = Int(name[digits])
            else { return nil }
            return (number, folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name))
        }
        return numbered.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// A regular expression for the file names `name` stands for, capturing the number; nil unless `name` holds
    /// exactly one number (`%d`, `%Nd`, `%0Nd`; `%%` is a literal `%`).
    static func numberPattern(in name: String) -> NSRegularExpression? {
        var expression = "", numbers = 0
        var rest = Substring(name)
        while let percent = rest.firstIndex(of: "%") {
            expression += NSRegularExpression.escapedPattern(for: String(rest[..<percent]))
            rest = rest[rest.index(after: percent)...]
            if rest.first == "%" {
                expression += "%"
                rest = rest.dropFirst()
                continue
            }
            let width = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(width.count)
            guard rest.first == "d" else { return nil }
            rest = rest.dropFirst()
            let digits = Int(width) ?? 0
            expression += digits > 1 ? "([0-9]{\(digits),})" : "([0-9]+)"
            numbers += 1
        }
        expression += NSRegularExpression.escapedPattern(for: String(rest))
        guard numbers == 1 else { return nil }
        return try? NSRegularExpression(pattern: "^" + expression + "$")
    }
}
