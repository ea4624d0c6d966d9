import Foundation

/// Reads and writes pipeline definitions as JSON. Unknown keys and wrong types are errors naming the key.
///
/// ```json
/// {
///   "name": "interview",
///   "sampling": {"mode": "rate", "fps": 5},
///   "decode": {"max_side": 1280},
///   "detector": {"model": "full_range", "min_score": 0.5, "nms_iou": 0.3, "min_face_px": 0},
///   "crop": {"size": 64, "eye_distance": 0.4, "eye_y": 0.4},
///   "tracking": {"enabled": true, "min_iou": 0.2, "max_missing_s": 1.0},
///   "smoothing": {"method": "window", "window_s": 1.0},
///   "outputs": {"formats": ["csv", "jsonl", "tracks"]},
///   "concurrency": {"width": 2, "buffer_frames": 8}
/// }
/// ```
/// Every section and key but `name` is optional; missing ones take the defaults shown.
public enum PipelineFile {
    /// Parses a definition; `source` names the file in errors.
    public static func parse(_ data: Data, source: String) throws -> PipelineDefinition {
        guard let json = try? JSONSerialization.jsonObject(with: data) else {
            throw PipelineError(source: source, key: nil, message: "is not valid JSON")
        }
        let root = try Section(json, path: nil, source: source)
        var definition = PipelineDefinition(name: try root.string("name") ?? "custom", sampling: .rate(framesPerSecond: 5))
        definition.description = try root.string("description") ?? ""

        if let sampling = try root.section("sampling") {
            let mode = try sampling.string("mode") ?? "rate"
            switch mode {
            case "rate": definition.sampling = .rate(framesPerSecond: try sampling.number("fps") ?? 5)
            case "every_frame": definition.sampling = .everyFrame
            case "every_nth": definition.sampling = .everyNth(try sampling.integer("every_nth") ?? 1)
            case "key_frames": definition.sampling = .keyFrames
            default:
                throw PipelineError(source: source, key: "sampling.mode",
                                    message: "must be one of rate, every_frame, every_nth, key_frames (got \(mode))")
            }
            try sampling.finish()
        }
        if let decode = try root.section("decode") {
            definition.maximumSidePixels = try decode.integer("max_side") ?? definition.maximumSidePixels
            try decode.finish()
        }
        if let detector = try root.section("detector") {
            if let model = try detector.string("model") {
                guard let parsed = DetectorModel(rawValue: model) else {
                    throw PipelineError(source: source, key: "detector.model", message: "must be full_range or short_range (got \(model))")
                }
                definition.detector.model = parsed
            }
            definition.detector.minimumScore = try detector.number("min_score") ?? definition.detector.minimumScore
            definition.detector.nmsIoUThreshold = try detector.number("nms_iou") ?? definition.detector.nmsIoUThreshold
            definition.detector.minimumFaceSizePixels = try detector.number("min_face_px") ?? definition.detector.minimumFaceSizePixels
            try detector.finish()
        }
        if let crop = try root.section("crop") {
            definition.crop.sizePixels = try crop.integer("size") ?? definition.crop.sizePixels
            definition.crop.eyeDistance = try crop.number("eye_distance") ?? definition.crop.eyeDistance
            definition.crop.eyeLineY = try crop.number("eye_y") ?? definition.crop.eyeLineY
            try crop.finish()
        }
        if let tracking = try root.section("tracking") {
            definition.tracking.enabled = try tracking.bool("enabled") ?? definition.tracking.enabled
            definition.tracking.minimumOverlap = try tracking.number("min_iou") ?? definition.tracking.minimumOverlap
            definition.tracking.maximumMissingSeconds = try tracking.number("max_missing_s") ?? definition.tracking.maximumMissingSeconds
            try tracking.finish()
        }
        if let smoothing = try root.section("smoothing") {
            if let method = try smoothing.string("method") {
                guard let parsed = SmoothingSettings.Method(rawValue: method) else {
                    throw PipelineError(source: source, key: "smoothing.method", message: "must be none, window or ema (got \(method))")
                }
                definition.smoothing.method = parsed
            }
            definition.smoothing.windowSeconds = try smoothing.number("window_s") ?? definition.smoothing.windowSeconds
            try smoothing.finish()
        }
        if let outputs = try root.section("outputs") {
            if let names = try outputs.strings("formats") {
                definition.formats = try names.map { name in
                    guard let format = OutputFormat(rawValue: name) else {
                        throw PipelineError(source: source, key: "outputs.formats", message: "has unknown format \(name) (known: \(OutputSinks.names.joined(separator: ", ")))")
                    }
                    return format
                }
            }
            try outputs.finish()
        }
        if let concurrency = try root.section("concurrency") {
            definition.concurrency = try concurrency.integer("width") ?? definition.concurrency
            definition.bufferFrames = try concurrency.integer("buffer_frames") ?? definition.bufferFrames
            try concurrency.finish()
        }
        try root.finish()
        try definition.validate(source: source)
        return definition
    }

