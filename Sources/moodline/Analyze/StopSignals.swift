import Dispatch
import Foundation
import MoodlineCore

/// Turns SIGINT and SIGTERM into a clean stop of the batch: the first asks it to stop (inputs in flight settle,
/// nothing half-written is left); a second one ends the process at once, as a user pressing Ctrl-C twice means.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(stop: StopRequest) {
        let queue = DispatchQueue(label: "moodline.signals")
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if stop.isStopped {
                    FileHandle.standardError.write(Data("\nstopping at once\n".utf8))
                    exit(128 + number)
                }
                stop.stop(signal: number)
                FileHandle.standardError.write(
                    Data("\nstopping: finishing what is in flight (press Ctrl-C again to quit at once)\n".utf8))
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
