import Foundation

/// A CSV file read back (RFC 4180): quoted fields with commas, quotes and line breaks, `\n` or `\r\n` line ends,
/// a UTF-8 byte-order mark, blank lines skipped. What spreadsheets save and `frames.csv` is.
public struct CSVTable: Sendable {
    /// The first row's fields, trimmed.
    public let header: [String]
    /// The other rows, each with the 1-based line it starts on.
    public let rows: [(line: Int, fields: [String])]

    /// Reads `text`; the first non-blank row is the header. An unclosed quote is an error naming its line.
    public init(parsing text: String) throws(CSVTable.Failure) {
        var records = try Self.records(text)
        guard !records.isEmpty else {
            header = []
            rows = []
            return
        }
        header = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records
    }

    /// A row the parser could not read.
    public struct Failure: Error, Sendable, Equatable {
        public let line: Int
        public let message: String
    }

    /// The column named `name` (case-insensitive), or nil.
    public func column(_ name: String) -> Int? {
        header.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    private static func records(_ text: String) throws(Failure) -> [(line: Int, fields: [String])] {
        var result: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var wasQuoted = false
        var line = 1
        var rowStart = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endRow() {
            fields.append(field)
            // A row of empty, unquoted fields is a blank line (a spreadsheet writes `,,` for one).
            if !(fields.allSatisfy(\.isEmpty) && !wasQuoted) { result.append((rowStart, fields)) }
            fields = []
            field = ""
            wasQuoted = false
        }
        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"" where field.isEmpty:
                    quoted = true
                    wasQuoted = true
                case ",":
                    fields.append(field)
                    field = ""
                case "\r" where i + 1 < scalars.count && scalars[i + 1] == "\n":
                    break
                case "\n", "\r":
                    endRow()
                    line += 1
                    rowStart = line
                default:
                    field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if quoted { throw Failure(line: rowStart, message: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRow() }
        return result
    }
}
