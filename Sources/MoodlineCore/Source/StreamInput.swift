import MoodlineMedia

/// A live input: a network stream or standard input, read as it comes, with no known end, never the same twice.
public struct StreamInput: InputSource, Equatable {
    public let address: StreamAddress

    public var traits: SourceTraits { SourceTraits(isLive: true, isReadableTwice: false, isPhotoSet: false) }

    public func makeFrameSource(_ setup: FrameSourceSetup) -> any FrameSource {
        StreamSource(address: address, options: setup.options, decode: setup.decode, stop: setup.stop)
    }

    /// Nil: a live input is always analysed again.
    public func fingerprint() -> InputFingerprint? { nil }

    public func manifestFacts(sizeBytes: Int?) -> InputFacts {
        InputFacts(kind: "stream", sizeBytes: sizeBytes, includesMedia: true)
    }

    /// `-` and URLs of the streaming protocols (`StreamAddress`) name a stream.
    static func claim(_ path: String, _ options: InputOptions) -> ClaimedInput? {
        StreamAddress(path).map {
            ClaimedInput(source: StreamInput(address: $0), path: $0.text, folderName: $0.folderName)
        }
    }
}

extension InputSource where Self == StreamInput {
    /// The live input at `address`.
    public static func stream(_ address: StreamAddress) -> StreamInput { StreamInput(address: address) }
}
