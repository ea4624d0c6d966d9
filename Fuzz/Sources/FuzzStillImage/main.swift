import FuzzSupport
import MoodlineMedia

/// One decoder for the whole run, as a live connection keeps one: bad input must not leave it unable to decode.
nonisolated(unsafe) private let decoder = try! StillImageDecoder(maximumSide: 1024, name: "fuzz")

/// One input: any bytes as a live camera frame. Decoding must throw a `MediaError` or give a picture no larger than
/// the limit whose buffer is the size it claims, and never touch memory it does not own (the address sanitizer
/// watches).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStillImage(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for (layout, side) in [(PixelLayout.rgb, nil), (PixelLayout.grey, 100)] as [(PixelLayout, Int?)] {
        do {
            let picture = try decoder.decode(bytes, layout: layout, outputSide: side)
            precondition(max(picture.width, picture.height) <= 1024)
            precondition(picture.bytes.count == picture.width * picture.height * layout.channels)
        } catch is MediaError {
        } catch {
            preconditionFailure("not a MediaError: \(error)")
        }
    }
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzStillImage_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzStillImage_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzStillImage)
}
