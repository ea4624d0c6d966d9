import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineNN

/// `--weights`, shared by every command that loads models, and where weights are found without it.
struct WeightsOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Folder with the converted weights and MANIFEST.json.", discussion: WeightsOptions.lookupOrderHelp))
    var weights: String?

    /// Where weights are looked for, in order; `--help` and the README print this.
    static let lookupOrderHelp = """
        Weights are looked up in this order: --weights DIR; $MOODLINE_WEIGHTS; the share/moodline/Weights folder \
        of the installation (PREFIX/share/moodline/Weights beside PREFIX/bin/moodline); the Weights/ folder of the \
        source checkout the binary was built in (.build*/.../moodline); /usr/local/share/moodline/Weights. The \
        working folder is never searched.
        """

    /// The model store of `--weights`, or else of the first folder of `lookupOrderHelp` that holds a manifest.
    ///
    /// - Throws: `WeightError.manifest` naming where it looked.
    func store() throws -> ModelStore {
        if let weights { return try ModelStore(folder: weights) }
        let candidates = Self.candidateFolders()
        for candidate in candidates
        where FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("MANIFEST.json")) {
            return try ModelStore(folder: candidate)
        }
        throw WeightError.manifest(
            file: "Weights/MANIFEST.json",
            detail:
                "no weights found (looked in \(candidates.joined(separator: ", "))); pass --weights DIR or set MOODLINE_WEIGHTS"
        )
    }

    /// The folders after `--weights`, in order.
    static func candidateFolders() -> [String] {
        var folders: [String] = []
        if let env = ProcessInfo.processInfo.environment["MOODLINE_WEIGHTS"], !env.isEmpty { folders.append(env) }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let binFolder = executable.deletingLastPathComponent()
            // An installation: PREFIX/bin/moodline with PREFIX/share/moodline/Weights.
            folders.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/moodline/Weights").path)
            // A source checkout: CHECKOUT/.build/<config or triple>/.../moodline (or another scratch folder such as
            // .build-asan), with CHECKOUT/Package.swift.
            var folder = binFolder
            while folder.path != "/" {
                if folder.lastPathComponent.hasPrefix(".build") {
                    let checkout = folder.deletingLastPathComponent()
                    if FileManager.default.fileExists(atPath: checkout.appendingPathComponent("Package.swift").path) {
                        folders.append(checkout.appendingPathComponent("Weights").path)
                    }
                    break
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        folders.append("/usr/local/share/moodline/Weights")
        return folders
    }
}
