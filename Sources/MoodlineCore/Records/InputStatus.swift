/// How an input ended.
public enum InputStatus: String, Sendable, Codable {
    /// Everything was read and analysed.
    case ok
    /// Results were written for what could be read; some files or frames could not (see the errors).
    case partial
    /// Nothing could be analysed (the file could not be opened, the outputs could not be written, or a model
    /// gave non-finite numbers).
    case failed
    /// The batch was asked to stop (SIGINT, SIGTERM) before this input was finished; a rerun redoes it, or
    /// resumes a photo set from its checkpoint.
    case stopped
}