    /// Reads a definition from a file.
    public static func load(path: String) throws -> PipelineDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(source: path, key: nil, message: "no such pipeline file")
        }
        return try parse(data, source: path)
    }

    /// The definition as a JSON object (keys in a fixed order when serialised with sorted keys), for run.json.
    public static func jsonObject(_ d: PipelineDefinition) -> [String: Any] {
        var sampling: [String: Any]
        switch d.sampling {
        case .rate(let fps): sampling = ["mode": "rate", "fps": fps]
        case .everyFrame: sampling = ["mode": "every_frame"]
        case .everyNth(let n): sampling = ["mode": "every_nth", "every_nth": n]
        case .keyFrames: sampling = ["mode": "key_frames"]
        }
        return [
            "name": d.name, "description": d.description, "sampling": sampling,
            "decode": ["max_side": d.maximumSidePixels],
            "detector": ["model": d.detector.model.rawValue, "min_score": d.detector.minimumScore,
                         "nms_iou": d.detector.nmsIoUThreshold, "min_face_px": d.detector.minimumFaceSizePixels],
            "crop": ["size": d.crop.sizePixels, "eye_distance": d.crop.eyeDistance, "eye_y": d.crop.eyeLineY],
            "tracking": ["enabled": d.tracking.enabled, "min_iou": d.tracking.minimumOverlap,
                         "max_missing_s": d.tracking.maximumMissingSeconds],
            "smoothing": ["method": d.smoothing.method.rawValue, "window_s": d.smoothing.windowSeconds],
            "outputs": ["formats": d.formats.map(\.rawValue)],
            "concurrency": ["width": d.concurrency, "buffer_frames": d.bufferFrames],
        ]
    }

    /// One JSON object being read: takes keys one by one and rejects any left over.
    private final class Section {
        let values: [String: Any]
        let path: String?
        let source: String
        var taken: Set<String> = []

        init(_ json: Any, path: String?, source: String) throws {
            guard let object = json as? [String: Any] else {
                throw PipelineError(source: source, key: path, message: "must be a JSON object")
            }
            values = object
            self.path = path
            self.source = source
        }

        private func key(_ name: String) -> String { path.map { "\($0).\(name)" } ?? name }

        private func take(_ name: String) -> Any? {
            taken.insert(name)
            return values[name]
        }

        func section(_ name: String) throws -> Section? {
            guard let value = take(name) else { return nil }
            return try Section(value, path: key(name), source: source)
        }

        func string(_ name: String) throws -> String? {
            guard let value = take(name) else { return nil }
            guard let text = value as? String else { throw wrongType(name, "a string") }
            return text
        }

        func strings(_ name: String) throws -> [String]? {
            guard let value = take(name) else { return nil }
            guard let list = value as? [String] else { throw wrongType(name, "a list of strings") }
            return list
        }

        func number(_ name: String) throws -> Double? {
            guard let value = take(name) else { return nil }
            guard let number = value as? NSNumber, !isJSONBoolean(number) else { throw wrongType(name, "a number") }
            return number.doubleValue
        }

        func integer(_ name: String) throws -> Int? {
            guard let number = try number(name) else { return nil }
            guard number == number.rounded(), abs(number) < 1e9 else { throw wrongType(name, "a whole number") }
            return Int(number)
        }

        func bool(_ name: String) throws -> Bool? {
            guard let value = take(name) else { return nil }
            guard let number = value as? NSNumber, isJSONBoolean(number) else { throw wrongType(name, "true or false") }
            return number.boolValue
        }

        /// Rejects keys nobody asked for: a typo must not be silently ignored.
        func finish() throws {
            if let unknown = values.keys.sorted().first(where: { !taken.contains($0) }) {
                throw PipelineError(source: source, key: key(unknown), message: "is not a known setting")
            }
        }

        private func wrongType(_ name: String, _ expected: String) -> PipelineError {
            PipelineError(source: source, key: key(name), message: "must be \(expected)")
        }
    }
}

/// Whether JSONSerialization produced this number from `true` or `false` (booleans are char-typed NSNumbers;
/// JSON numbers never are).
private func isJSONBoolean(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
}
