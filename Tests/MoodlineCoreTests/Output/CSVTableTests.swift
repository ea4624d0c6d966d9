@testable import MoodlineCore
import XCTest

/// Tables as spreadsheets write them, read back: quoted fields with commas, quotes and line breaks, CRLF, a
/// byte-order mark, blank lines; each row with the line it starts on.
final class CSVTableTests: XCTestCase {
    func testQuotedFieldsLineEndsAndBlankLines() throws {
        let table = try CSVTable(parsing: "\u{FEFF} a ,B\r\n1,\"x, \"\"y\"\"\nz\",3\r\n\r\n2,w,\n,,\n\"\"\n")
        XCTAssertEqual(table.header, ["a", "B"])
        XCTAssertEqual(table.column("b"), 1)
        XCTAssertNil(table.column("c"))
        XCTAssertEqual(table.rows.map(\.fields), [["1", "x, \"y\"\nz", "3"], ["2", "w", ""], [""]])
        // `,,` (a spreadsheet's empty row) is a blank line too; `""` is a row with one empty field.
        XCTAssertEqual(table.rows.map(\.line), [2, 5, 7])
    }

    func testAnUnclosedQuoteNamesItsLine() {
        XCTAssertThrowsError(try CSVTable(parsing: "a\n\"b\n\nc")) { error in
            XCTAssertEqual(
                error as? CSVTable.Failure, CSVTable.Failure(line: 2, message: "a quoted field is not closed"))
        }
        XCTAssertEqual(try CSVTable(parsing: "").header, [])
    }
}
