import Foundation
import FuzzSupport
import MoodlineCore

/// One input: any bytes as the records of a `readings.bin`, framed with valid lengths and checksums (so the fuzzer
/// reaches the payload decoders, not only the checksum test). Reading must count the frames or throw; never trap.
///
/// The input is cut into records: a tag byte, a 16-bit length, then that many payload bytes (fewer at the end).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReadingsRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var records: [(tag: UInt8, payload: [UInt8])] = []
    var offset = 0
    while offset + 3 <= bytes.count {
        let tag = bytes[offset]
        let length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
        let end = min(bytes.count, offset + 3 + length)
        records.append((tag, Array(bytes[(offset + 3)..<end])))
        offset = end
    }
    let path = NSTemporaryDirectory() + "fuzz-readings-\(getpid()).bin"
    defer { unlink(path) }
    do {
        try Data(ReadingsRecordCheck.file(records: records)).write(to: URL(fileURLWithPath: path))
        _ = try ReadingsRecordCheck.frames(inFile: path)
    } catch {}
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzReadingsRecord_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzReadingsRecord_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzReadingsRecord)
}
