import Foundation
import MoodlineCore

/// What each built-in pipeline sets a flag's key to, for `--help`: "(default: 0.5)" where they agree, "(interview 5,
/// fast 2)" where they differ. Read from the pipelines' own JSON, so the help cannot drift from the files.
enum PipelineDefaults {
    /// The built-in pipelines in the order help names them: the default for videos first.
    static let order: [String] = {
        let preferred = ["interview", "fast", "photos"]
        return preferred.filter { BuiltInPipelines.all[$0] != nil }
            + BuiltInPipelines.all.keys.filter { !preferred.contains($0) }.sorted()
    }()

    /// Each built-in pipeline's sections, parsed once.
    private static let sections: [(name: String, sections: [String: JSONValue])] = order.compactMap { name in
        guard let text = BuiltInPipelines.all[name],
            case .object(let object) = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        else { return nil }
        return (name, object)
    }

    /// The note for `section.key`, or nil where no built-in pipeline sets it to a number or a word.
    static func note(section: String, key: String) -> String? {
        let values: [(pipeline: String, value: String)] = sections.compactMap { pipeline in
            guard case .object(let settings) = pipeline.sections[section], let value = settings[key] else {
                return nil
            }
            return describe(value).map { (pipeline.name, $0) }
        }
        guard let first = values.first else { return nil }
        if values.allSatisfy({ $0.value == first.value }) { return "(default: \(first.value))" }
        return "(default: " + values.map { "\($0.pipeline) \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// A number as a person writes it (5, 0.35), a string as it is; nil for lists, objects and booleans.
    private static func describe(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : "\(number)"
        default: nil
        }
    }
}
