// swift-tools-version: 6.2
import PackageDescription

// Settings for every target of our own: Swift 6 language mode is the tools-version default;
// warnings are errors so that nothing questionable lands.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "vpcreach",
    products: [
        .library(name: "PacketSets", targets: ["PacketSets"]),
        .library(name: "VPCReachKit", targets: ["VPCReachKit"]),
        .executable(name: "vpcreach", targets: ["vpcreach"]),
    ],
    dependencies: [
        // The CLI: subcommands, validation, help text and exit codes (64 for usage errors).
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // Policy files for `vpcreach check` are YAML (the convention of network-assertion tools);
        // Yams gives parsed nodes with line numbers, so policy errors can name the line.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        // Tests only: property-based tests with shrinking for the packet-set algebra.
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        // Packet-set algebra: addresses, CIDR blocks, interval sets and 5-dimensional packet sets.
        // Knows nothing about AWS.
        .target(name: "PacketSets", swiftSettings: strict),
        // The library core: AWS ingest, model, analysis and renderers. Never prints, never exits.
        .target(name: "VPCReachKit", dependencies: ["PacketSets", "Yams"], swiftSettings: strict),
        // The thin command-line front end.
        .executableTarget(
            name: "vpcreach",
            dependencies: [
                "VPCReachKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PacketSetsTests",
            dependencies: [
                "PacketSets",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VPCReachKitTests",
            dependencies: ["VPCReachKit", "PacketSets"],
            exclude: ["Expectations", "Goldens"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VPCReachCLITests",
            dependencies: ["vpcreach"],
            exclude: ["Goldens"],
            swiftSettings: strict
        ),
    ]
)
