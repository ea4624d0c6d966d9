import Foundation

/// Reads the annotations of an ELAN document (`.eaf`) into labelled ranges: each annotation's value, with its tier
/// and the tier's participant as the speaker. Time-aligned annotations take their time slots' times; a symbolic
/// one (`REF_ANNOTATION`) takes its parent's. Annotations on slots without times (unaligned) are left out.
///
/// A small reader of just what EAF needs, rather than an XML library: elements, attributes, text, entities,
/// comments and CDATA. It never follows external entities.
enum ELANRanges {
    /// The annotations of the tiers named in `tiers` (all tiers when nil), by tier in document order.
    static func parse(_ text: String, tiers: [String]?) throws(RangeFile.Failure) -> [LabelledRange] {
        var slots: [String: Double] = [:]
        var tierNames: [String] = []
        struct Pending {
            let id: String, tier: String, speaker: String?
            var slotStart: String?, slotEnd: String?, parent: String?
            var value = ""
        }
        var annotations: [Pending] = []
        var tier: (name: String, speaker: String?)?
        var open: Pending?
        var inValue = false

        try XMLScanner.scan(text) { event throws(RangeFile.Failure) in
            switch event {
            case .start(let name, let attributes, let line):
                switch name {
                case "TIME_SLOT":
                    if let id = attributes["TIME_SLOT_ID"], let value = attributes["TIME_VALUE"] {
                        guard let ms = Double(value), ms.isFinite, ms >= 0 else {
                            throw RangeFile.Failure(line: line, message: "time slot \(id) has no valid time '\(value)'")
                        }
                        slots[id] = ms / 1000
                    }
                case "TIER":
                    let name = attributes["TIER_ID"] ?? ""
                    let participant = attributes["PARTICIPANT"].flatMap { $0.isEmpty ? nil : $0 }
                    tier = (name, participant)
                    tierNames.append(name)
                case "ALIGNABLE_ANNOTATION", "REF_ANNOTATION":
                    guard let tier else { break }
                    open = Pending(
                        id: attributes["ANNOTATION_ID"] ?? "", tier: tier.name, speaker: tier.speaker,
                        slotStart: attributes["TIME_SLOT_REF1"], slotEnd: attributes["TIME_SLOT_REF2"],
                        parent: attributes["ANNOTATION_REF"])
                case "ANNOTATION_VALUE":
                    inValue = open != nil
                default: break
                }
            case .text(let content):
                if inValue { open?.value += content }
            case .end(let name):
                switch name {
                case "TIER": tier = nil
                case "ANNOTATION_VALUE": inValue = false
                case "ALIGNABLE_ANNOTATION", "REF_ANNOTATION":
                    if let done = open { annotations.append(done) }
                    open = nil
                default: break
                }
            }
        }
        if let tiers {
            let missing = tiers.filter { !tierNames.contains($0) }
            guard missing.isEmpty else {
                throw RangeFile.Failure(
                    line: nil,
                    message:
                        "has no tier \(missing.map { "'\($0)'" }.joined(separator: ", ")) (its tiers: \(tierNames.map { "'\($0)'" }.joined(separator: ", ")))"
                )
            }
        }
        // A symbolic annotation's times are its parent's (followed up to a bounded depth: a loop is no times).
        var byID: [String: Pending] = [:]
        for annotation in annotations { byID[annotation.id] = annotation }
        func times(_ annotation: Pending, depth: Int = 0) -> (Double, Double)? {
            if let parent = annotation.parent {
                guard depth < 16, let up = byID[parent] else { return nil }
                return times(up, depth: depth + 1)
            }
            guard let a = annotation.slotStart.flatMap({ slots[$0] }), let b = annotation.slotEnd.flatMap({ slots[$0] })
            else { return nil }
            return (a, b)
        }
        return annotations.compactMap { annotation in
            guard tiers?.contains(annotation.tier) ?? true, let (start, end) = times(annotation), end > start else {
                return nil
            }
            return LabelledRange(
                start: start, end: end, label: annotation.value.trimmingCharacters(in: .whitespacesAndNewlines),
                speaker: annotation.speaker, tier: annotation.tier)
        }
    }
}

/// The parts of an XML document as `ELANRanges` reads them.
enum XMLScanner {
    enum Event {
        case start(name: String, attributes: [String: String], line: Int)
        case text(String)
        case end(name: String)
    }

