/// One file or folder a job analyses: where it is on the server, and the name the user knows it by.
struct JobInput: Sendable, Equatable {
    /// The stored upload, or the resolved server-side path; what the batch runner is given.
    let path: String
    /// The name the browser gave, or the path as asked for; shown back, never used as a path.
    let name: String
}
