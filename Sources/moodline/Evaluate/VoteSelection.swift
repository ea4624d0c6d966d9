import Foundation
import MoodlineCore

/// The pictures `evaluate` measures and the truth for each: the folder's label, or with `--votes` the human
/// majority (pictures without votes, without a seven-class majority, or marked copies when asked, left out and
/// counted). Pictures the annotators split on have no truth but are read too: the `ambiguous` check needs them.
struct VoteSelection {
    typealias Picture = (item: LabelledImageSet.Item, truth: Emotion?, votes: VoteTable.Votes?)
    let measured: [Picture]
    var withoutVotes = 0, withoutMajority = 0, copiesLeftOut = 0

    init(items: [LabelledImageSet.Item], folder: String, votesFile: String?, excludeCopies: Bool) throws {
        guard let votesFile else {
            measured = items.map { ($0, $0.emotion, nil) }
            return
        }
        let table = try VoteTable(path: votesFile)
        let root = (folder as NSString).standardizingPath + "/"
        var measured: [Picture] = []
        for item in items {
            let standard = (item.path as NSString).standardizingPath
            let relative =
                standard.hasPrefix(root)
                ? String(standard.dropFirst(root.count)) : (standard as NSString).lastPathComponent
            guard let votes = table.votes(forRelativePath: relative) else { withoutVotes += 1; continue }
            if excludeCopies && votes.isCopy { copiesLeftOut += 1; continue }
            guard let majority = votes.majority else {
                if votes.isSplit { measured.append((item, nil, votes)) } else { withoutMajority += 1 }
                continue
            }
            measured.append((item, majority, votes))
        }
        guard measured.contains(where: { $0.truth != nil }) else {
            throw EvaluationError(
                message: "\(votesFile): no picture of \(folder) has votes with a seven-class majority")
        }
        self.measured = measured
    }

    /// Pictures the annotators split on.
    var split: Int { measured.filter { $0.truth == nil }.count }

    /// One line on what the votes left out.
    func summary(votesFile: String) -> String {
        "truth: the majority of the votes in \(votesFile); left out: \(split) the annotators split on (read for the "
            + "ambiguous check only), \(withoutMajority) without a seven-class majority, "
            + "\(withoutVotes) without votes" + (copiesLeftOut > 0 ? ", \(copiesLeftOut) copies" : "")
    }
}
