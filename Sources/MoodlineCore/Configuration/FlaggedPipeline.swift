/// A pipeline being changed by flags (the command line's, or the upload form's fields named after them), which
/// remembers which flag set which key, so that a value out of range is reported by the flag that gave it.
public struct FlaggedPipeline: Sendable {
    public var definition: PipelineDefinition
    /// `section.key` → the flag that set it.
    public private(set) var given: [String: String] = [:]

    public init(_ definition: PipelineDefinition) {
        self.definition = definition
    }

    /// Applies the flag `--name` (with its value; nil for a switch) of one stage's settings.
    ///
    /// - Throws: `PipelineError` naming the flag, for a value it cannot take.
    public mutating func set<S: StageSettings>(
        _ stage: WritableKeyPath<PipelineDefinition, S>, _ name: String, _ value: String?
    ) throws {
        guard let flag = S.flags.first(where: { $0.name == name }) else {
            preconditionFailure("\(S.section) declares no flag --\(name)")
        }
        try flag.apply(&definition[keyPath: stage], value)
        given["\(S.section).\(flag.key)"] = name
    }

    /// The pipeline, checked as a whole (`PipelineDefinition.validate`), errors naming the flags that were given.
    public func validated(source: String) throws -> PipelineDefinition {
        try definition.validate(source: source, flagsByKey: given)
        return definition
    }
}
