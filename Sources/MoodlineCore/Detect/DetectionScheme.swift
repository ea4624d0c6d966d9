/// How a video's frames are searched for faces (`detector.scheme`, `--detection`).
public enum DetectionScheme: String, Sendable, Codable, CaseIterable {
    /// The pipeline's detector on every sampled frame.
    case everyFrame = "every_frame"
    /// The pipeline's detector on the whole frame at the first frame, every `search_every_s`, at shot cuts and when a
    /// face is lost; in between each known face is found again near where it was, by BlazeFace short range on a
    /// small square around it (`FaceFollower`). Photos are always searched whole.
    case follow
}
