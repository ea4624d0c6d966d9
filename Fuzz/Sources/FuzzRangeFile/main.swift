import Foundation
import FuzzSupport
import MoodlineCore

/// One input: a segments file or a human coding (`--segments`, `moodline agree --coding`). The first byte picks the
/// kind (SubRip, WebVTT, ELAN, CSV) and the rest is the file; every fourth input also goes to the reader of
/// `frames.csv`. Reading must give ranges or throw; never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRangeFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let kinds = ["srt", "vtt", "eaf", "csv"]
    let kind = kinds[Int(data[0]) % kinds.count]
    let folder = NSTemporaryDirectory() + "fuzz-ranges-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/input." + kind
    defer { unlink(path) }
    let body = Data(bytes: data + 1, count: size - 1)
    guard (try? body.write(to: URL(fileURLWithPath: path))) != nil else { return 0 }
    _ = try? RangeFile.read(path, tiers: data[0] & 16 == 0 ? nil : ["a"])
    if data[0] & 3 == 3 {
        let frames = folder + "/frames.csv"
        defer { unlink(frames) }
        if (try? body.write(to: URL(fileURLWithPath: frames))) != nil { _ = try? ResultFrames(folder: folder) }
    }
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzRangeFile_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzRangeFile_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzRangeFile)
}
