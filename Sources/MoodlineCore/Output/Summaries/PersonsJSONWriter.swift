/// Writes `persons.json`: the main subject's person ID and the rule that chose it, and per person their tracks,
/// time span, screen time, sampled frames that show them and their share of the sampled frames (`share_of_video`),
/// mean probabilities, `valence` and `arousal` derived from them (`AffectCoordinates`), dominant emotion, share of time
/// per emotion, mean box, and the representative face (the frame, time and box of a clear face from their longest
/// track; null when persons are off). With `--baseline`, each person also has `baseline`: their readings and mean
/// probabilities over the baseline period (null without a reading there).
final class PersonsJSONWriter: SummarySink {
    let folder: String
    var fileName: String { "persons.json" }
    /// Each person's readings over the baseline period, when there is one.
    private var baseline: BaselineTally?

    init(context: SinkContext) {
        folder = context.folder
        baseline = BaselineTally(for: context)
    }

    func consume(_ frame: TrackedFrame) throws {
        if frame.frame.hasPicture {
            baseline?.add(time: frame.frame.stamp.timeSeconds, faces: SegmentTally.faces(of: frame))
        }
    }

    func contents(for event: FinishEvent) throws -> String {
        let seconds: (Double) -> String = { FixedPoint.format($0, decimals: Precision.seconds) }
        let pixels: (Double) -> String = { FixedPoint.format($0, decimals: Precision.pixels) }
        let share: (Double) -> String = { FixedPoint.format($0, decimals: Precision.probability) }
        let box: (Box) -> String = {
            "{\"x\":\(pixels($0.x)),\"y\":\(pixels($0.y)),\"w\":\(pixels($0.width)),\"h\":\(pixels($0.height))}"
        }
        let (analysed, frames) = (event.outcome.analysedSeconds, event.outcome.analysedFrames)
        let baselines = baseline?.means { event.person(ofTrack: $0) }
        let persons = event.persons.persons.map { person -> String in
            let timeShare =
                "{"
                + zip(Emotion.allCases, person.timeShare).map { "\"\($0.rawValue)\":\(share($1))" }.joined(
                    separator: ",") + "}"
            let representative =
                person.representative.map {
                    "{\"frame\":\($0.frameIndex),\"time_s\":\(seconds($0.timeSeconds)),\"box\":\(box($0.box))}"
                } ?? "null"
            let affect = AffectCoordinates.cells(person.meanProbabilities.probabilities)
            return "{\"id\":\(person.id),\"subject\":\(person.id == event.subject),"
                + "\"tracks\":[\(person.tracks.map(String.init).joined(separator: ","))],"
                + "\"first_time_s\":\(seconds(person.firstSeconds)),\"last_time_s\":\(seconds(person.lastSeconds)),"
                + "\"screen_time_s\":\(seconds(person.screenSeconds)),"
                + "\"frames_shown\":\(person.framesShown),\"share_of_video\":\(share(person.share(ofFrames: frames))),"
                + "\"mean_probabilities\":\(JSONText.probabilities(person.meanProbabilities)),"
                + "\"valence\":\(affect[0]),\"arousal\":\(affect[1]),"
                + "\"dominant_emotion\":\"\(person.dominantEmotion.rawValue)\",\"time_share\":\(timeShare),"
                + "\"mean_box\":\(box(person.meanBox)),\"representative\":\(representative)"
                + (baselines.map { ",\"baseline\":" + Self.baseline($0[person.id]) } ?? "") + "}"
        }
        let settings = event.definition.persons
        return "{\"schema_version\":\(MoodlineVersion.schema),\"input\":\(JSONText.string(event.input.path)),"
            + "\"subject\":\(event.subject.map(String.init) ?? "null"),"
            + "\"subject_rule\":\"\(event.definition.tracking.subject.rawValue)\","
            + "\"grouped_by_face\":\(settings.enabled),"
            + "\"same_person_distance\":\(FixedPoint.format(settings.samePersonDistance, decimals: 3)),"
            + "\"analysed_s\":\(seconds(analysed)),\"persons\":[\n"
            + persons.joined(separator: ",\n") + "\n]}\n"
    }

    /// A person's baseline as JSON: its readings and mean probabilities, or null.
    private static func baseline(_ baseline: PersonBaseline?) -> String {
        guard let baseline else { return "null" }
        let means = EmotionScores(probabilities: baseline.means.map(Float.init))
        return "{\"readings\":\(baseline.readings),\"mean_probabilities\":\(JSONText.probabilities(means))}"
    }
}
