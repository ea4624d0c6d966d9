import Foundation
import MoodlineCore

/// The batch an upload makes, from the files the receiver stored rather than a walk of the uploads folder: each
/// video is an input of its own, and the photos together are one photo set with one report, as a folder of them
/// is on the command line (a single photo is an input of its own).
enum UploadPlan {
    /// The name a job shows for the photo set of an upload.
    static func setName(photos: Int) -> String { "\(photos) photos" }

    /// The inputs for `files`, stored in `uploads`. Folder names come from the stored names, which are already
    /// unique and safe.
    static func plan(_ files: [JobInput], uploads: String) -> BatchPlan {
        let photos = files.filter { MediaKind(fileName: $0.path) == .photo }
        var planned: [(source: any InputSource, path: String, base: String)] = files.filter {
            MediaKind(fileName: $0.path) != .photo
        }
        .map { (.video(path: $0.path), $0.path, stem($0.path)) }
        if photos.count == 1, let photo = photos.first {
            planned.append((.photos(root: nil, files: [photo.path], skipped: []), photo.path, stem(photo.path)))
        } else if photos.count > 1 {
            planned.append((.photos(root: uploads, files: photos.map(\.path), skipped: []), uploads, "photos"))
        }
        let names = InputPlanner.uniqueNames(planned.map { ($0.path, $0.base) })
        return BatchPlan(
            inputs: zip(planned, names).map { PlannedInput(anySource: $0.source, path: $0.path, outputName: $1) })
    }

    private static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
