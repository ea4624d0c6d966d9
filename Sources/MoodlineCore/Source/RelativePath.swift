import Foundation

/// How a file of a set is named in outputs: relative to the set's folder.
enum RelativePath {
    /// `path` relative to `root`; its last component when there is no root; unchanged when it lies outside `root`.
    static func of(_ path: String, in root: String?) -> String {
        guard let root else { return (path as NSString).lastPathComponent }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
