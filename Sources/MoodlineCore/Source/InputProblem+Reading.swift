import MoodlineMedia

extension InputProblem {
    /// The problem a source reports for `error` met while reading `file`: a media error keeps its code, its frame
    /// and the FFmpeg function that failed; anything else is `other`.
    static func reading(_ error: Error, file: String) -> InputProblem {
        if let media = error as? MediaError {
            return InputProblem(
                file: file, frame: media.frameIndex, code: .media(media.code),
                message: media.function.map { "\(media.message) [\($0)]" } ?? media.message, cause: media)
        }
        return InputProblem(file: file, frame: nil, code: .other, message: "\(error)", cause: error)
    }
}
