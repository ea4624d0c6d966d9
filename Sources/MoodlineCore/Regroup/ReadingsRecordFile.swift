import Foundation

/// Reads `readings.bin` (`ReadingsRecord`) as a stream: one frame in memory at a time, however long the video.
struct ReadingsRecordFile {
    let path: String

    /// Calls `frame` with each recorded frame in order and returns the end record. Beyond each record's checksum,
    /// what the frames say together is checked too (times that never go back, track IDs that count up from 1), so a
    /// crafted file cannot send the writers values they were never given.
    ///
    /// - Throws: `OutputError` naming the file when it is not a record, is damaged or ends before its end record.
    func read(_ frame: (TrackedFrame) throws -> Void) throws -> ReadingsRecord.End {
        guard let handle = FileHandle(forReadingAtPath: path),
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        else {
            throw OutputError(path: path, message: "cannot be read")
        }
        defer { try? handle.close() }
        var offset = 0
        func bytes(_ count: Int) throws -> [UInt8] {
            guard count <= size - offset, let data = try handle.read(upToCount: count), data.count == count else {
                throw OutputError(path: path, message: "is damaged: it ends early (run the analysis again)")
            }
            offset += count
            return Array(data)
        }
        guard try bytes(ReadingsRecord.magic.count) == ReadingsRecord.magic else {
            throw OutputError(path: path, message: "is not a Moodline readings record of this version")
        }
        var records = 0
        var facesSoFar = 0
        var lastTime = 0.0
        while true {
            let tag = try bytes(1)[0]
            var length = BinaryFieldReader(try bytes(8))
            let count = try length.int()
            // Never more than the file holds: a crafted length must not make us allocate it.
            guard count >= 0, count <= size - offset else {
                throw OutputError(path: path, message: "is damaged: record \(records + 1) claims \(count) bytes")
            }
            let payload = try bytes(count)
            records += 1
            var sum = BinaryFieldReader(try bytes(8))
            guard try sum.int() == ReadingsRecord.checksum(tag, payload) else {
                throw OutputError(path: path, message: "is damaged: record \(records) fails its checksum")
            }
            do {
                switch tag {
                case ReadingsRecord.frameTag:
                    let tracked = try ReadingsRecord.decodeFrame(payload)
                    let time = tracked.frame.stamp.timeSeconds
                    guard time >= lastTime else {
                        throw BinaryFieldError.badValue("a frame earlier than the one before")
                    }
                    lastTime = time
                    facesSoFar += tracked.frame.faces.count
                    // IDs count up from 1, at most one new track (or person key) a face.
                    guard
                        (tracked.trackIDs + tracked.personKeys).allSatisfy({ id in
                            id.map { (1...facesSoFar).contains($0) } ?? true
                        })
                    else {
                        throw BinaryFieldError.badValue("a track ID beyond the faces seen")
                    }
                    try frame(tracked)
                case ReadingsRecord.endTag:
                    let end = try ReadingsRecord.decodeEnd(payload)
                    guard try handle.read(upToCount: 1)?.isEmpty ?? true else {
                        throw BinaryFieldError.badValue("bytes after its end record")
                    }
                    return end
                default:
                    throw BinaryFieldError.badValue("an unknown record tag \(tag)")
                }
            } catch let error as BinaryFieldError {
                throw OutputError(path: path, message: "is damaged at record \(records): \(error)")
            } catch let error as DecodingError {
                throw OutputError(path: path, message: "is damaged at record \(records): \(error)")
            }
        }
    }
}

/// `readings.bin` read through without regrouping: for tools and the fuzz target.
public enum ReadingsRecordCheck {
    /// The frames recorded in the file at `path`.
    ///
    /// - Throws: `OutputError` naming the file when it is not a whole, undamaged record.
    public static func frames(inFile path: String) throws -> Int {
        var frames = 0
        _ = try ReadingsRecordFile(path: path).read { _ in frames += 1 }
        return frames
    }

    /// A file of these records (tag, payload), each framed with its length and checksum, after the magic line.
    public static func file(records: [(tag: UInt8, payload: [UInt8])]) -> [UInt8] {
        ReadingsRecord.magic + records.flatMap { ReadingsRecord.framed($0.tag, $0.payload) }
    }
}
