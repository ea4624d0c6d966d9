import Foundation
import MoodlineCore

/// The batch an upload makes, from the files the receiver stored rather than a walk of the uploads folder: each
/// video is an input of its own, and the photos together are one photo set with one report, as a folder of them
/// is on the command line (a single photo is an input of its own).
enum UploadPlan {
    /// The name a job shows for the photo set of an upload.
    static func setName(photos: Int) -> String { "\(photos) photos" }

    /// The inputs for `files`, stored in `uploads`. Each is shown, and its folder named, by the name it was uploaded
    /// under (folder names made safe and unique by the planner); a set's photos keep their uploaded names in its
    /// outputs, but where two share one, which keep their stored names (so no two rows of the set read alike).
    static func plan(_ files: [JobInput], uploads: String) -> BatchPlan {
        let photos = files.filter { MediaKind(fileName: $0.path) == .photo }
        var planned: [(source: any InputSource, path: String, base: String, shown: String)] = files.filter {
            MediaKind(fileName: $0.path) != .photo
        }
        .map { (.video(path: $0.path), $0.path, stem($0.name), $0.name) }
        if photos.count == 1, let photo = photos.first {
            var one = PhotoSetInput.photos(root: nil, files: [photo.path], skipped: [])
            one.shownNames = [photo.name]
            planned.append((one, photo.path, stem(photo.name), photo.name))
        } else if photos.count > 1 {
            let counts = Dictionary(grouping: photos.map(\.name), by: { $0 }).mapValues(\.count)
            var set = PhotoSetInput.photos(root: uploads, files: photos.map(\.path), skipped: [])
            set.shownNames = photos.map { counts[$0.name] == 1 ? $0.name : ($0.path as NSString).lastPathComponent }
            let name = setName(photos: photos.count)
            planned.append((set, uploads, "photos", name))
        }
        let names = InputPlanner.uniqueNames(planned.map { ($0.path, $0.base) })
        return BatchPlan(
            inputs: zip(planned, names).map {
                PlannedInput(anySource: $0.source, path: $0.path, outputName: $1, shownPath: $0.shown)
            })
    }

    private static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
