/// A set of files read one per frame: the folder they were found in (nil for a file named on its own) and their
/// paths, in order.
public struct FileList: Sendable, Equatable {
    public var root: String?
    public var files: [String]

    public init(root: String?, files: [String]) {
        self.root = root
        self.files = files
    }
}
