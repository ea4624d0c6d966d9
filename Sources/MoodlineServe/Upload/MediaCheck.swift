import Foundation
import MoodlineMedia

/// Refuses an upload whose files FFmpeg cannot open as a picture or video, before a job is queued, so that the
/// page gets the reason at once (422) rather than a failed job later.
///
/// Opening a picture decodes it, so a picture (PNG, JPEG, GIF, WebP, BMP) is first judged by the size its header declares: over the
/// pixel limit it is refused (413) without a pixel decoded, and under it, it must reserve its decoded size in
/// the shared picture budget before it is opened (503 when the budget is taken by other pictures).
struct MediaCheck {
    let maximumPixels: Int
    let budget: PictureMemoryBudget

    func refuseUnreadable(_ files: [UploadedFile], in folder: String) throws {
        for file in files {
            let path = folder + "/" + file.storedName
            let header = DeclaredPictureSize.read(fileAt: path)
            if let header {
                guard header.pixels <= maximumPixels, header.decodedByteCount <= budget.capacityBytes else {
                    throw Refusal(
                        .contentTooLarge,
                        "'\(file.originalName)' is a picture of \(header.width)x\(header.height) pixels; the limits are "
                            + "\(maximumPixels / 1_000_000) megapixels and \(budget.capacityBytes / 1_000_000) MB once decoded"
                    )
                }
                guard budget.tryReserve(header.decodedByteCount) else {
                    throw Refusal(
                        .serviceUnavailable, "the server is busy decoding other pictures; try again in a moment")
                }
            }
            defer { if let header { budget.release(header.decodedByteCount) } }
            do {
                _ = try MediaReader(path: path)
            } catch let error as MediaError {
                throw Refusal(
                    .unprocessableContent,
                    "'\(file.originalName)' is not a video or photo that can be read: \(error.message)")
            }
        }
    }
}
