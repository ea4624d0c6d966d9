/// The ranges holding each moment, for moments that come in time order (a video's frames), without searching
/// every range each time; ranges sorted by start, as `RangeFile.read` gives them. A moment earlier than the last
/// starts the search again.
struct RangeCursor: Sendable {
    private let ranges: [LabelledRange]
    private var next = 0
    private var open: [Int] = []
    private var last = -Double.infinity

    init(_ ranges: [LabelledRange]) { self.ranges = ranges }

    /// The indices of the ranges holding `time`, by start.
    mutating func indices(at time: Double) -> [Int] {
        if time < last {
            next = 0
            open = []
        }
        last = time
        while next < ranges.count, ranges[next].start <= time {
            open.append(next)
            next += 1
        }
        open.removeAll { ranges[$0].end <= time }
        return open
    }

    /// The range holding `time`; where several do, the latest started.
    mutating func range(at time: Double) -> LabelledRange? { indices(at: time).last.map { ranges[$0] } }
}
