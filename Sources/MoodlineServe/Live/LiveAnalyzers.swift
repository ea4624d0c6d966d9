import MoodlineCore
import Synchronization

/// The live page's shared analyser, loaded when the first camera connects, and the count of open connections.
final class LiveAnalyzers: Sendable {
    private let models: ModelStore
    let definition: PipelineDefinition
    let limit: Int
    private let loaded = Mutex<FrameAnalyzer?>(nil)
    private let open = Mutex(0)

    init(models: ModelStore, definition: PipelineDefinition, limit: Int) {
        self.models = models
        self.definition = definition
        self.limit = limit
    }

    /// Takes a connection's place; false when all `limit` are taken.
    func enter() -> Bool {
        open.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        open.withLock { $0 -= 1 }
    }

    func analyzer() throws -> FrameAnalyzer {
        try loaded.withLock { analyzer in
            if let analyzer { return analyzer }
            let made = try FrameAnalyzer(definition: definition, models: models)
            analyzer = made
            return made
        }
    }
}
