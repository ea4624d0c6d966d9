import CFFmpeg
import Foundation

/// Reading a video's display matrix: how a stream (or a decoded frame) must be turned and mirrored to stand upright.
extension MediaReader {
    /// The display matrix of `stream`'s side data, as a rotation and mirror; upright when it has none.
    static func streamOrientation(_ stream: UnsafeMutablePointer<AVStream>) -> Orientation {
        guard let matrix = moodline_stream_display_matrix(stream) else { return .upright }
        return orientation(displayMatrix: matrix)
    }

    /// The rotation and mirror a display matrix describes.
    ///
    /// A mirrored matrix (negative determinant) is FFmpeg's rotation matrix with its first column negated
    /// (`av_display_matrix_flip` after `av_display_rotation_set`: turn, then mirror left to right). That column is
    /// negated back before the angle is read: read directly, a plain left-right mirror has the angle of a half turn,
    /// and a picture that only needs mirroring was turned upside down. `av_display_rotation_get` gives the angle
    /// counter-clockwise.
    static func orientation(displayMatrix matrix: UnsafePointer<Int32>) -> Orientation {
        var entries = (0..<9).map { matrix[$0] }
        // In Double: the matrix comes from the file, and the products of two Int32s can overflow Int64 when subtracted.
        let determinant = Double(entries[0]) * Double(entries[4]) - Double(entries[1]) * Double(entries[3])
        let mirrored = determinant < 0
        if mirrored {
            // Int32.min has no negation: saturate (the angle, read from ratios, does not notice).
            for index in [0, 3, 6] { entries[index] = entries[index] == .min ? .max : -entries[index] }
        }
        let counterClockwise = entries.withUnsafeBufferPointer { av_display_rotation_get($0.baseAddress!) }
        guard counterClockwise.isFinite else { return .upright }
        let clockwise = Int((-counterClockwise / 90).rounded()) * 90
        return Orientation(clockwiseDegrees: clockwise, mirrored: mirrored)
    }
}
