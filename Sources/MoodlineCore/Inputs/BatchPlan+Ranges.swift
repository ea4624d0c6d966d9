extension BatchPlan {
    /// The plan with each recorded video's folder named for the part analysed (`clip.30s-90s`), so that runs over
    /// different ranges of one file do not overwrite each other and a rerun of the same range finds its results.
    /// A live stream keeps its name: it has no fixed timeline to take a part of.
    func namingRanges(of decode: DecodeSettings) -> BatchPlan {
        guard let suffix = decode.rangeFolderSuffix else { return self }
        var plan = self
        plan.inputs = inputs.map { input in
            guard input.traits.isTimed, !input.traits.isLive else { return input }
            return PlannedInput(
                anySource: input.source, path: input.path, outputName: input.outputName + suffix,
                shardOf: input.shardOf)
        }
        return plan
    }
}
