import FuzzSupport
import MoodlineNN

/// One input: any bytes as a safetensors file. Opening must either fail with a `WeightError` or give entries whose
/// every tensor can be read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafeTensorsFile(bytes: bytes, name: "fuzz.safetensors") else { return 0 }
    for name in file.entries.keys.sorted() {
        guard let tensor = try? file.tensor(named: name) else { continue }
        precondition(
            tensor.data.count == tensor.shape.reduce(1, *),
            "tensor \(name) has \(tensor.data.count) values for shape \(tensor.shape)")
    }
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzSafeTensors_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzSafeTensors_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzSafeTensors)
}
