import Synchronization

/// Memory for pictures being decoded at once, shared by the upload checks and the live sockets: each picture
/// reserves what its header says it needs before a decoder allocates it, and a picture that does not fit now
/// is refused as busy rather than decoded. Several pictures that are each under the size limits cannot add up
/// to more than the budget.
final class PictureBudget: Sendable {
    /// The whole budget, in bytes.
    let capacity: Int
    private let used = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Reserves `bytes`; false when they do not fit beside what is reserved already.
    func reserve(_ bytes: Int) -> Bool {
        used.withLock { used in
            guard bytes <= capacity - used else { return false }
            used += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        used.withLock { $0 -= bytes }
    }

    /// Bytes reserved now.
    var inUse: Int { used.withLock { $0 } }
}
