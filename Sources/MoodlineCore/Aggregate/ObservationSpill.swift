import Foundation

/// A live input's track observations moved to disk in batches, so that the aggregator's memory stays flat however
/// long the input runs; read back when a track's summary, or every track's at the end, is wanted.
///
/// Fixed-size records in a file made in the input's output folder (on the same disk as the outputs, not in a
/// temporary folder that may be memory) and unlinked at once: only the open descriptor reaches it, so nothing is left
/// behind however the run ends, killed included, and the space is freed when the last aggregator holding it is gone.
/// Confined to the aggregator's queue, like the aggregator itself.
final class ObservationSpill: @unchecked Sendable {
    /// Track ID, frame index, seconds, 7 probabilities, box: 8 + 8 + 8 + 7 × 4 + 4 × 8 bytes.
    static let recordBytes = 84
    let path: String
    private let handle: FileHandle
    /// Tracks with records in the file.
    private(set) var tracks: Set<Int> = []

    /// - Throws: when the file cannot be created in `folder`.
    init(folder: String) throws {
        path = folder + "/.observations-\(UUID().uuidString).bin"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw OutputError(
                path: path, message: "cannot create the observation file (\(String(cString: strerror(errno))))")
        }
        unlink(path)
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Appends `points` of track `id`.
    func write(_ id: Int, _ points: [TrackAggregator.Observation]) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(points.count * Self.recordBytes)
        func put<T>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        for point in points {
            put(Int64(id).littleEndian)
            put(Int64(point.frameIndex).littleEndian)
            put(point.seconds.bitPattern.littleEndian)
            for probability in point.probabilities { put(probability.bitPattern.littleEndian) }
            for value in [point.box.x, point.box.y, point.box.width, point.box.height] {
                put(value.bitPattern.littleEndian)
            }
        }
        try handle.seekToEnd()
        try handle.write(contentsOf: bytes)
        tracks.insert(id)
    }

    /// The records of track `id`, or of every track when nil, in the order they were written.
    func read(track id: Int?) throws -> [Int: [TrackAggregator.Observation]] {
        try handle.seek(toOffset: 0)
        var result: [Int: [TrackAggregator.Observation]] = [:]
        let batch = 4096 * Self.recordBytes
        while let data = try handle.read(upToCount: batch), !data.isEmpty {
            precondition(data.count % Self.recordBytes == 0, "the observation file was cut short")
            data.withUnsafeBytes { raw in
                for start in stride(from: 0, to: raw.count, by: Self.recordBytes) {
                    func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
                        T(littleEndian: raw.loadUnaligned(fromByteOffset: start + offset, as: T.self))
                    }
                    let track = Int(load(0, Int64.self))
                    guard id == nil || track == id else { continue }
                    let probabilities = (0..<7).map { Float(bitPattern: load(24 + 4 * $0, UInt32.self)) }
                    let box = (0..<4).map { Double(bitPattern: load(52 + 8 * $0, UInt64.self)) }
                    result[track, default: []].append(
                        TrackAggregator.Observation(
                            frameIndex: Int(load(8, Int64.self)), seconds: Double(bitPattern: load(16, UInt64.self)),
                            probabilities: probabilities, box: Box(x: box[0], y: box[1], width: box[2], height: box[3]))
                    )
                }
            }
        }
        return result
    }
}
