import MoodlineCore
import MoodlineMedia
import Synchronization

/// The live page's analyser, loaded when first needed (shared with the server's jobs where they embed no faces:
/// a camera groups no persons), and the count of open camera connections.
final class LiveAnalyzers: Sendable {
    private let shared: SharedFrameAnalyzer
    let limit: Int
    /// Memory for frames being decoded, shared with the upload checks.
    let pictures: PictureMemoryBudget
    private let open = Mutex(0)

    init(shared: SharedFrameAnalyzer, limit: Int, pictures: PictureMemoryBudget) {
        self.shared = shared
        self.limit = limit
        self.pictures = pictures
    }

    /// The pipeline the live page analyses with (the server's video pipeline).
    var definition: PipelineDefinition { shared.definition }

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

    /// A slot taken by `enter()`, given back once however many times `release()` is called: when the idle timer
    /// closes a page, and again when its connection ends.
    final class Slot: Sendable {
        private let analyzers: LiveAnalyzers
        private let held = Mutex(true)

        init(of analyzers: LiveAnalyzers) { self.analyzers = analyzers }

        func release() {
            if held.withLock({
                let was = $0; $0 = false; return was
            }) {
                analyzers.leave()
            }
        }
    }

    func analyzer() throws -> FrameAnalyzer {
        try shared.get()
    }
}
