@testable import MoodlineCore
import XCTest

final class FixedPointTests: XCTestCase {
    func testFormatsWithFixedDecimalsAndAPoint() {
        XCTAssertEqual(FixedPoint.format(0.0, decimals: 3), "0.000")
        XCTAssertEqual(FixedPoint.format(19.6353, decimals: 3), "19.635")
        XCTAssertEqual(FixedPoint.format(0.00049, decimals: 3), "0.000")
        XCTAssertEqual(FixedPoint.format(0.0005, decimals: 3), "0.001")
        XCTAssertEqual(FixedPoint.format(-2.25, decimals: 1), "-2.3")
        XCTAssertEqual(FixedPoint.format(-0.00001, decimals: 2), "0.00", "no negative zero")
        XCTAssertEqual(FixedPoint.format(1234.5, decimals: 0), "1235")
        XCTAssertEqual(FixedPoint.format(Double.nan, decimals: 2), "0")
    }

    func testCSVFieldsAreQuotedOnlyWhenNeeded() {
        XCTAssertEqual(CSVText.field("plain.jpg"), "plain.jpg")
        XCTAssertEqual(CSVText.field("a,b.jpg"), "\"a,b.jpg\"")
        XCTAssertEqual(CSVText.field("say \"hi\".jpg"), "\"say \"\"hi\"\".jpg\"")
    }

    func testJSONStringsAreEscaped() {
        XCTAssertEqual(JSONText.string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"")
    }
}
