import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia

/// `moodline probe`: prints each input's media facts as one JSON object per line.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Print the media facts of videos and photos as JSON, one object per line.",
        discussion: """
            Folders are walked recursively. Each line is {"path": ..., "info": {...}} or, for a file that cannot be \
            read, {"path": ..., "error": {"code": ..., "message": ...}}. Exit status 1 if any input failed.

            Example:
              moodline probe Samples/WolfgangLanger_Pexels.mp4 Samples/
            """
    )

    @Argument(help: "Video files, image files or folders to inspect.")
    var paths: [String]

    func run() throws {
        let inputs = InputDiscovery.discover(paths)
        var failed = false
        for skipped in inputs.skipped {
            // Missing and unreadable paths are failures; non-media files found in folders are just listed.
            failed = failed || skipped.isError
            emit(
                ProbeLine(
                    path: skipped.path, info: nil,
                    error: ProbeError(
                        code: skipped.isMissing
                            ? MediaError.Code.fileNotFound.rawValue : skipped.isError ? "unreadable" : "skipped",
                        message: skipped.reason)))
        }
        for file in inputs.files {
            do {
                let reader = try MediaReader(path: file.path)
                emit(ProbeLine(path: file.path, info: reader.info, error: nil))
            } catch let error as MediaError {
                failed = true
                emit(
                    ProbeLine(
                        path: file.path, info: nil,
                        error: ProbeError(code: error.code.rawValue, message: error.message)))
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func emit(_ line: ProbeLine) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The same snake_case keys as run.json's input facts.
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(line) else { return }
        print(String(decoding: data, as: UTF8.self))
    }
}

/// One line of `probe` output.
struct ProbeLine: Codable {
    let path: String
    let info: MediaInfo?
    let error: ProbeError?
}

/// Why a file could not be probed.
struct ProbeError: Codable {
    let code: String
    let message: String
}
