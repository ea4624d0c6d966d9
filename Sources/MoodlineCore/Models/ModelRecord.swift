/// A model as the manifest records it.
public struct ModelRecord: Sendable, Equatable {
    public let name: String
    public let file: String
    public let sha256: String
    public let licence: String
    public let source: String
}
