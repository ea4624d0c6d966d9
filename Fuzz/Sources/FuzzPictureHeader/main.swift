import FuzzSupport
import MoodlineMedia

/// One input: any bytes as the start of a picture file. Reading its declared size and its EXIF tags must
/// give an answer or nil, never trap or read outside the bytes (the address sanitizer watches), for every prefix a
/// short read could leave.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPictureHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let declared = DeclaredPictureSize.read(from: bytes) {
        precondition(declared.width >= 0 && declared.height >= 0 && declared.bytesPerPixel > 0)
        _ = try? declared.check(path: "fuzz", options: DecoderOptions())
    }
    if let tags = ExifTags.read(fromJPEG: bytes) {
        if let orientation = tags.orientation {
            precondition([0, 90, 180, 270].contains(orientation.clockwiseDegrees))
        }
        if let takenAt = tags.takenAt { precondition(takenAt.utf8.count == 19 || takenAt.utf8.count == 25) }
    }
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzPictureHeader_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzPictureHeader_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzPictureHeader)
}
