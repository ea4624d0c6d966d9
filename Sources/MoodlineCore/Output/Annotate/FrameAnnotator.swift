import MoodlineMedia

/// Draws one sampled frame's results on a picture: each face's box in its emotion's colour, and above it a label
/// `T<track> <emotion> <confidence>` in white on that colour; an uncertain reading dashed and grey, with `?` after
/// its confidence (as the live page draws it). Optionally the seven probabilities as bars beside the box. Every
/// frame also gets the colours' legend at the bottom and its time at the top left. Line width and text size grow
/// with the picture's height, so both read well from 360p to 4K.
struct FrameAnnotator {
    /// One face to draw, in source pixels (the picture's own).
    struct Mark: Sendable {
        let box: Box
        let label: String
        let colour: (UInt8, UInt8, UInt8)
        /// Drawn dashed (an uncertain reading).
        var dashed = false
        /// The seven probabilities, in `Emotion.allCases` order, when bars are drawn.
        var probabilities: [Float]? = nil
    }

    /// An uncertain reading's colour: the live page's grey.
    static let uncertainColour: (UInt8, UInt8, UInt8) = (0x75, 0x75, 0x75)

    /// The emotions' colours as RGB, matching the report's.
    static let colours: [(UInt8, UInt8, UInt8)] = ReportCharts.colours.map { hex in
        let value = Int(hex.dropFirst(), radix: 16)!
        return (UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    /// The marks for a sampled frame's faces; `bars`: with their seven probabilities.
    static func marks(_ frame: TrackedFrame, bars: Bool = false) -> [Mark] {
        zip(frame.frame.faces, frame.trackIDs).map { face, id in
            let emotion = face.scores.label
            let uncertain = face.quality.isUncertain
            let label =
                (id.map { "T\($0) " } ?? "") + emotion.rawValue + " "
                + FixedPoint.format(face.scores.confidence, decimals: 2) + (uncertain ? "?" : "")
            return Mark(
                box: face.detection.box, label: label, colour: uncertain ? uncertainColour : colours[emotion.index],
                dashed: uncertain, probabilities: bars ? face.scores.probabilities : nil)
        }
    }

    /// Draws `marks` on an RGB picture, then the legend and, when given, the frame's time.
    static func draw(_ marks: [Mark], on picture: inout PixelBuffer, seconds: Double? = nil) {
        guard picture.layout == .rgb else { return }
        let line = max(2, picture.height / 360)
        let scale = max(2, picture.height / 270)
        for mark in marks {
            let x0 = Int(mark.box.x.rounded()), y0 = Int(mark.box.y.rounded())
            let x1 = Int((mark.box.x + mark.box.width).rounded()), y1 = Int((mark.box.y + mark.box.height).rounded())
            // Dashes four lines long with gaps as long, or a solid line.
            let dash = mark.dashed ? 4 * line : Int.max / 4
            for x in stride(from: x0 - line, to: x1 + line, by: mark.dashed ? 2 * dash : Int.max / 2) {
                let end = min(x + dash, x1 + line)
                fill(&picture, x, y0 - line, end, y0, mark.colour)
                fill(&picture, x, y1, end, y1 + line, mark.colour)
            }
            for y in stride(from: y0, to: y1, by: mark.dashed ? 2 * dash : Int.max / 2) {
                let end = min(y + dash, y1)
                fill(&picture, x0 - line, y, x0, end, mark.colour)
                fill(&picture, x1, y, x1 + line, end, mark.colour)
            }
            if let probabilities = mark.probabilities { bars(probabilities, right: x1 + line, top: y0, on: &picture) }
            // The label sits on the box's top edge, or inside the box when there is no room above.
            let textWidth = BitmapFont.width(of: mark.label) * scale, textHeight = BitmapFont.glyphHeight * scale
            let pad = scale
            var top = y0 - line - textHeight - 2 * pad
            if top < 0 { top = y0 }
            let left = min(max(0, x0 - line), max(0, picture.width - textWidth - 2 * pad))
            fill(&picture, left, top, left + textWidth + 2 * pad, top + textHeight + 2 * pad, mark.colour)
            text(&picture, mark.label, x: left + pad, y: top + pad, scale: scale)
        }
        legend(on: &picture)
        if let seconds { timecode(seconds, on: &picture) }
    }

    /// The seven probabilities as bars to the right of a box (on its left when there is no room), each in its
    /// emotion's colour on a dark track as long as a probability of 1.
    private static func bars(_ probabilities: [Float], right: Int, top: Int, on picture: inout PixelBuffer) {
        let thickness = max(4, picture.height / 90), gap = max(1, thickness / 3)
        let length = max(40, picture.height / 6)
        let left = right + gap + length <= picture.width ? right + gap : max(0, right - length)
        for (n, p) in probabilities.prefix(colours.count).enumerated() {
            let y = top + n * (thickness + gap)
            fill(&picture, left, y, left + length, y + thickness, (40, 40, 40))
            let filled = Int((Double(max(0, min(1, p))) * Double(length)).rounded())
            fill(&picture, left, y, left + filled, y + thickness, colours[n])
        }
    }

    /// The emotions' colours, named, along the bottom left, and what a dashed grey box means.
    private static func legend(on picture: inout PixelBuffer) {
        let scale = max(1, picture.height / 540)
        let glyph = BitmapFont.glyphHeight * scale, pad = 2 * scale
        let entries = zip(Emotion.allCases.map(\.rawValue), colours).map { ($0, $1) } + [("uncertain", uncertainColour)]
        let swatch = glyph
        let width = entries.reduce(pad) { $0 + swatch + pad + BitmapFont.width(of: $1.0) * scale + 3 * pad }
        let top = picture.height - glyph - 2 * pad
        guard top > 0, width <= picture.width else { return }
        fill(&picture, 0, top, width, picture.height, (20, 20, 20))
        var x = pad
        for (name, colour) in entries {
            fill(&picture, x, top + pad, x + swatch, top + pad + glyph, colour)
            x += swatch + pad
            text(&picture, name, x: x, y: top + pad, scale: scale)
            x += BitmapFont.width(of: name) * scale + 3 * pad
        }
    }

    /// The frame's time in the source, `0:01:23.4`, at the top left.
    private static func timecode(_ seconds: Double, on picture: inout PixelBuffer) {
        let scale = max(2, picture.height / 270)
        let tenths = Int((max(0, min(seconds, 1e9)) * 10).rounded(.down))
        let (h, m, s, t) = (tenths / 36_000, tenths / 600 % 60, tenths / 10 % 60, tenths % 10)
        let label = "\(h):" + (m < 10 ? "0\(m)" : "\(m)") + ":" + (s < 10 ? "0\(s)" : "\(s)") + ".\(t)"
        let pad = 2 * scale
        let width = BitmapFont.width(of: label) * scale + 2 * pad, height = BitmapFont.glyphHeight * scale + 2 * pad
        guard width <= picture.width, height <= picture.height else { return }
        fill(&picture, 0, 0, width, height, (20, 20, 20))
        text(&picture, label, x: pad, y: pad, scale: scale)
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
