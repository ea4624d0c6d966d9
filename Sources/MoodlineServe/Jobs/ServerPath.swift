import Foundation
import Hummingbird

/// A job on a file or folder already on the server, allowed only inside the folder given with `--allow-root`.
/// The request's path is resolved with every link followed before it is compared, so neither `..` nor a link can
/// take it outside.
enum ServerPath {
    private struct Body: Decodable {
        let path: String
        /// The upload form's options (`UploadOptions`), as strings.
        let pipeline, start, end, subject, annotate: String?
    }

    static func job(
        id: String, folder: String, request: Request, allowRoot: String?, settings: ServeSettings
    ) async throws -> AnalysisJob {
        guard let allowRoot else {
            throw Refusal(
                .forbidden,
                "this server analyses uploads only; start it with --allow-root FOLDER to allow paths on the server")
        }
        let data: ByteBuffer
        do {
            data = try await request.body.collect(upTo: 64 * 1024)
        } catch {
            throw Refusal(.contentTooLarge, "a path request is a small JSON object: {\"path\": \"...\"}")
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: data)), !body.path.isEmpty,
            !body.path.contains("\0")
        else {
            throw Refusal(.badRequest, "send {\"path\": \"a file or folder inside the allowed folder\"}")
        }
        let fields = [
            "pipeline": body.pipeline, "start": body.start, "end": body.end, "subject": body.subject,
            "annotate": body.annotate,
        ].compactMapValues { $0 }
        let options = try UploadOptions(fields: fields, settings: settings)
        let resolved = try resolve(body.path, inside: allowRoot)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Confined: a folder's walk must not follow a link inside it out of the allowed folder either.
        return AnalysisJob(
            id: id, folder: folder, inputs: [JobInput(path: resolved, name: body.path)], confinement: allowRoot,
            options: options)
    }

    /// The real path of `path` (relative to `root` unless absolute), if it lies inside `root`'s real path.
    static func resolve(_ path: String, inside root: String) throws -> String {
        guard let realRoot = realPath(root) else {
            throw Refusal(.forbidden, "the allowed folder is missing on the server")
        }
        let joined = path.hasPrefix("/") ? path : realRoot + "/" + path
        guard let real = realPath(joined) else {
            throw Refusal(.notFound, "no such file or folder in the allowed folder")
        }
        guard real == realRoot || real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") else {
            throw Refusal(.forbidden, "that path is outside the allowed folder")
        }
        return real
    }

    private static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
