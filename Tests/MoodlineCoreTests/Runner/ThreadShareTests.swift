@testable import MoodlineCore
import XCTest

/// The cores are shared out between inputs that run at once.
final class ThreadShareTests: XCTestCase {
    func testJobsShareTheCores() {
        XCTAssertEqual(ThreadShare.of(parallelInputs: 1, cores: 2), ThreadShare(decoderThreads: 2, maximumWidth: nil))
        XCTAssertEqual(ThreadShare.of(parallelInputs: 2, cores: 2), ThreadShare(decoderThreads: 1, maximumWidth: 1))
        XCTAssertEqual(ThreadShare.of(parallelInputs: 4, cores: 2), ThreadShare(decoderThreads: 1, maximumWidth: 1))
        XCTAssertEqual(ThreadShare.of(parallelInputs: 2, cores: 8), ThreadShare(decoderThreads: 4, maximumWidth: 4))
        XCTAssertEqual(ThreadShare.of(parallelInputs: 2, cores: 8).analysisWidth(2), 2)
        XCTAssertEqual(ThreadShare.whole.analysisWidth(3), 3)
    }
}
