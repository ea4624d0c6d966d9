import Foundation
import MoodlineCore

/// The built-in pipelines as tests start from them.
public enum TestPipelines {
    /// The built-in pipeline `name` (interview, photos, ...), parsed as `--pipeline NAME` would be.
    public static func builtIn(_ name: String) throws -> PipelineDefinition {
        try PipelineFile.parse(Data(BuiltInPipelines.all[name]!.utf8), source: name)
    }
}