    /// Calls `handle` for each element start, end and text in `text`, in order. Malformed markup is an error naming
    /// its line.
    static func scan(_ text: String, _ handle: (Event) throws(RangeFile.Failure) -> Void) throws(RangeFile.Failure) {
        let s = Array(text.utf8)
        var i = 0
        var line = 1
        func count(_ range: Range<Int>) { line += s[range].lazy.filter { $0 == UInt8(ascii: "\n") }.count }
        func find(_ needle: String, from: Int) -> Int? {
            let n = Array(needle.utf8)
            var j = from
            while j + n.count <= s.count {
                if s[j] == n[0], Array(s[j..<j + n.count]) == n { return j }
                j += 1
            }
            return nil
        }
        func string(_ range: Range<Int>) -> String { String(decoding: s[range], as: UTF8.self) }
        while i < s.count {
            guard s[i] == UInt8(ascii: "<") else {
                let next = s[i...].firstIndex(of: UInt8(ascii: "<")) ?? s.count
                try handle(.text(decodeEntities(string(i..<next))))
                count(i..<next)
                i = next
                continue
            }
            let startLine = line
            if let close = prefixEnd(s, at: i, opening: "<!--", closing: "-->", find: find)
                ?? prefixEnd(s, at: i, opening: "<?", closing: "?>", find: find)
            {
                count(i..<close)
                i = close
                continue
            }
            if s[i...].starts(with: Array("<![CDATA[".utf8)) {
                guard let close = find("]]>", from: i + 9) else {
                    throw RangeFile.Failure(line: startLine, message: "a CDATA section is not closed")
                }
                try handle(.text(string(i + 9..<close)))
                count(i..<close)
                i = close + 3
                continue
            }
            // Any other markup ends at the next `>` outside quotes.
            var j = i + 1
            var quote: UInt8?
            while j < s.count, !(quote == nil && s[j] == UInt8(ascii: ">")) {
                if let q = quote {
                    if s[j] == q { quote = nil }
                } else if s[j] == UInt8(ascii: "\"") || s[j] == UInt8(ascii: "'") {
                    quote = s[j]
                }
                j += 1
            }
            guard j < s.count else { throw RangeFile.Failure(line: startLine, message: "a tag is not closed") }
            let tag = string(i + 1..<j)
            count(i..<j)
            i = j + 1
            if tag.hasPrefix("!") { continue } // a DOCTYPE: never followed
            if tag.hasPrefix("/") {
                try handle(.end(name: tag.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines)))
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            let body = selfClosing ? String(tag.dropLast()) : tag
            let (name, attributes) = try element(body, line: startLine)
            try handle(.start(name: name, attributes: attributes, line: startLine))
            if selfClosing { try handle(.end(name: name)) }
        }
    }

    private static func prefixEnd(
        _ s: [UInt8], at i: Int, opening: String, closing: String, find: (String, Int) -> Int?
    ) -> Int? {
        guard s[i...].starts(with: Array(opening.utf8)) else { return nil }
        return (find(closing, i + opening.utf8.count) ?? s.count - closing.utf8.count) + closing.utf8.count
    }

    /// A start tag's name and attributes.
    private static func element(_ body: String, line: Int) throws(RangeFile.Failure) -> (String, [String: String]) {
        var scalars = Substring(body)
        let name = scalars.prefix { !$0.isWhitespace }
        scalars = scalars[name.endIndex...]
        var attributes: [String: String] = [:]
        while true {
            scalars = scalars.drop { $0.isWhitespace }
            guard !scalars.isEmpty else { break }
            guard let equals = scalars.firstIndex(of: "=") else {
                throw RangeFile.Failure(line: line, message: "an attribute of <\(name)> has no value")
            }
            let key = scalars[..<equals].trimmingCharacters(in: .whitespaces)
            scalars = scalars[scalars.index(after: equals)...].drop { $0.isWhitespace }
            guard let quote = scalars.first, quote == "\"" || quote == "'" else {
                throw RangeFile.Failure(line: line, message: "attribute \(key) of <\(name)> is not quoted")
            }
            scalars = scalars.dropFirst()
            guard let close = scalars.firstIndex(of: quote) else {
                throw RangeFile.Failure(line: line, message: "attribute \(key) of <\(name)> is not closed")
            }
            attributes[key] = decodeEntities(String(scalars[..<close]))
            scalars = scalars[scalars.index(after: close)...]
        }
        return (String(name), attributes)
    }

    /// Text with XML's five named entities (and `also`'s, by name without `&` and `;`) and numeric character
    /// references replaced, in one pass: `&amp;lt;` is `&lt;`.
    static func decodeEntities(_ text: String, also extra: [String: String] = [:]) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            let named = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
            if let value = named[String(name)] ?? extra[String(name)] {
                out += value
            } else if name.hasPrefix("#x") || name.hasPrefix("#X"), let code = UInt32(name.dropFirst(2), radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                out.unicodeScalars.append(scalar)
            } else if name.hasPrefix("#"), let code = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(code) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "&" + name + ";"
            }
            rest = after[after.index(after: semi)...]
        }
        return out + rest
    }
}
