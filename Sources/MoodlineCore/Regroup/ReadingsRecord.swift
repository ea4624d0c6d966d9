import Foundation
import MoodlineMedia

/// `readings.bin`: a video's sampled frames as the sinks received them, every face's detection, reading, quality,
/// track and aligned crop (for the report's thumbnails), then what the end of the run knew that the frames do not
/// say (each track's clearest face, the counts and problems the report shows). From it `moodline regroup` writes
/// every output again for another grouping of tracks into persons, without decoding or running a network.
///
/// It holds no face embedding (`--write-embeddings` writes those, apart). Layout: the line `moodline readings 1`,
/// then records, each a tag byte (`F` a frame, `E` the end, last), its payload's length as a 64-bit integer, the
/// payload and a checksum of tag and payload (64-bit FNV-1a); numbers little endian (`BinaryFieldWriter`). A file
/// without its end record, or with a record whose checksum fails, is refused.
enum ReadingsRecord {
    static let fileName = "readings.bin"
    static let magic = Array("moodline readings 1\n".utf8)
    static let frameTag = UInt8(ascii: "F")
    static let endTag = UInt8(ascii: "E")

    /// What the end of the run adds to the frames.
    struct End: Equatable {
        /// Each checked track's clearest face (a person's representative is that of their longest track).
        var sightings: [Int: FaceSighting]
        var framesSampled: Int
        var faces: Int
        var facesEmbedded: Int
        var problems: [InputProblem]
        var media: MediaInfo?
        var shotCuts: [ShotCut]?
    }

    // MARK: Writing

    static func encode(_ tracked: TrackedFrame) -> [UInt8] {
        var w = BinaryFieldWriter()
        let frame = tracked.frame
        let stamp = frame.stamp
        w.int(stamp.sequence)
        w.int(stamp.index)
        w.double(stamp.timeSeconds)
        w.optional(stamp.file) { $0.string($1) }
        w.optional(stamp.fileIndex) { $0.int($1) }
        w.optional(stamp.photo) { w, photo in
            w.int(photo.width)
            w.int(photo.height)
            w.optional(photo.takenAt) { $0.string($1) }
        }
        w.bool(frame.hasPicture)
        w.int(frame.framesDecoded)
        encode(frame.problems, into: &w)
        w.int(frame.faces.count)
        for face in frame.faces { encode(face, into: &w) }
        for ids in [tracked.trackIDs, tracked.personKeys] {
            w.int(ids.count)
            for id in ids { w.optional(id) { $0.int($1) } }
        }
        return w.bytes
    }

    private static func encode(_ face: AnalysedFace, into w: inout BinaryFieldWriter) {
        let d = face.detection
        for value in [d.box.x, d.box.y, d.box.width, d.box.height, d.score] { w.double(value) }
        let landmarks = d.orderedLandmarks
        w.int(landmarks.count)
        for (name, point) in landmarks {
            w.string(name.rawValue)
            w.double(point.x)
            w.double(point.y)
        }
        let t = face.cropToSource
        for value in [t.a, t.b, t.c, t.d, t.tx, t.ty] { w.double(value) }
        w.int(face.scores.probabilities.count)
        for p in face.scores.probabilities { w.float(p) }
        w.double(face.quality.sharpness)
        w.optional(face.quality.yawDegrees) { $0.double($1) }
        w.optional(face.quality.rollDegrees) { $0.double($1) }
        w.int(face.quality.reasons.count)
        for reason in face.quality.reasons { w.string(reason.rawValue) }
        w.optional(face.crop) { w, crop in
            w.int(crop.width)
            w.int(crop.height)
            w.string(crop.layout.rawValue)
            w.raw(crop.bytes)
        }
    }

    private static func encode(_ problems: [InputProblem], into w: inout BinaryFieldWriter) {
        w.int(problems.count)
        for problem in problems {
            w.string(problem.file)
            w.optional(problem.frame) { $0.int($1) }
            w.string(problem.code.rawValue)
            w.string(problem.message)
        }
    }

