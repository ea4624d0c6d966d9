import Foundation
import MoodlineMedia

/// Refuses an upload whose files FFmpeg cannot open as a picture or video, before a job is queued, so that the
/// page gets the reason at once (422) rather than a failed job later.
///
/// Opening a picture decodes it, so a JPEG or PNG is first judged by the size its header declares: over the
/// pixel limit it is refused (413) without a pixel decoded, and under it, it must reserve its decoded size in
/// the shared picture budget before it is opened (503 when the budget is taken by other pictures).
struct MediaCheck {
    let maximumPixels: Int
    let budget: PictureBudget

    func refuseUnreadable(_ files: [UploadedFile], in folder: String) throws {
        for file in files {
            let path = folder + "/" + file.storedName
            let header = Self.header(ofFile: path)
            if let header {
                guard header.pixels <= maximumPixels, header.decodedBytes <= budget.capacity else {
                    throw Refusal(.contentTooLarge, "'\(file.originalName)' is a picture of \(header.width)x\(header.height) pixels; the limits are "
                                  + "\(maximumPixels / 1_000_000) megapixels and \(budget.capacity / 1_000_000) MB once decoded")
                }
                guard budget.reserve(header.decodedBytes) else {
                    throw Refusal(.serviceUnavailable, "the server is busy decoding other pictures; try again in a moment")
                }
            }
            defer { if let header { budget.release(header.decodedBytes) } }
            do {
                _ = try MediaReader(path: path)
            } catch let error as MediaError {
                throw Refusal(.unprocessableContent, "'\(file.originalName)' is not a video or photo that can be read: \(error.message)")
            }
        }
    }

    /// The declared size of a JPEG or PNG file, read a few bytes at a time.
    static func header(ofFile path: String) -> PictureHeader? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return PictureHeader.read { offset, count in
            var bytes = [UInt8](repeating: 0, count: count)
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            return got > 0 ? Array(bytes.prefix(got)) : []
        }
    }
}
