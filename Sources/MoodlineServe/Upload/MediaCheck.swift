import MoodlineMedia

/// Refuses an upload whose files FFmpeg cannot open as a picture or video, before a job is queued, so that the
/// page gets the reason at once (422) rather than a failed job later.
enum MediaCheck {
    static func refuseUnreadable(_ files: [UploadedFile], in folder: String) throws {
        for file in files {
            do {
                _ = try MediaReader(path: folder + "/" + file.storedName)
            } catch let error as MediaError {
                throw Refusal(.unprocessableContent, "'\(file.originalName)' is not a video or photo that can be read: \(error.message)")
            }
        }
    }
}
