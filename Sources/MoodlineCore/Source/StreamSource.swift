import Foundation
import MoodlineMedia

/// A live input (a network stream or standard input), read as it comes: sampled by timestamp with no known
/// duration, ending at the stream's end, at `--duration`, when the batch is asked to stop (SIGINT, SIGTERM; even
/// while a read waits), or when no data comes for `decode.stall_timeout_s`.
struct StreamSource: FrameSource {
    let address: StreamAddress
    let options: DecoderOptions
    let decode: DecodeSettings
    let stop: StopRequest
    private var reader: MediaReader?

    init(address: StreamAddress, options: DecoderOptions, decode: DecodeSettings, stop: StopRequest) {
        self.address = address
        self.options = options
        self.decode = decode
        self.stop = stop
    }

    mutating func open() throws -> SourceFacts {
        let stop = stop
        let reader = try MediaReader(stream: address, options: options, stallSeconds: decode.stallTimeoutSeconds,
                                     shouldStop: { stop.isStopped })
        self.reader = reader
        return SourceFacts(media: reader.info, sizeBytes: nil)
    }

    func expectedFrames(_ sampling: SamplingMode) -> Int? { nil }

    mutating func frames(sampler: inout FrameSampler, deliver: (SourceItem) -> Bool) -> SourceEnd {
        guard let reader else { return SourceEnd() }
        return VideoFileSource.frames(of: reader, path: address.text, sampler: &sampler,
                                      skipsUnsampledFrames: decode.skipsUnsampledFrames, deliver: deliver)
    }
}
