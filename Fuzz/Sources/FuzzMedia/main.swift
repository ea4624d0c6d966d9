import Foundation
import FuzzSupport
import MoodlineMedia

/// Where each input is written: FFmpeg reads files, so the bytes go to one file per process in shared memory.
private let scratch = "/dev/shm/moodline-fuzz-media-\(getpid())"

/// One input: any bytes as a media file. Opening must fail with a `MediaError` or give facts; decoding (a few
/// frames, in both layouts, with and without scaling) must end, deliver buffers of the size they claim, and never
/// touch memory it does not own (the address sanitizer watches).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMedia(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard FileManager.default.createFile(atPath: scratch, contents: Data(bytes: data, count: size)) else { return 0 }
    for (layout, side) in [(PixelLayout.rgb, nil), (PixelLayout.grey, 200)] as [(PixelLayout, Int?)] {
        let options = DecoderOptions(layout: layout, threads: 1, maxPixels: 4_000_000, maximumSide: side)
        guard let reader = try? MediaReader(path: scratch, options: options) else { return 0 }
        var frames = 0
        _ = try? reader.decodeFrames(select: { _ in
            frames += 1; return frames <= 3
        }) { frame in
            precondition(frame.pixels.bytes.count == frame.pixels.width * frame.pixels.height * layout.channels)
        }
    }
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzMedia_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzMedia_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzMedia)
}
