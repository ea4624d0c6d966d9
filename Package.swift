// swift-tools-version: 6.0
// Moodline: emotion timelines from faces in video and photo collections.
import PackageDescription

// The numeric code (layers, sampling, decoding of detections) is 20-30x slower unoptimised, which would make the
// end-to-end tests take minutes; debug builds optimise these two targets too.
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Moodline",
    products: [
        .executable(name: "moodline", targets: ["moodline"]),
        .library(name: "MoodlineCore", targets: ["MoodlineCore"]),
        // The layers below, for tools built on them (the fuzz targets in Fuzz/).
        .library(name: "MoodlineMedia", targets: ["MoodlineMedia"]),
        .library(name: "MoodlineNN", targets: ["MoodlineNN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `moodline serve` only: the web server, its WebSockets, and multipart upload parsing.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // Already there under Hummingbird; named so that serve's gate can sit in the HTTP pipeline itself.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        // Already there under Hummingbird too; serve's gate quiets one of its log lines.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        // System libraries (Debian: libavformat-dev libavcodec-dev libavdevice-dev libswscale-dev libavutil-dev, libopenblas-dev).
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [
                .apt(["libavformat-dev", "libavcodec-dev", "libavdevice-dev", "libswscale-dev", "libavutil-dev"])
            ]
        ),
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // The only code that touches FFmpeg: opening, probing and decoding media into Swift pixel buffers.
        .target(name: "MoodlineMedia", dependencies: ["CFFmpeg"]),
        // Hot loops of the inference core, built for several instruction sets (chosen at load time). Optimised in
        // debug builds too; no fused multiply-add, so results are the same on every CPU. DWARF 4, which Debian's
        // valgrind (scripts/memcheck.sh) can read; clang's default DWARF 5 makes it give up.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off", "-gdwarf-4"])]),
        // The small inference core: tensors, layers, safetensors.
        .target(name: "MoodlineNN", dependencies: ["CBLAS", "CKernels"], swiftSettings: optimizedEvenInDebug),
        // Stages, models, pipeline, tracking, aggregation, writers.
        .target(
            name: "MoodlineCore", dependencies: ["MoodlineMedia", "MoodlineNN"], exclude: ["Output/README.md"],
            swiftSettings: optimizedEvenInDebug),
        // `moodline serve`: the local web app (uploads, progress, results, the live camera page). Its own module,
        // so that the analysis library does not depend on a web framework.
        .target(
            name: "MoodlineServe",
            dependencies: [
                "MoodlineCore",
                "MoodlineMedia",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command-line tool.
        .executableTarget(
            name: "moodline",
            dependencies: [
                "MoodlineCore",
                "MoodlineMedia",
                "MoodlineNN",
                "MoodlineServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Paths to samples and fixtures, shared by the test targets.
        .target(name: "MoodlineTestSupport", dependencies: ["MoodlineCore"], path: "Tests/MoodlineTestSupport"),
        .testTarget(
            name: "MoodlineMediaTests", dependencies: ["MoodlineMedia", "MoodlineTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "MoodlineNNTests", dependencies: ["MoodlineNN", "MoodlineTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "MoodlineCoreTests",
            dependencies: ["MoodlineCore", "MoodlineMedia", "MoodlineNN", "MoodlineTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "MoodlineServeTests",
            dependencies: [
                "MoodlineServe", "MoodlineCore", "MoodlineMedia", "MoodlineTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(name: "moodlineTests", dependencies: ["moodline", "MoodlineTestSupport"], exclude: ["Fixtures"]),
    ]
)
