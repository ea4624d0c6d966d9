import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN
import Synchronization

/// `moodline crops DIR -o OUT`: the aligned face crops `analyze` would classify, for each picture of a labelled
/// class-folder set, so a classifier can be trained on what it will see.
struct CropsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crops",
        abstract: "Cut the aligned face crop of each picture in a labelled folder, for training a classifier.",
        discussion: """
            DIR holds one folder per emotion (angry, disgust, fear, happy, sad, surprise, neutral). For each picture \
            the face is found and aligned by the eyes exactly as `analyze` does (the photos pipeline's detector and \
            crop, or --pipeline's); the largest face is kept, and when none is found the whole picture is scaled into \
            the crop. Writes OUT/<emotion>/<picture name>.pgm (8-bit grey) and OUT/crops.csv, one row per picture: \
            the crop, its label, its source, whether a face was found, the face's score and box, the picture's size and \
            the map from crop pixels to picture pixels (x' = a·x + b·y + tx, y' = c·x + d·y + ty, at pixel centres). \
            OUT/whole/<emotion>/<picture name>.pgm holds each whole picture in grey resized to the crop size, as \
            `evaluate` reads a data set's own crops.

            Example:
              moodline crops ../shared/eval/fer2013/train -o crops/train --size 48
            """
    )

    @Argument(help: "The labelled folder: DIR/<emotion>/*.jpg.")
    var folder: String

    @Option(name: .shortAndLong, help: "Folder to write the crops into (created; must not hold crops.csv already).")
    var output: String

    @Option(help: "Pipeline whose detector and crop geometry are used: a built-in name or a JSON file.")
    var pipeline = "photos"

    @Option(help: "Face detector: \(DetectorModel.choicesHelp). Default: the pipeline's.")
    var detector: DetectorModel?

    @Option(help: "Crop side in pixels. Default: the pipeline's crop size.")
    var size: Int?

    @OptionGroup var modelWeights: WeightsOptions

    @Option(help: "Pictures cut at once (threads).")
    var jobs = 2

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64.") }
        if let size, !(16...256).contains(size) { throw ValidationError("--size must be between 16 and 256.") }
    }

    func run() throws {
        BLAS.setThreads(1)
        let set = try LabelledImageSet(folder: folder)
        var definition = try PipelineOptions.load(pipeline)
        if let detector { definition.detector.model = detector }
        if let size { definition.crop.sizePixels = size }
        let store = try modelWeights.store()
        let cropper = MainFaceCropper(
            detector: try store.faceDetector(definition.detector), aligner: FaceAligner(geometry: definition.crop),
            minimumFaceSizePixels: definition.detector.minimumFaceSizePixels)
        let table = (output as NSString).appendingPathComponent("crops.csv")
        guard !FileManager.default.fileExists(atPath: table) else {
            throw ValidationError("\(table) already exists: choose another --output or remove it.")
        }
        for emotion in Emotion.allCases {
            for folder in [emotion.rawValue, "whole/\(emotion.rawValue)"] {
                try FileManager.default.createDirectory(
                    atPath: (output as NSString).appendingPathComponent(folder), withIntermediateDirectories: true)
            }
        }

        let rows = Mutex([String?](repeating: nil, count: set.items.count))
        let next = Atomic(0)
        let done = Atomic(0)
        let started = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < set.items.count else { return }
                let row = cutOne(set.items[index], cropper)
                rows.withLock { $0[index] = row }
                let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
                if finished % 1000 == 0 || finished == set.items.count {
                    FileHandle.standardError.write(Data("\r\(finished)/\(set.items.count) pictures".utf8))
                }
            }
        }
        let all = rows.withLock { $0 }.compactMap { $0 }
        let header =
            "crop,label,source,face_found,score,box_x,box_y,box_w,box_h,picture_w,picture_h,map_a,map_b,map_c,map_d,map_tx,map_ty"
        try WholeFile.write(text: ([header] + all).joined(separator: "\n") + "\n", to: table)
        let found = all.filter { $0.contains(",true,") }.count
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        FileHandle.standardError.write(Data("\n".utf8))
        print(
            String(
                format:
                    "%d crops in %@ (%.1f s): a face found in %d (%.1f%%), the whole picture used for %d; %d unreadable",
                all.count, output, seconds, found, 100 * Double(found) / Double(max(1, all.count)), all.count - found,
                set.items.count - all.count))
    }

    /// Cuts one picture and writes its crop; the CSV row, or nil (with a message) when it cannot be read.
    private func cutOne(_ item: LabelledImageSet.Item, _ cropper: MainFaceCropper) -> String? {
        do {
            var picture: PixelBuffer?
            _ = try MediaReader(path: item.path).decodeFrames(select: { $0.index == 0 }) { picture = $0.pixels }
            guard let picture else { throw EvaluationError(message: "no picture decoded") }
            let cut = try cropper.cut(picture)
            let name = "\(item.emotion.rawValue)/\((item.path as NSString).lastPathComponent).pgm"
            try WholeFile.write(
                PortableGreyMap.encode(cut.crop), to: (output as NSString).appendingPathComponent(name), durable: false)
            let side = cut.crop.width
            let whole = BilinearSampler.resize(picture.greyscale(), width: side, height: side)
            try WholeFile.write(
                PortableGreyMap.encode(whole), to: (output as NSString).appendingPathComponent("whole/" + name),
                durable: false)
            let map = cut.cropToSource
            let geometry =
                ["\(picture.width)", "\(picture.height)"]
                + [map.a, map.b, map.c, map.d, map.tx, map.ty].map { "\($0)" }
            let box =
                cut.face.map { [$0.box.x, $0.box.y, $0.box.width, $0.box.height].map { String(format: "%.2f", $0) } }
                ?? ["", "", "", ""]
            return
                ([
                    CSVText.field(name), item.emotion.rawValue, CSVText.field(item.path),
                    cut.face != nil ? "true" : "false",
                    cut.face.map { String(format: "%.4f", $0.score) } ?? "",
                ] + box + geometry).joined(separator: ",")
        } catch {
            FileHandle.standardError.write(Data("\(item.path): \(error)\n".utf8))
            return nil
        }
    }
}

extension DetectorModel: ExpressibleByArgument {}
