import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// Segments and codings read from transcripts, ELAN files and CSVs: times, labels, speakers and tiers, and each
/// kind of mistake named with its file and line.
final class RangeFileTests: XCTestCase {
    private func write(_ text: String, as name: String) throws -> String {
        let path = try TestMedia.temporaryFolder(for: self).appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testSubRipCuesBecomeRangesWithTheirTextJoined() throws {
        let path = try write(
            """
            1
            00:00:01,500 --> 00:00:04,250
            What did you think
            of the <i>first</i> page?

            2
            00:01:02,000 --> 01:00:00,000
            It was fine &amp; clear.

            """, as: "interview.srt")
        let ranges = try RangeFile.read(path)
        XCTAssertEqual(
            ranges,
            [
                LabelledRange(start: 1.5, end: 4.25, label: "What did you think of the first page?"),
                LabelledRange(start: 62, end: 3600, label: "It was fine & clear."),
            ])
    }

    func testWebVTTTakesVoicesAsSpeakersAndSkipsNotes() throws {
        let path = try write(
            """
            WEBVTT

            NOTE made by a speech recogniser
            with --> in it

            q1
            00:05.000 --> 00:07.500 align:start
            <v Interviewer>Question one?</v>

            00:00:08.000 --> 00:00:09.000
            <v.loud Ana Díaz>Yes.

            """, as: "a.vtt")
        let ranges = try RangeFile.read(path)
        XCTAssertEqual(
            ranges,
            [
                LabelledRange(start: 5, end: 7.5, label: "Question one?", speaker: "Interviewer"),
                LabelledRange(start: 8, end: 9, label: "Yes.", speaker: "Ana Díaz"),
            ])
    }

    func testACSVWithAHeaderInAnyOrderOrWithoutOne() throws {
        let named = try write(
            "\u{FEFF}label,speaker,end,start\r\n\"Q1, warm-up\",ana,0:03.5,1\r\n\r\nQ2,,10,5\r\n", as: "s.csv")
        XCTAssertEqual(
            try RangeFile.read(named),
            [
                LabelledRange(start: 1, end: 3.5, label: "Q1, warm-up", speaker: "ana"),
                LabelledRange(start: 5, end: 10, label: "Q2"),
            ])
        let bare = try write("20,30,later\n0,1:00:00,whole hour,bo\n", as: "bare.csv")
        XCTAssertEqual(
            try RangeFile.read(bare),
            [
                LabelledRange(start: 0, end: 3600, label: "whole hour", speaker: "bo"),
                LabelledRange(start: 20, end: 30, label: "later"),
            ])
    }

    func testELANTiersAlignedAndSymbolicAnnotations() throws {
        let path = try write(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE x [ <!ENTITY boom "boom"> ]>
            <ANNOTATION_DOCUMENT AUTHOR="" FORMAT="3.0">
              <!-- a comment with <TIER> in it -->
              <TIME_ORDER>
                <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
                <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2500"/>
                <TIME_SLOT TIME_SLOT_ID="ts3"/>
                <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="4000"/>
              </TIME_ORDER>
              <TIER TIER_ID="Questions" PARTICIPANT="Interviewer" LINGUISTIC_TYPE_REF="default-lt">
                <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                  <ANNOTATION_VALUE>Q1 &lt;intro&gt; &#233;</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
                <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
                  <ANNOTATION_VALUE>unaligned</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
              </TIER>
              <TIER TIER_ID='Notes' LINGUISTIC_TYPE_REF="sym">
                <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1">
                  <ANNOTATION_VALUE><![CDATA[a <note>]]></ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
              </TIER>
            </ANNOTATION_DOCUMENT>
            """, as: "coded.eaf")
        XCTAssertEqual(
            try RangeFile.read(path),
            [
                LabelledRange(start: 1, end: 2.5, label: "Q1 <intro> é", speaker: "Interviewer", tier: "Questions"),
                LabelledRange(start: 1, end: 2.5, label: "a <note>", tier: "Notes"),
            ])
        XCTAssertEqual(try RangeFile.read(path, tiers: ["Notes"]).map(\.label), ["a <note>"])
        XCTAssertThrowsError(try RangeFile.read(path, tiers: ["Answers"])) { error in
            XCTAssertEqual(
                "\(error)", "\(path): has no tier 'Answers' (its tiers: 'Questions', 'Notes')")
        }
    }

    func testMistakesAreNamedWithTheirFileAndLine() throws {
        let cases: [(String, String, String)] = [
            (
                "bad.srt", "1\n00:00:01,000 --> soon\nhi\n",
                "line 2: cannot read the cue's times '00:00:01,000 --> soon'"
            ),
            (
                "back.srt", "1\n00:00:05,000 --> 00:00:01,000\nhi\n",
                "line 2: the cue ends (00:00:01,000) before it starts"
            ),
            ("open.csv", "start,end,label\n1,2,\"never closed\n", "line 2: a quoted field is not closed"),
            ("cols.csv", "from,to,what\n1,2,x\n", "line 1: needs the columns start, end and label"),
            ("times.csv", "start,end,label\n1,2,x\nsoon,3,y\n", "line 3: cannot read the times 'soon' and '3'"),
            ("tag.eaf", "<ANNOTATION_DOCUMENT>\n<TIER TIER_ID=\"a\"", "line 2: a tag is not closed"),
            (
                "slot.eaf", "<TIME_ORDER>\n<TIME_SLOT TIME_SLOT_ID=\"t\" TIME_VALUE=\"-5\"/>",
                "line 2: time slot t has no valid time '-5'"
            ),
            ("notes.txt", "hello", "is not a transcript or table this reads"),
        ]
        for (name, text, expected) in cases {
            let path = try write(text, as: name)
            XCTAssertThrowsError(try RangeFile.read(path), name) { error in
                XCTAssertTrue("\(error)".hasPrefix(path), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(name): \(error)")
            }
        }
    }

    /// A cue without text does not swallow the next cue; entities are decoded once (`&amp;lt;` is `&lt;`); a
    /// UTF-16 transcript (Windows) is read; a file that holds no range is an error, not an empty table.
    func testEmptyCuesEntitiesEncodingsAndEmptyFiles() throws {
        let srt = try write(
            "1\n00:00:01,000 --> 00:00:02,000\n2\n00:00:03,000 --> 00:00:04,000\n&amp;lt;b&amp;gt;\n", as: "e.srt")
        XCTAssertEqual(
            try RangeFile.read(srt),
            [LabelledRange(start: 1, end: 2, label: "2"), LabelledRange(start: 3, end: 4, label: "&lt;b&gt;")])
        let wide = try TestMedia.temporaryFolder(for: self).appendingPathComponent("w.vtt")
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "WEBVTT\n\n00:01.000 --> 00:02.000\nQuestion\n".utf16 {
            bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        try Data(bytes).write(to: wide)
        XCTAssertEqual(try RangeFile.read(wide.path), [LabelledRange(start: 1, end: 2, label: "Question")])
        let empty = try write("WEBVTT\n\nNOTE nothing here\n", as: "empty.vtt")
        XCTAssertThrowsError(try RangeFile.read(empty)) {
            XCTAssertTrue("\($0)".contains("holds no time range"), "\($0)")
        }
    }

    func testOnlyARegularFileIsRead() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let fifo = folder.appendingPathComponent("pipe.srt").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // A FIFO would block a reader forever; it is refused at once.
        XCTAssertThrowsError(try RangeFile.read(fifo)) { XCTAssertTrue("\($0)".contains("is not a readable file")) }
        XCTAssertThrowsError(try RangeFile.read(folder.appendingPathComponent("missing.vtt").path))
    }

    func testASidecarIsTheMediasNameWithATranscriptsExtension() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let video = folder.appendingPathComponent("p01.mp4").path
        XCTAssertNil(RangeFile.sidecar(of: video))
        XCTAssertTrue(
            FileManager.default.createFile(atPath: folder.appendingPathComponent("p01.vtt").path, contents: Data()))
        XCTAssertTrue(
            FileManager.default.createFile(atPath: folder.appendingPathComponent("p01.eaf").path, contents: Data()))
        XCTAssertEqual(RangeFile.sidecar(of: video), folder.appendingPathComponent("p01.vtt").path)
    }
}
