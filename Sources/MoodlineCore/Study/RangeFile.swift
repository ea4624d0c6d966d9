import Foundation

/// A file of labelled time ranges: segments (`--segments`) or a human coding (`moodline agree --coding`). The kind
/// comes from the extension: `.srt`, `.vtt`, `.eaf` (ELAN; `tiers` chooses which), or `.csv`.
public enum RangeFile {
    /// The largest file read: transcripts of many hours are a few megabytes.
    static let maximumBytes = 64 << 20

    /// The extensions read, in the order `sidecar(of:)` looks for them.
    public static let extensions = ["srt", "vtt", "eaf", "csv"]

    /// The ranges in the file at `path`, sorted by start (then end, then file order).
    ///
    /// - Throws: `RangeFileError` naming the file and, where it can, the line.
    public static func read(_ path: String, tiers: [String]? = nil) throws(RangeFileError) -> [LabelledRange] {
        let kind = (path as NSString).pathExtension.lowercased()
        guard extensions.contains(kind) else {
            throw RangeFileError(
                file: path, line: nil, message: "is not a transcript or table this reads (.srt, .vtt, .eaf or .csv)")
        }
        let data = try contents(of: path)
        let ranges: [LabelledRange]
        do {
            ranges = try parse(text(data), kind: kind, tiers: tiers)
        } catch {
            throw RangeFileError(file: path, line: error.line, message: error.message)
        }
        // A file of the wrong kind or encoding reads as nothing: say so rather than give empty tables.
        guard !ranges.isEmpty else {
            throw RangeFileError(file: path, line: nil, message: "holds no time range this reads")
        }
        return ranges
    }

    /// The bytes of the file at `path`: only a regular file (a FIFO would block, a folder or device is no table) of
    /// at most `maximumBytes`.
    static func contents(of path: String) throws(RangeFileError) -> Data {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else {
            throw RangeFileError(file: path, line: nil, message: "is not a readable file")
        }
        guard let size = attributes[.size] as? Int, size <= maximumBytes else {
            throw RangeFileError(file: path, line: nil, message: "is larger than \(maximumBytes >> 20) MB")
        }
        // FileHandle rather than FileManager.contents(atPath:), which leaks a buffer on an empty file.
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else {
            throw RangeFileError(file: path, line: nil, message: "cannot be read")
        }
        try? handle.close()
        return data
    }

    /// The CSV table in the file at `path` (`contents(of:)`'s checks first).
    static func table(at path: String) throws(RangeFileError) -> CSVTable {
        let data = try contents(of: path)
        do {
            return try table(String(decoding: data, as: UTF8.self))
        } catch {
            throw RangeFileError(file: path, line: error.line, message: error.message)
        }
    }

    /// `text` as a CSV table, its failure as a reader's.
    static func table(_ text: String) throws(Failure) -> CSVTable {
        do {
            return try CSVTable(parsing: text)
        } catch {
            throw Failure(line: error.line, message: error.message)
        }
    }

    /// The ranges in `text` of the kind `kind` (an extension), sorted.
    static func parse(_ text: String, kind: String, tiers: [String]?) throws(Failure) -> [LabelledRange] {
        let ranges: [LabelledRange]
        switch kind {
        case "srt", "vtt": ranges = try SubtitleRanges.parse(text)
        case "eaf": ranges = try ELANRanges.parse(text, tiers: tiers)
        default: ranges = try CSVRanges.parse(text)
        }
        return ranges.enumerated().sorted {
            ($0.element.start, $0.element.end, $0.offset) < ($1.element.start, $1.element.end, $1.offset)
        }.map(\.element)
    }

    /// The transcript beside the media at `mediaPath` with the same name (`interview.srt` for `interview.mp4`), the
    /// first of `extensions` there; nil when there is none.
    public static func sidecar(of mediaPath: String) -> String? {
        let stem = (mediaPath as NSString).deletingPathExtension
        return extensions.lazy.map { stem + "." + $0 }.first { path in
            path != mediaPath && FileManager.default.fileExists(atPath: path)
        }
    }

    /// UTF-16 with its byte-order mark (as Windows tools save), UTF-8 (with or without one), else Windows-1252,
    /// as older subtitle tools save.
    private static func text(_ data: Data) -> String {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]),
            let text = String(data: data, encoding: .utf16)
        {
            return text
        }
        return String(data: data, encoding: .utf8) ?? String(data: data, encoding: .windowsCP1252)
            ?? String(decoding: data, as: UTF8.self)
    }

    /// A problem in a file's text, at a line where it is known.
    struct Failure: Error {
        let line: Int?
        let message: String
    }
}

/// A file of ranges that could not be read: which file, where, and why.
public struct RangeFileError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String { "\(file)\(line.map { " line \($0)" } ?? ""): \(message)" }
}
