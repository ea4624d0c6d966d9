// swift-tools-version: 6.0
// libFuzzer targets for Moodline's parsers, in a package of their own so that the normal build never sees the
// fuzzer flags. Build and run with scripts/fuzz.sh.
import PackageDescription

let package = Package(
    name: "MoodlineFuzz",
    dependencies: [
        .package(name: "Moodline", path: "..")
    ],
    targets: [
        // libFuzzer's driver, shared by the targets below.
        .target(name: "FuzzSupport"),
        // The safetensors reader (weights files are the one binary format Moodline parses itself).
        .executableTarget(
            name: "FuzzSafeTensors", dependencies: ["FuzzSupport", .product(name: "MoodlineNN", package: "Moodline")]),
        // The pipeline-file parser and validation.
        .executableTarget(
            name: "FuzzPipelineFile",
            dependencies: ["FuzzSupport", .product(name: "MoodlineCore", package: "Moodline")]),
        // The media layer on arbitrary bytes: opening, probing, decoding and converting through FFmpeg.
        .executableTarget(
            name: "FuzzMedia", dependencies: ["FuzzSupport", .product(name: "MoodlineMedia", package: "Moodline")]),
        // Pictures decoded from memory: the live page's camera frames, straight from a WebSocket message.
        .executableTarget(
            name: "FuzzStillImage", dependencies: ["FuzzSupport", .product(name: "MoodlineMedia", package: "Moodline")]),
        // The readings a video's run keeps for `moodline regroup` (`readings.bin`), framed validly.
        .executableTarget(
            name: "FuzzReadingsRecord",
            dependencies: ["FuzzSupport", .product(name: "MoodlineCore", package: "Moodline")]),
        // The persons.csv a user edits for `moodline regroup` (a video's and a photo set's).
        .executableTarget(
            name: "FuzzPersonsTable",
            dependencies: ["FuzzSupport", .product(name: "MoodlineCore", package: "Moodline")]),
        // Segments files and human codings (SubRip, WebVTT, ELAN, CSV), and a video's frames.csv read back.
        .executableTarget(
            name: "FuzzRangeFile",
            dependencies: ["FuzzSupport", .product(name: "MoodlineCore", package: "Moodline")]),
        // Picture headers read before any decoder runs: declared sizes (bomb refusal) and EXIF orientation.
        .executableTarget(
            name: "FuzzPictureHeader",
            dependencies: ["FuzzSupport", .product(name: "MoodlineMedia", package: "Moodline")]),
    ]
)
