import Foundation

/// Text inside XML and HTML: escaped, and with characters XML 1.0 forbids (most control characters) dropped, so a
/// hostile file name cannot break a report or an export.
enum MarkupText {
    /// Escapes `&`, `<`, `>`, `"` and `'` for element text and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A file path as the path of a URL: every byte but ASCII letters, digits, `-._~` and `/` percent-encoded.
    static func urlPath(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: unreservedOrSlash) ?? path
    }

    private static let unreservedOrSlash = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
}