    static func encode(_ end: End) -> [UInt8] {
        var w = BinaryFieldWriter()
        w.int(end.sightings.count)
        for (track, sighting) in end.sightings.sorted(by: { $0.key < $1.key }) {
            w.int(track)
            w.int(sighting.frameIndex)
            w.double(sighting.timeSeconds)
            for value in [sighting.box.x, sighting.box.y, sighting.box.width, sighting.box.height] { w.double(value) }
        }
        w.int(end.framesSampled)
        w.int(end.faces)
        w.int(end.facesEmbedded)
        encode(end.problems, into: &w)
        // The media facts and cuts as JSON: their own Codable forms, read back exactly; keys sorted, so the same
        // run writes the same bytes.
        let json = JSONEncoder()
        json.outputFormatting = .sortedKeys
        w.optional(end.media.flatMap { try? json.encode($0) }) { $0.raw(Array($1)) }
        w.optional(end.shotCuts.flatMap { try? json.encode($0) }) { $0.raw(Array($1)) }
        return w.bytes
    }

    /// A record as the file holds it: tag, length, payload, checksum.
    static func framed(_ tag: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var length = BinaryFieldWriter()
        length.int(payload.count)
        var sum = BinaryFieldWriter()
        sum.int(checksum(tag, payload))
        return [tag] + length.bytes + payload + sum.bytes
    }

    /// FNV-1a over the tag and the payload: any changed byte changes it, cheaply (a few ns a byte).
    static func checksum(_ tag: UInt8, _ payload: [UInt8]) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash = (hash ^ UInt64(tag)) &* 0x0000_0100_0000_01b3
        for byte in payload { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int(bitPattern: UInt(hash))
    }

    // MARK: Reading

    /// The largest time or coordinate a record may hold: a crafted file's huge values would trap later, where times
    /// and pixels are turned into integers.
    static let largestValue = 1e9

    /// `value`, when finite and within ±`largestValue`.
    private static func bounded(_ value: Double, _ what: String) throws -> Double {
        guard value.isFinite, abs(value) <= largestValue else { throw BinaryFieldError.badValue("\(what) of \(value)") }
        return value
    }

    private static func point(_ r: inout BinaryFieldReader) throws -> Point {
        Point(x: try bounded(try r.double(), "a point"), y: try bounded(try r.double(), "a point"))
    }

    private static func box(_ r: inout BinaryFieldReader) throws -> Box {
        let box = Box(
            x: try bounded(try r.double(), "a box"), y: try bounded(try r.double(), "a box"),
            width: try bounded(try r.double(), "a box"), height: try bounded(try r.double(), "a box"))
        guard box.width >= 0, box.height >= 0 else { throw BinaryFieldError.badValue("a box of negative size") }
        return box
    }

    static func decodeFrame(_ bytes: [UInt8]) throws -> TrackedFrame {
        var r = BinaryFieldReader(bytes)
        let sequence = try r.int(), index = try r.int(), time = try bounded(try r.double(), "a time")
        guard sequence >= 0, index >= 0, time >= 0 else {
            throw BinaryFieldError.badValue("a frame numbered \(sequence), \(index) at \(time) s")
        }
        let file = try r.optional { try $0.string() }
        let fileIndex = try r.optional { try $0.int() }
        let photo = try r.optional { r in
            PhotoFacts(width: try r.int(), height: try r.int(), takenAt: try r.optional { try $0.string() })
        }
        let stamp = FrameStamp(
            sequence: sequence, index: index, timeSeconds: time, file: file, fileIndex: fileIndex, photo: photo)
        let hasPicture = try r.bool()
        let framesDecoded = try r.int()
        guard framesDecoded >= 0 else { throw BinaryFieldError.badValue("\(framesDecoded) frames decoded") }
        let problems = try decodeProblems(&r)
        let faces = try (0..<r.count(minimumBytes: 100)).map { _ in try decodeFace(&r) }
        var lists: [[Int?]] = []
        for _ in 0..<2 {
            lists.append(try (0..<r.count()).map { _ in try r.optional { try $0.int() } })
        }
        guard lists[0].count == faces.count, lists[1].count == faces.count, r.isAtEnd else {
            throw BinaryFieldError.badValue("a frame whose faces and tracks do not match")
        }
        let frame = AnalysedFrame(
            stamp: stamp, faces: faces, hasPicture: hasPicture, framesDecoded: framesDecoded, problems: problems)
        return TrackedFrame(frame: frame, trackIDs: lists[0], personKeys: lists[1])
    }

