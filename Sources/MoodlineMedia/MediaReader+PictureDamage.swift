import CFFmpeg
import Foundation

/// A JPEG photo cut short: FFmpeg decodes what is there without an error, so the file's bytes are checked for the
/// picture's end, and the decoded picture for the rows left blank.
extension MediaReader {
    /// The damage of a JPEG photo whose file ends before its picture does, saying how much of it was decoded; nil
    /// when the file is complete, or is not a JPEG file.
    func pictureDamage(_ frame: UnsafeMutablePointer<AVFrame>) -> MediaError? {
        guard interrupt == nil, codec.pointer.pointee.codec_id == AV_CODEC_ID_MJPEG,
            let data = FileManager.default.contents(atPath: path),
            case .endsEarly(let progressive) = JPEGCompleteness(scanning: data)
        else { return nil }
        let blankRows = Int(moodline_frame_blank_bottom_rows(frame))
        let height = Int(frame.pointee.height)
        return MediaError(
            code: .damagedPicture, path: path,
            message: Self.damageText(blankRows: blankRows, height: height, progressive: progressive))
    }

    /// What was analysed of a picture cut short, from the rows the decoder left blank (-1: not measured).
    static func damageText(blankRows: Int, height: Int, progressive: Bool) -> String {
        let opening = "damaged: the file ends before the picture does"
        if blankRows < 0 || height <= 0 { return "\(opening); what could be decoded was analysed" }
        if blankRows >= height { return "\(opening); none of it could be decoded" }
        if blankRows > 0 {
            let percent = (height - blankRows) * 100 / height
            return
                "\(opening); the top \(percent)% was analysed (\(height - blankRows) of \(height) rows), the rest is blank"
        }
        return progressive
            ? "\(opening); a progressive JPEG, so all of it was analysed, with less detail than the full picture"
            : "\(opening); all of its rows were decoded, the last ones may be incomplete"
    }
}
