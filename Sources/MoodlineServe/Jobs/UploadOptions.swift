import Foundation
import MoodlineCore

/// An upload's analysis options, from the upload page's form fields: the pipeline for its videos, `annotate`, the
/// time range (`start`, `end`) and the `subject` rule. Each is applied as its command-line flag is
/// (`FlaggedPipeline`), so it takes the same values and is refused with the same reasons. Photos are analysed with
/// the server's photo pipeline, as on the command line.
struct UploadOptions: Sendable {
    /// The fields the form may send.
    static let fieldNames: Set<String> = ["pipeline", "annotate", "start", "end", "subject"]

    /// The pipeline the upload's videos are analysed with.
    let videoPipeline: PipelineDefinition
    /// The pipeline it was made from, by name (one of `offered`): the analysers its jobs share.
    let baseName: String

    /// The pipelines the form offers, by name: the server's own video pipeline, then the other built-in ones for
    /// frames in time.
    static func offered(_ settings: ServeSettings) -> [String] {
        [settings.videoPipeline.name]
            + BuiltInPipelines.all.keys.sorted().filter { $0 != settings.videoPipeline.name && $0 != "photos" }
    }

    /// The pipeline `name` as the form offers it.
    static func pipeline(named name: String, _ settings: ServeSettings) throws -> PipelineDefinition {
        if name == settings.videoPipeline.name { return settings.videoPipeline }
        guard offered(settings).contains(name), let text = BuiltInPipelines.all[name] else {
            throw Refusal(
                .badRequest, "no pipeline '\(name)' here (offered: \(offered(settings).joined(separator: ", ")))")
        }
        return try PipelineFile.parse(Data(text.utf8), source: "built-in pipeline '\(name)'")
    }

    /// The options of `fields` (none: the server's own pipeline as it is).
    ///
    /// - Throws: `Refusal` (400) naming the field and the reason, for an unknown field or a value the command line
    ///   would refuse.
    init(fields: [String: String], settings: ServeSettings) throws {
        if let unknown = fields.keys.filter({ !Self.fieldNames.contains($0) }).sorted().first {
            throw Refusal(
                .badRequest,
                "the form field '\(unknown)' is not an option (options: \(Self.fieldNames.sorted().joined(separator: ", ")))"
            )
        }
        let value = { (name: String) in
            fields[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        baseName = value("pipeline") ?? settings.videoPipeline.name
        var pipeline = FlaggedPipeline(try Self.pipeline(named: baseName, settings))
        do {
            if let start = value("start") { try pipeline.set(\.decode, "start", start) }
            if let end = value("end") { try pipeline.set(\.decode, "end", end) }
            if let subject = value("subject") { try pipeline.set(\.tracking, "subject", subject) }
            if let annotate = value("annotate"), !["0", "false", "off", "no"].contains(annotate.lowercased()) {
                try pipeline.set(\.outputs, "annotate", nil)
            }
            videoPipeline = try pipeline.validated(source: "the upload form")
        } catch let error as PipelineError {
            throw Refusal(.badRequest, "\(error)")
        }
    }
}
