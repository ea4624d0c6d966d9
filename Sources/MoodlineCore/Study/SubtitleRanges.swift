import Foundation

/// Reads the cues of a SubRip (`.srt`) or WebVTT (`.vtt`) transcript, as a speech recogniser writes them, into
/// labelled ranges: each cue's text (tags removed, lines joined by a space) and, in WebVTT, its voice (`<v Name>`)
/// as the speaker.
enum SubtitleRanges {
    static func parse(_ text: String) throws(RangeFile.Failure) -> [LabelledRange] {
        var ranges: [LabelledRange] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            // WebVTT's comment, style and region blocks run to the next blank line.
            if line.hasPrefix("NOTE") || line == "STYLE" || line == "REGION" {
                while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty { i += 1 }
                continue
            }
            guard line.contains("-->") else {
                i += 1
                continue
            }
            let timingLine = i + 1
            let parts = line.components(separatedBy: "-->")
            // After the end time, WebVTT may give cue settings (`align:start`).
            let endText =
                parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            guard parts.count == 2, let start = timestamp(parts[0].trimmingCharacters(in: .whitespaces)),
                let end = timestamp(endText)
            else {
                throw RangeFile.Failure(line: timingLine, message: "cannot read the cue's times '\(line)'")
            }
            guard end > start else {
                throw RangeFile.Failure(line: timingLine, message: "the cue ends (\(endText)) before it starts")
            }
            i += 1
            var body: [String] = []
            // The text runs to a blank line, or to the next cue's times where a cue has no text.
            while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty, !lines[i].contains("-->") {
                body.append(lines[i])
                i += 1
            }
            let (label, speaker) = cueText(body.joined(separator: "\n"))
            ranges.append(LabelledRange(start: start, end: end, label: label, speaker: speaker))
        }
        return ranges
    }

    /// `[hh:]mm:ss.mmm` or `hh:mm:ss,mmm` in seconds; nil for anything else.
    static func timestamp(_ text: String) -> Double? {
        guard text.contains(":") else { return nil }
        return DecodeSettings.seconds(fromClock: text.replacingOccurrences(of: ",", with: "."))
    }

    /// The cue's text without markup, lines joined by spaces, and the first voice it names.
    private static func cueText(_ raw: String) -> (String, String?) {
        var text = ""
        var speaker: String?
        var rest = Substring(raw)
        while let open = rest.firstIndex(of: "<") {
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                rest = rest[open...]
                break
            }
            let tag = rest[rest.index(after: open)..<close]
            // `<v Name>` or `<v.class Name>`: the voice.
            if speaker == nil, tag.hasPrefix("v"), let space = tag.firstIndex(of: " ") {
                let name = tag[space...].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { speaker = name }
            }
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        text = XMLScanner.decodeEntities(text, also: ["nbsp": " ", "lrm": "", "rlm": ""])
        let joined = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return (joined, speaker)
    }
}
