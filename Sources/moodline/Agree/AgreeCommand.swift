import ArgumentParser
import Foundation
import MoodlineCore

/// `moodline agree`: the readings of a finished video set against a human coder's labels (and two coders against
/// each other), frame by frame.
struct AgreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agree",
        abstract: "Compare a video's readings with human coding: agreement, Cohen's kappa, confusion, F1.",
        discussion: """
            RESULTS is one video's results folder (the one holding its frames.csv). --coding is a human coding of \
            the same video: an ELAN .eaf (choose tiers with --tier), or a CSV (start,end,label), .srt or .vtt of \
            labelled ranges. At each frame the tool sampled, the coder's label (the range holding the frame) is set \
            against the person's reading; frames without either are left out, and so are uncertain readings unless \
            --include-uncertain.

            Give two codings (two files, or two --tier of one ELAN file) and the two coders are also compared with \
            each other: the human ceiling the tool should be judged against.

            Labels are matched to the seven emotions without regard to case, with common other forms understood \
            (anger, joy, happiness, sadness, surprised, fearful, afraid, disgusted); --map renames the rest \
            (--map frustrated=angry,amused=happy). Labels naming none of the seven are counted and left out.

            Writes agreement.json and agreement.html in --output (RESULTS by default) and prints the figures. The \
            kappa's 95% interval is given twice: from Cohen's formula, which takes frames as independent and is too \
            narrow for video, and from a bootstrap that resamples 10-second blocks whole (the one to quote).

            Examples:
              moodline agree results/interview --coding interview-coded.eaf --tier Emotion
              moodline agree results/p01 --coding p01-anna.csv --coding p01-ben.csv --map joy=happy
            """)

    @Argument(help: "A video's results folder (with frames.csv).") var results: String
    @Option(
        name: .customLong("coding"),
        help: "A human coding of the video (.eaf, .csv, .srt or .vtt); give two to compare coders too.")
    var codings: [String] = []
    @Option(
        name: .customLong("tier"),
        help: "The ELAN tier to read (repeat for a second coder's; each .eaf gives those of them it has).")
    var tiers: [String] = []
    @Option(help: "The person to compare (default: the one with the most faces).") var person: Int?
    @Option(name: .customLong("map"), help: "Label renames, from=to, comma-separated or repeated.") var maps: [String] =
        []
    @Flag(help: "Compare uncertain readings too.") var includeUncertain = false
    @Option(name: .customLong("bin"), help: "Seconds per bin of agreement over time.") var binSeconds: Double = 60
    @Option(name: .shortAndLong, help: "Where to write agreement.json and agreement.html (default: RESULTS).")
    var output: String?

    func validate() throws {
        guard !codings.isEmpty else { throw ValidationError("Give the human coding with --coding FILE.") }
        guard binSeconds.isFinite, binSeconds > 0 else { throw ValidationError("--bin must be more than 0 seconds.") }
        do {
            _ = try labelMap()
        } catch {
            throw ValidationError("--map: \(error)")
        }
    }

    private func labelMap() throws -> EmotionLabelMap {
        try EmotionLabelMap(pairs: maps.flatMap { $0.split(separator: ",").map(String.init) })
    }

    func run() throws {
        let frames: ResultFrames
        let coders: [CodingComparison.Coder]
        do {
            frames = try ResultFrames(folder: results)
            coders = try codings.flatMap { try self.coders(in: $0) }
        } catch let error as RangeFileError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let eafTiers = Set(coders.map(\.name))
        if let missing = tiers.first(where: { !eafTiers.contains($0) }) {
            throw ValidationError("--tier \(missing): no ELAN coding given has it.")
        }
        guard (1...2).contains(coders.count) else {
            throw ValidationError(
                "Compare with one or two coders; these give \(coders.count): \(coders.map(\.name).joined(separator: ", "))."
            )
        }
        let ranked = frames.personsByFaces
        guard let chosen = person ?? ranked.first?.person else {
            FileHandle.standardError.write(Data("error: \(results): no person has a face in frames.csv\n".utf8))
            throw ExitCode(3)
        }
        guard ranked.contains(where: { $0.person == chosen }) else {
            throw ValidationError(
                "--person \(chosen) has no face in \(results) (persons: \(ranked.map { String($0.person) }.joined(separator: ", ")))."
            )
        }
        let comparison = CodingComparison(
            results: frames, person: chosen, coders: coders, map: try labelMap(), includeUncertain: includeUncertain,
            binSeconds: binSeconds)
        let folder = output ?? results
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try WholeFile.write(
            text: try AgreementReport.json(comparison, results: results, includeUncertain: includeUncertain),
            to: (folder as NSString).appendingPathComponent("agreement.json"))
        try WholeFile.write(
            text: AgreementReport.page(comparison, results: results),
            to: (folder as NSString).appendingPathComponent("agreement.html"))
        print(summary(comparison, chosenFrom: ranked.count), terminator: "")
    }

    /// The coders a coding file gives: one per chosen tier of an ELAN file, else the file.
    private func coders(in path: String) throws -> [CodingComparison.Coder] {
        let name = (path as NSString).lastPathComponent
        guard (path as NSString).pathExtension.lowercased() == "eaf" else {
            return [CodingComparison.Coder(name: name, ranges: try RangeFile.read(path))]
        }
        let ranges = try RangeFile.read(path)
        var names: [String] = []
        for range in ranges where !names.contains(range.tier ?? "") { names.append(range.tier ?? "") }
        if tiers.isEmpty, names.count > 1 {
            throw ValidationError(
                "\(path) has several tiers (\(names.joined(separator: ", "))): choose the coder's with --tier.")
        }
        // With --tier, each ELAN file gives the named tiers it has (one coder's file may hold Anna, another Ben).
        let chosen = tiers.isEmpty ? names : tiers.filter(names.contains)
        guard !chosen.isEmpty else {
            throw ValidationError(
                "\(path) has none of the tiers \(tiers.joined(separator: ", ")) (its tiers: \(names.joined(separator: ", ")))."
            )
        }
        return chosen.map { tier in
            CodingComparison.Coder(name: tier, ranges: ranges.filter { $0.tier == tier })
        }
    }

    private func summary(_ c: CodingComparison, chosenFrom persons: Int) -> String {
        let p: (Double?) -> String = { $0.map { String(format: "%.3f", $0) } ?? "-" }
        let range: (ClosedRange<Double>?) -> String = { $0.map { "\(p($0.lowerBound)) to \(p($0.upperBound))" } ?? "-" }
        var text =
            "Person \(c.person)\(person == nil && persons > 1 ? " (the most seen of \(persons); choose with --person)" : ""): \(c.framesRead) of \(c.frames) sampled frames read.\n"
        func line(_ title: String, _ a: Agreement) {
            text +=
                "\(title): \(a.compared) frames, agreement \(p(a.observed)) (chance \(p(a.expected))), kappa \(p(a.kappa)), 95% interval \(range(a.kappaIntervalBlocks)) (10 s blocks)\n"
        }
        for (coder, agreement) in zip(c.coders, c.toolAgainstCoders) {
            line("moodline vs \(coder.name)", agreement)
            if !coder.labelsOutsideTheSeven.isEmpty {
                text +=
                    "  left out, naming none of the seven: \(coder.labelsOutsideTheSeven.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) frames)" }.joined(separator: ", ")); rename with --map\n"
            }
        }
        if let humans = c.codersAgainstEachOther {
            line("\(c.coders[0].name) vs \(c.coders[1].name) (human ceiling)", humans)
        }
        return text + "Wrote agreement.json and agreement.html in \(output ?? results).\n"
    }
}
