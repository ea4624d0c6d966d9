import Foundation
import FuzzSupport
import MoodlineCore

/// One input: any bytes as a pipeline file. Parsing must either fail with a `PipelineError` naming a key, or give a
/// definition that validates and survives a round trip through its JSON form.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipelineFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    guard let definition = try? PipelineFile.parse(bytes, source: "fuzz.json") else { return 0 }
    guard let again = try? PipelineFile.data(definition),
        let reparsed = try? PipelineFile.parse(again, source: "round trip")
    else {
        preconditionFailure("a parsed pipeline must serialise and parse again")
    }
    precondition(reparsed == definition, "the round trip changed the pipeline")
    return 0
}

/// SwiftPM links this executable's entry point as `FuzzPipelineFile_main`: libFuzzer's driver runs from there.
@_cdecl("FuzzPipelineFile_main")
public func fuzzerEntryPoint(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzPipelineFile)
}
