/// A file received with an upload.
struct UploadedFile: Sendable {
    /// The name the browser gave, shown back to the user; never part of a path.
    let originalName: String
    /// The generated name it is stored under, inside the job's uploads folder.
    let storedName: String
    let bytes: Int
}