    private static func decodeFace(_ r: inout BinaryFieldReader) throws -> AnalysedFace {
        let box = try box(&r)
        let score = try bounded(try r.double(), "a score")
        var landmarks: [DetectedFace.Landmark: Point] = [:]
        for _ in 0..<(try r.count(minimumBytes: 24)) {
            landmarks[DetectedFace.Landmark(rawValue: try r.string())] = try point(&r)
        }
        guard let rightEye = landmarks[.rightEye], let leftEye = landmarks[.leftEye] else {
            throw BinaryFieldError.badValue("a face without both eyes")
        }
        let detection = DetectedFace(box: box, score: score, rightEye: rightEye, leftEye: leftEye, others: landmarks)
        let number = { (r: inout BinaryFieldReader) in try bounded(try r.double(), "a number") }
        let transform = AffineTransform(
            a: try number(&r), b: try number(&r), c: try number(&r), d: try number(&r), tx: try number(&r),
            ty: try number(&r))
        let probabilities = try (0..<r.count(minimumBytes: 4)).map { _ in try r.float() }
        guard probabilities.count == Emotion.allCases.count, probabilities.allSatisfy({ (0...1).contains($0) }) else {
            throw BinaryFieldError.badValue("probabilities \(probabilities)")
        }
        let sharpness = try number(&r)
        let yaw = try r.optional { try bounded(try $0.double(), "a yaw") }
        let roll = try r.optional { try bounded(try $0.double(), "a roll") }
        let reasons = try (0..<r.count()).map { _ in
            let name = try r.string()
            guard let reason = UncertainReason(rawValue: name) else {
                throw BinaryFieldError.badValue("an unknown reason \(name)")
            }
            return reason
        }
        let crop = try r.optional { r -> PixelBuffer in
            let width = try r.int(), height = try r.int()
            let name = try r.string()
            let bytes = try r.raw()
            guard let layout = PixelLayout(rawValue: name), width > 0, height > 0, width <= 4096, height <= 4096,
                bytes.count == width * height * layout.channels
            else {
                throw BinaryFieldError.badValue("a crop of \(width)x\(height) \(name) in \(bytes.count) bytes")
            }
            return PixelBuffer(width: width, height: height, layout: layout, bytes: bytes)
        }
        return AnalysedFace(
            detection: detection, cropToSource: transform, scores: EmotionScores(probabilities: probabilities),
            quality: FaceQuality(sharpness: sharpness, yawDegrees: yaw, rollDegrees: roll, reasons: reasons),
            crop: crop)
    }

    private static func decodeProblems(_ r: inout BinaryFieldReader) throws -> [InputProblem] {
        try (0..<r.count(minimumBytes: 25)).map { _ in
            let file = try r.string()
            let frame = try r.optional { try $0.int() }
            let code = InputProblem.Code(rawValue: try r.string())
            return InputProblem(file: file, frame: frame, code: code, message: try r.string())
        }
    }

    static func decodeEnd(_ bytes: [UInt8]) throws -> End {
        var r = BinaryFieldReader(bytes)
        var sightings: [Int: FaceSighting] = [:]
        for _ in 0..<(try r.count(minimumBytes: 56)) {
            let track = try r.int()
            sightings[track] = FaceSighting(
                frameIndex: try r.int(), timeSeconds: try bounded(try r.double(), "a time"), box: try box(&r))
        }
        let framesSampled = try r.int(), faces = try r.int(), facesEmbedded = try r.int()
        guard framesSampled >= 0, faces >= 0, facesEmbedded >= 0 else {
            throw BinaryFieldError.badValue("a negative count")
        }
        let problems = try decodeProblems(&r)
        let json = JSONDecoder()
        let media = try r.optional { try json.decode(MediaInfo.self, from: Data(try $0.raw())) }
        let cuts = try r.optional { try json.decode([ShotCut].self, from: Data(try $0.raw())) }
        guard r.isAtEnd else { throw BinaryFieldError.badValue("bytes after its end") }
        return End(
            sightings: sightings, framesSampled: framesSampled, faces: faces, facesEmbedded: facesEmbedded,
            problems: problems, media: media, shotCuts: cuts)
    }
}
