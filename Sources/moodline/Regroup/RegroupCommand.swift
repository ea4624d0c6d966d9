import ArgumentParser
import Foundation
import MoodlineCore

/// `moodline regroup`: rewrites a video's or a photo set's outputs for a corrected grouping into persons.
struct RegroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regroup",
        abstract:
            "Rewrite a video's or photo set's outputs after merging or splitting persons, without analysing again.",
        discussion: """
            Every recorded video's folder holds persons.csv: one row per track with the person it was grouped into. \
            To merge two persons, give their tracks the same number in the person column; to split a track off, give \
            it a new number. Then run regroup on the folder: frames.csv, frames.jsonl, tracks.json, timeline.csv, \
            seconds.csv, episodes.csv, persons.json, persons.csv, the ELAN and subtitle files and report.html are \
            written again, exactly as an analysis with that grouping would write them, from the run's readings.bin: \
            no decoding, no network, a few seconds for an hour of video. Persons are numbered again by first \
            appearance, and the main subject is chosen again by the pipeline's rule. annotated.mp4 names tracks, not \
            persons, and stays as it is.

            Tracks on screen at the same time cannot be one person: such a table is refused, and nothing changes.

            A photo set's persons.csv has one row per face (face_number, file, face, person): give faces of one \
            person the same number, a face a new number to split it off, or an empty cell for no person. frames.csv, \
            frames.jsonl, photos.csv, persons.csv and the report's pages are written again from the rows the run \
            kept. Two faces of one photo cannot be one person.

            With --same-person-distance, the tracks are clustered again at that distance from the embeddings the run \
            kept with --write-embeddings, as analyze --same-person-distance would have grouped them.

            FOLDER is one input's folder (with run.json, and readings.bin or a photo set's kept rows), or an --output \
            folder: then every video and photo set folder in it is regrouped from its own persons.csv (or at the \
            distance given). A set merged from shards regroups where the shards ran with --write-embeddings.

            Exit status: 0 when every folder was regrouped, 1 when any could not be (each is named with the reason).

            Examples:
              moodline regroup results/interview            (after editing results/interview/persons.csv)
              moodline regroup results/interview --persons corrected.csv
              moodline regroup results --same-person-distance 0.5
            """
    )

    @Argument(help: "An input's output folder, or an --output folder holding several.")
    var folders: [String]

    @Option(
        name: .customLong("persons"),
        help: "The grouping to apply, as persons.csv has it (default: the folder's own persons.csv). One folder only.")
    var persons: String?

    @Option(
        name: .customLong("same-person-distance"), parsing: .unconditional,
        help:
            "Cluster the tracks (or faces) again at this face-embedding distance (needs the run's --write-embeddings).")
    var samePersonDistance: Double?

    func validate() throws {
        if folders.isEmpty { throw ValidationError("Give at least one folder to regroup.") }
        if persons != nil && samePersonDistance != nil {
            throw ValidationError("Give either --persons or --same-person-distance, not both.")
        }
        if persons != nil && folders.count != 1 {
            throw ValidationError("--persons applies to one input's folder; give one.")
        }
        if let samePersonDistance, !(0...4).contains(samePersonDistance) {
            throw ValidationError("--same-person-distance must be between 0 and 4 (got \(samePersonDistance)).")
        }
    }

    func run() throws {
        let grouping: PersonGrouping? =
            if let persons { .table(path: persons) } else { samePersonDistance.map(PersonGrouping.distance) }
        var failed = false
        var found = 0
        for folder in folders {
            let inputs = Regrouping.inputFolders(in: folder)
            if inputs.isEmpty {
                failed = true
                FileHandle.standardError.write(
                    Data(
                        "error: \(folder): no analysed video or photo set here (a folder with run.json, and readings.bin or kept rows)\n"
                            .utf8))
            }
            for input in inputs {
                found += 1
                do {
                    let outcome = try Regrouping.regroup(folder: input, by: grouping)
                    var line = "\(input): \(outcome.personsBefore) -> \(outcome.persons) person(s)"
                    if let subject = outcome.subject { line += "; subject person \(subject)" }
                    if let reading = outcome.subjectReading {
                        line += ": \(reading.emotion.rawValue) \(Int((reading.share * 100).rounded()))% of their time"
                    }
                    print(line)
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                }
            }
            if inputs.count > 1 || inputs.first != folder { Regrouping.refreshIndex(in: folder) }
        }
        if failed || found == 0 { throw ExitCode.failure }
    }
}
