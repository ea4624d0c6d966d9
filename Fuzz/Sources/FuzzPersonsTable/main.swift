import Foundation
import FuzzSupport
import MoodlineCore

/// One input: any bytes as an edited `persons.csv`, read as a video's table and as a photo set's (its CSV reader:
/// quoted names, CRLF, a byte-order mark). Reading must give rows or throw; never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPersonsTable(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = NSTemporaryDirectory() + "fuzz-persons-\(getpid()).csv"
    defer { unlink(path) }
    guard (try? Data(bytes: data, count: size).write(to: URL(fileURLWithPath: path))) != nil else { return 0 }
    _ = PersonsTableCheck.rows(inFile: path, faces: 50)
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzPersonsTable_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzPersonsTable_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzPersonsTable)
}
