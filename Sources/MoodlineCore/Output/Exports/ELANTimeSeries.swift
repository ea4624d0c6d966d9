import Foundation

/// What the ELAN export's time series share: the file names, and one curve per track and emotion in a fixed order.
///
/// ELAN shows a time series under the video from a CSV and a configuration file (`<document>_tsconf.xml`, its own
/// naming rule) that `episodes.eaf` links; both are written beside the document.
enum ELANTimeSeries {
    /// The smoothed probabilities, one column per track and emotion.
    static let dataFileName = "episodes_timeseries.csv"
    /// ELAN's configuration for the CSV: which column is which curve, its range and colour.
    static let configurationFileName = "episodes_tsconf.xml"

    /// One curve: a track's smoothed probability of one emotion.
    struct Curve {
        let track: TrackSummary
        let emotion: Emotion
        let person: Int?
        let isSubject: Bool

        var name: String {
            let who = person.map { "person \($0) track \(track.id)" } ?? "track \(track.id)"
            return "\(who)\(isSubject ? " (subject)" : "") \(emotion.rawValue)"
        }
    }

    /// The curves in column order: the subject's track first, each track's emotions in `Emotion.allCases` order.
    static func curves(of event: FinishEvent) -> [Curve] {
        event.tracksSubjectFirst.flatMap { track in
            Emotion.allCases.map {
                Curve(
                    track: track, emotion: $0, person: event.person(ofTrack: track.id),
                    isSubject: event.isSubject(track: track.id))
            }
        }
    }
}
