import Foundation

/// The job folders an earlier run of the server left in `WORK/jobs`.
enum EarlierJobs {
    /// Their IDs, oldest (by last change) first. Only folders named as the server names jobs (16 lowercase hex
    /// digits) count: anything else someone put there is left alone.
    static func list(in jobsFolder: String) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: jobsFolder) else { return [] }
        var found: [(id: String, changed: Date)] = []
        for name in names where isJobID(name) {
            var status = stat()
            // lstat: a link named like a job is not one of the server's folders.
            guard lstat(jobsFolder + "/" + name, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { continue }
            // To the nanosecond: two short jobs often finish within the same second.
            let changed = TimeInterval(status.st_mtim.tv_sec) + TimeInterval(status.st_mtim.tv_nsec) / 1e9
            found.append((name, Date(timeIntervalSince1970: changed)))
        }
        return found.sorted { ($0.changed, $0.id) < ($1.changed, $1.id) }.map(\.id)
    }

    static func isJobID(_ name: String) -> Bool {
        name.utf8.count == 16
            && name.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }
}
