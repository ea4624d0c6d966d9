import MoodlineMedia

/// Draws one sampled frame's results on a picture: each face's box in its emotion's colour, and above it a label
/// `T<track> <emotion> <confidence>` (`?` after the confidence when the reading is uncertain) in white on that
/// colour. Line width and text size grow with the picture's height, so both read well from 360p to 4K.
struct FrameAnnotator {
    /// One face to draw, in source pixels (the picture's own).
    struct Mark: Sendable {
        let box: Box
        let label: String
        let colour: (UInt8, UInt8, UInt8)
    }

    /// The emotions' colours as RGB, matching the report's.
    static let colours: [(UInt8, UInt8, UInt8)] = ReportCharts.colours.map { hex in
        let value = Int(hex.dropFirst(), radix: 16)!
        return (UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    /// The marks for a sampled frame's faces.
    static func marks(_ frame: TrackedFrame) -> [Mark] {
        zip(frame.frame.faces, frame.trackIDs).map { face, id in
            let emotion = face.scores.label
            let label =
                (id.map { "T\($0) " } ?? "") + emotion.rawValue + " "
                + FixedPoint.format(face.scores.confidence, decimals: 2) + (face.quality.isUncertain ? "?" : "")
            return Mark(box: face.detection.box, label: label, colour: colours[emotion.index])
        }
    }

    /// Draws `marks` on an RGB picture.
    static func draw(_ marks: [Mark], on picture: inout PixelBuffer) {
        guard picture.layout == .rgb else { return }
        let line = max(2, picture.height / 360)
        let scale = max(2, picture.height / 270)
        for mark in marks {
            let x0 = Int(mark.box.x.rounded()), y0 = Int(mark.box.y.rounded())
            let x1 = Int((mark.box.x + mark.box.width).rounded()), y1 = Int((mark.box.y + mark.box.height).rounded())
            fill(&picture, x0 - line, y0 - line, x1 + line, y0, mark.colour)
            fill(&picture, x0 - line, y1, x1 + line, y1 + line, mark.colour)
            fill(&picture, x0 - line, y0, x0, y1, mark.colour)
            fill(&picture, x1, y0, x1 + line, y1, mark.colour)
            // The label sits on the box's top edge, or inside the box when there is no room above.
            let textWidth = BitmapFont.width(of: mark.label) * scale, textHeight = BitmapFont.glyphHeight * scale
            let pad = scale
            var top = y0 - line - textHeight - 2 * pad
            if top < 0 { top = y0 }
            let left = min(max(0, x0 - line), max(0, picture.width - textWidth - 2 * pad))
            fill(&picture, left, top, left + textWidth + 2 * pad, top + textHeight + 2 * pad, mark.colour)
            text(&picture, mark.label, x: left + pad, y: top + pad, scale: scale)
        }
    }

    /// Fills the rectangle [x0, x1) x [y0, y1), clipped to the picture.
    private static func fill(
        _ picture: inout PixelBuffer, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ colour: (UInt8, UInt8, UInt8)
    ) {
        let left = max(0, x0), right = min(picture.width, x1), top = max(0, y0), bottom = min(picture.height, y1)
        guard left < right, top < bottom else { return }
        let width = picture.width
        picture.bytes.withUnsafeMutableBufferPointer { bytes in
            for y in top..<bottom {
                var i = (y * width + left) * 3
                for _ in left..<right {
                    bytes[i] = colour.0
                    bytes[i + 1] = colour.1
                    bytes[i + 2] = colour.2
                    i += 3
                }
            }
        }
    }

    /// Writes `text` in white, each font pixel a `scale`-sized square.
    private static func text(_ picture: inout PixelBuffer, _ text: String, x: Int, y: Int, scale: Int) {
        for (n, character) in text.enumerated() {
            let cellX = x + n * (BitmapFont.glyphWidth + 1) * scale
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where BitmapFont.ink(character, x: column, y: row) {
                    let px = cellX + column * scale, py = y + row * scale
                    fill(&picture, px, py, px + scale, py + scale, (255, 255, 255))
                }
            }
        }
    }
}
