import Foundation

/// A video's `frames.csv` read back: each sampled frame's time and faces, for the commands that work on finished
/// results (`moodline agree`).
public struct ResultFrames: Sendable {
    /// One face row.
    public struct Face: Sendable, Equatable {
        public let person: Int?
        public let track: Int?
        public let probabilities: [Double]
        public let emotion: Emotion
        public let isUncertain: Bool
    }

    /// One sampled frame.
    public struct Frame: Sendable {
        public let time: Double
        public var faces: [Face]
    }

    /// The frames in file order (time order).
    public let frames: [Frame]

    /// Reads `frames.csv` in the results folder `folder` (a video's: with `time_s`).
    ///
    /// - Throws: `RangeFileError` naming the file, and the line of a row that cannot be read.
    public init(folder: String) throws(RangeFileError) {
        let path = (folder as NSString).appendingPathComponent("frames.csv")
        let data: Data
        do {
            data = try RangeFile.contents(of: path)
        } catch {
            throw RangeFileError(
                file: path, line: nil, message: "cannot be read: is \(folder) a video's results folder?")
        }
        do {
            frames = try Self.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw RangeFileError(file: path, line: error.line, message: error.message)
        }
    }

    static func parse(_ text: String) throws(RangeFile.Failure) -> [Frame] {
        let table = try RangeFile.table(text)
        let needed =
            ["time_s", "face_found", "person", "track", "emotion", "uncertain"] + Emotion.allCases.map(\.rawValue)
        let missing = needed.filter { table.column($0) == nil }
        guard missing.isEmpty else {
            throw RangeFile.Failure(
                line: 1, message: "has no column \(missing.joined(separator: ", ")): is it a video's frames.csv?")
        }
        let column = Dictionary(uniqueKeysWithValues: needed.map { ($0, table.column($0)!) })
        var frames: [Frame] = []
        for (line, fields) in table.rows {
            // Times as a run writes them: from 0 to a bound far past any recording (31 years).
            guard fields.count == table.header.count, let time = Double(fields[column["time_s"]!]),
                (0...1e9).contains(time)
            else { throw RangeFile.Failure(line: line, message: "is not a row of frames.csv") }
            if frames.last?.time != time { frames.append(Frame(time: time, faces: [])) }
            guard fields[column["face_found"]!] == "1" else { continue }
            let probabilities = Emotion.allCases.compactMap { Double(fields[column[$0.rawValue]!]) }
            guard probabilities.count == Emotion.allCases.count,
                let emotion = Emotion(rawValue: fields[column["emotion"]!])
            else { throw RangeFile.Failure(line: line, message: "has a face without its probabilities") }
            frames[frames.count - 1].faces.append(
                Face(
                    person: Int(fields[column["person"]!]), track: Int(fields[column["track"]!]),
                    probabilities: probabilities, emotion: emotion, isUncertain: fields[column["uncertain"]!] == "true")
            )
        }
        return frames
    }

    /// The persons with faces, by how many face rows they have (most first, then by number).
    public var personsByFaces: [(person: Int, faces: Int)] {
        var counts: [Int: Int] = [:]
        for frame in frames { for face in frame.faces { if let p = face.person { counts[p, default: 0] += 1 } } }
        return counts.map { ($0.key, $0.value) }.sorted { ($1.faces, $0.person) < ($0.faces, $1.person) }
    }
}
